import axios from 'axios';
import { Workflow } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { AkoolApi } from '../../credentials/AkoolApi.credentials';
import { AKOOL_CODES, describeAkoolCode } from '../../nodes/AkoolLiveAvatar/transport';
import { startFakeAkool } from '../fake-akool/server';
import { CredentialStore } from '../harness/credentials';
import { useFakeAkool } from '../harness/fakeAkool';
import { closeSession } from '../harness/parameters';
import { credentialsFor, runNode } from '../harness/runNode';

const CLOSE = 'POST /api/open/v4/liveAvatar/session/close';
const GET_TOKEN = 'POST /api/open/v3/getToken';

describe('Akool API credential', () => {
	const fake = useFakeAkool();

	/** Closes one fresh session with the given credential; returns the run and the close request Akool saw. */
	const closeOne = async (credentials: ICredentialDataDecryptedObject | CredentialStore) => {
		const [session] = fake().addSessions(1);
		const result = await runNode({ parameters: closeSession(session._id), credentials });
		const requests = fake().requestsTo(CLOSE);
		return { ...result, request: requests[requests.length - 1] };
	};

	describe('API key', () => {
		it('sends the key in x-api-key and no Authorization header', async () => {
			const { request } = await closeOne(credentialsFor.apiKey(fake()));

			expect(request.headers['x-api-key']).toBe('test-api-key');
			expect(request.headers.authorization).toBeUndefined();
			expect(request.auth).toBe('apiKey');
		});

		it('is the default method when none is stored', async () => {
			const { request } = await closeOne({ apiKey: 'test-api-key', baseUrl: fake().url });

			expect(request.headers['x-api-key']).toBe('test-api-key');
		});
	});

	describe('bearer token', () => {
		it('sends Authorization: Bearer and no x-api-key', async () => {
			fake().config.tokens.push('static-token-123');

			const { request } = await closeOne(credentialsFor.bearerToken(fake(), 'static-token-123'));

			expect(request.headers.authorization).toBe('Bearer static-token-123');
			expect(request.headers['x-api-key']).toBeUndefined();
		});
	});

	describe('client ID and secret', () => {
		it('exchanges them for a token at getToken, stores it, and sends only that token', async () => {
			const store = new CredentialStore(credentialsFor.clientCredentials(fake()));

			const { request } = await closeOne(store);

			expect(
				fake()
					.requestsTo(GET_TOKEN)
					.map((r) => r.body),
			).toEqual([{ clientId: 'test-client-id', clientSecret: 'test-client-secret' }]);
			const token = store.stored.clientToken as string;
			expect(token).toMatch(/^tok_/);
			expect(request.headers.authorization).toBe(`Bearer ${token}`);
			expect(request.headers['x-api-key']).toBeUndefined();
		});

		it('reuses the stored token in later executions instead of asking again', async () => {
			const store = new CredentialStore(credentialsFor.clientCredentials(fake()));

			await closeOne(store);
			await closeOne(store);
			await closeOne(store);

			expect(fake().counters.getToken).toBe(1);
			expect(store.updates).toHaveLength(1);
		});

		it('reads the token from data.token when Akool puts it there', async () => {
			fake().config.tokenIn = 'data';
			const store = new CredentialStore(credentialsFor.clientCredentials(fake()));

			const { request } = await closeOne(store);

			expect(request.headers.authorization).toBe(`Bearer ${store.stored.clientToken}`);
		});

		it('renews a token Akool no longer accepts (code 1101) and completes the request', async () => {
			const store = new CredentialStore(credentialsFor.clientCredentials(fake()));
			await closeOne(store);
			const firstToken = store.stored.clientToken;
			fake().expireTokens();

			const { items, request } = await closeOne(store);

			expect(items[0].json).toHaveProperty('sessionId');
			expect(fake().counters.getToken).toBe(2);
			expect(store.stored.clientToken).not.toBe(firstToken);
			expect(request.headers.authorization).toBe(`Bearer ${store.stored.clientToken}`);
		});

		it('renews the token once for items that hit 1101 together', async () => {
			const store = new CredentialStore(credentialsFor.clientCredentials(fake()));
			await closeOne(store);
			fake().expireTokens();
			const sessions = fake().addSessions(10);

			const { items } = await runNode({
				parameters: { ...closeSession('={{ $json._id }}'), requestOptions: { concurrency: 5 } },
				items: sessions.map((s) => ({ _id: s._id })),
				credentials: store,
			});

			expect(items).toHaveLength(10);
			expect(fake().counters.getToken).toBe(2);
		});

		it('says what to check, without the secret, when Akool refuses the ID and secret', async () => {
			const wrongValue = ['wrong', 'value', '4f9a'].join('-');
			const error = (await closeOne(credentialsFor.clientCredentials(fake(), wrongValue)).catch(
				(e: unknown) => e,
			)) as Error & {
				description?: string;
			};

			expect(error.message).toContain('Akool did not issue a token for this client ID and secret');
			expect(error.description).toContain('code 1101');
			expect(error.description).toContain('Check the client ID and client secret');
			expect(
				JSON.stringify({ ...error, message: error.message, description: error.description }),
			).not.toContain(wrongValue);
			expect(fake().requestsTo(CLOSE)).toHaveLength(0);
		});

		it('says the token endpoint is unreachable, without the secret, when the base URL is wrong', async () => {
			const closed = await startFakeAkool();
			await closed.close();
			const credentials = credentialsFor.clientCredentials(closed, 'secret-never-shown-77');

			const error = (await runNode({ parameters: closeSession('abc'), credentials }).catch(
				(e: unknown) => e,
			)) as Error;

			expect(error.message).toContain('Could not reach Akool');
			expect(error.message).toContain('to exchange the client ID and secret for a token');
			expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(
				'secret-never-shown-77',
			);
		});
	});

	it('never sends both auth headers, even when the request already carries one', async () => {
		const credential = new AkoolApi();
		const request: IHttpRequestOptions = {
			url: 'https://openapi.akool.com/api/open/v3/faceswap/quota/info',
			headers: { Authorization: 'Bearer stale', 'X-API-KEY': 'other', Accept: 'application/json' },
		};

		const withKey = await credential.authenticate({ authMethod: 'apiKey', apiKey: 'k1' }, request);
		const withToken = await credential.authenticate(
			{ authMethod: 'bearerToken', accessToken: 't1' },
			request,
		);

		expect(withKey.headers).toEqual({ Accept: 'application/json', 'x-api-key': 'k1' });
		expect(withToken.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer t1' });
	});

	it.each([
		['another host', 'https://elsewhere.example/api/open/v3/faceswap/quota/info'],
		['plain http to a remote host', 'http://openapi.akool.com/api/open/v3/faceswap/quota/info'],
	])('refuses to add the secret to a request for %s', async (_what, url) => {
		const credential = new AkoolApi();

		await expect(
			credential.authenticate({ authMethod: 'apiKey', apiKey: 'k1' }, { url }),
		).rejects.toThrow(/Refused to send the Akool credential|plain http/);
	});

	describe('"Test connection"', () => {
		const credential = new AkoolApi();

		/** What n8n's credential tester does: resolve the request, authenticate it, send it, apply the rules. */
		async function testConnection(credentials: ICredentialDataDecryptedObject) {
			const node: INode = {
				id: 't',
				name: 'Temp',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			};
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: {
					getByName: () => undefined,
					getByNameAndVersion: () => undefined,
					getKnownTypes: () => ({}),
				} as never,
			});
			const baseURL = workflow.expression.getSimpleParameterValue(
				node,
				credential.test.request.baseURL as string,
				'internal',
				{
					$credentials: credentials,
				} as never,
			) as string;
			let options;
			try {
				options = await credential.authenticate(credentials, {
					baseURL,
					url: credential.test.request.url as string,
					headers: {},
				});
			} catch (error) {
				return { status: 'Error', message: (error as Error).message };
			}
			const response = await axios.get(`${baseURL}${options.url}`, {
				headers: options.headers as Record<string, string>,
				validateStatus: () => true,
			});
			if (response.status >= 300)
				return { status: 'Error', message: `Received HTTP status code: ${response.status}` };
			// n8n reads a rule's key as a lodash path ("data.credit").
			const valueAt = (path: string) =>
				path
					.split('.')
					.reduce<unknown>(
						(value, key) => (value as Record<string, unknown> | undefined)?.[key],
						response.data,
					);
			const failed = credential.test.rules?.find(
				(rule) =>
					rule.type === 'responseSuccessBody' &&
					valueAt(rule.properties.key) === rule.properties.value,
			);
			return failed ? { status: 'Error', message: failed.properties.message } : { status: 'OK' };
		}

		it.each([
			['without a scheme', 'openapi.akool.com', 'is not an http(s) address'],
			['with a typo in the scheme', 'htps://openapi.akool.com', 'is not an http(s) address'],
			['over plain http to another host', 'http://openapi.akool.com', 'uses plain http'],
		])(
			'fails on a Base URL %s, saying what is wrong, before sending the key',
			async (_case, baseUrl, says) => {
				const result = await testConnection({ ...credentialsFor.apiKey(fake()), baseUrl });

				expect(result).toEqual({ status: 'Error', message: expect.stringContaining(says) });
				expect(fake().requests).toHaveLength(0);
			},
		);

		it('passes with a working API key', async () => {
			expect(await testConnection(credentialsFor.apiKey(fake()))).toEqual({ status: 'OK' });
		});

		it('fails on a wrong API key, although Akool answers it with HTTP 200', async () => {
			const result = await testConnection(credentialsFor.apiKey(fake(), 'not-a-real-key'));

			expect(result.status).toBe('Error');
			expect(result.message).toContain('Akool rejected the credential');
			expect(result.message).toContain('Check the API key');
		});

		it.each([
			['an undocumented code', { code: 1999, msg: 'Something new went wrong' }],
			['an undocumented code with an empty data object', { code: 1999, msg: 'x', data: {} }],
			['a negative code', { code: -1, msg: 'x' }],
			['a code sent as a string', { code: '1000', msg: 'OK' }],
			['success without the balance', { code: 1000, msg: 'OK', data: {} }],
		])('fails on %s, pointing at an operation that shows it', async (_case, body) => {
			fake().addFault({ kind: 'reply', route: 'quota/info', body });

			const result = await testConnection(credentialsFor.apiKey(fake()));

			expect(result).toEqual({
				status: 'Error',
				message: expect.stringContaining('Run Account → Get Credit Balance'),
			});
		});

		it("fails on every documented code with that code's own advice", async () => {
			for (const code of Object.keys(AKOOL_CODES).map(Number)) {
				fake().addFault({ kind: 'reply', route: 'quota/info', body: { code, msg: 'x' } });

				const result = await testConnection(credentialsFor.apiKey(fake()));

				expect(result).toEqual({
					status: 'Error',
					message: expect.stringContaining(describeAkoolCode(code).hint),
				});
			}
		});

		it('fails when the base URL answers HTTP 200 with something that is not Akool', async () => {
			fake().addFault({
				kind: 'reply',
				route: 'quota/info',
				body: '<html><body>Welcome to nginx!</body></html>',
			});

			const result = await testConnection(credentialsFor.apiKey(fake()));

			expect(result).toEqual({
				status: 'Error',
				message: expect.stringContaining('not like Akool'),
			});
		});
	});
});
