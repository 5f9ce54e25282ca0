import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { BaseUrlError, checkBaseUrl } from '../../../../nodes/AkoolLiveAvatar/transport';
import { ROUTES, startFakeAkool, type FakeAkool } from '../../../fake-akool/server';
import { failureOf } from '../../../harness/failureOf';
import { nodeRunner, useFakeAkool } from '../../../harness/fakeAkool';
import { closeSession } from '../../../harness/parameters';
import { credentialsFor } from '../../../harness/runNode';

/**
 * Secrets go only to the configured Akool host (issue 15): no redirect is followed, no plain http to a
 * remote host, no user name or password in the Base URL.
 */
describe('secrets go only to the configured Akool host', () => {
	const fake = useFakeAkool({ tokens: ['test-bearer-token'] });
	const run = nodeRunner(fake);
	let foreign: FakeAkool;
	beforeAll(async () => {
		foreign = await startFakeAkool();
	});
	beforeEach(() => foreign.reset());
	afterAll(async () => await foreign.close());

	const secretsOf = (credentials: ICredentialDataDecryptedObject) =>
		['apiKey', 'accessToken', 'clientSecret']
			.map((key) => credentials[key])
			.filter((value): value is string => typeof value === 'string');

	const AUTH_METHODS: Array<[string, (f: FakeAkool) => ICredentialDataDecryptedObject]> = [
		['API key', (f) => credentialsFor.apiKey(f)],
		['bearer token', (f) => credentialsFor.bearerToken(f, 'test-bearer-token')],
		['client ID and secret', (f) => credentialsFor.clientCredentials(f)],
	];

	describe.each([301, 302, 307, 308])('a redirect (HTTP %i) to another host', (status) => {
		it.each(AUTH_METHODS)('is not followed with the %s method', async (_method, credentialsOf) => {
			const credentials = credentialsOf(fake());
			const [session] = fake().addSessions(1);
			fake().addFault({
				route: ROUTES.closeSession,
				kind: 'redirect',
				status,
				location: `${foreign.url}${ROUTES.closeSession.split(' ')[1]}`,
			});

			const error = await failureOf(run(closeSession(session._id), { credentials }));

			expect(foreign.requests).toHaveLength(0);
			expect(foreign.requestsCarrying(secretsOf(credentials))).toHaveLength(0);
			expect(error.message).toBe(
				`Akool's address answered with a redirect (HTTP ${status}) to ${foreign.url}/api/open/v4/liveAvatar/session/close`,
			);
			expect(error.description).toContain('does not follow redirects');
			expect(error.description).toContain('Base URL');
		});
	});

	it('does not follow a redirect of the token exchange, so the client secret stays home', async () => {
		const credentials = credentialsFor.clientCredentials(fake());
		fake().addFault({
			route: ROUTES.getToken,
			kind: 'redirect',
			status: 307,
			location: `${foreign.url}/api/open/v3/getToken`,
			times: Infinity,
		});

		const error = await failureOf(run(closeSession('6698c9d69cf7b0d61d1b6420'), { credentials }));

		expect(foreign.requests).toHaveLength(0);
		expect(error.message).toBe(
			"Akool's address answered the token exchange with a redirect (HTTP 307)",
		);
		expect(fake().requestsTo(ROUTES.closeSession)).toHaveLength(0);
	});

	describe('the Base URL', () => {
		it('refuses plain http to a host that is not this machine, before any request', async () => {
			const error = await failureOf(
				run(closeSession('abc'), {
					credentials: { ...credentialsFor.apiKey(fake()), baseUrl: 'http://akool-proxy.example' },
				}),
			);

			expect(error.message).toBe(
				'The Base URL of the Akool API credential uses plain http to akool-proxy.example',
			);
			expect(error.description).toContain('Allow Insecure HTTP');
			expect(fake().requests).toHaveLength(0);
		});

		it('allows plain http to a remote host only with Allow Insecure HTTP on', () => {
			const credentials = { baseUrl: 'http://akool-proxy.example/', allowInsecureHttp: true };

			expect(checkBaseUrl(credentials)).toBe('http://akool-proxy.example');
			expect(checkBaseUrl({ baseUrl: 'http://127.0.0.1:3900' })).toBe('http://127.0.0.1:3900');
			expect(checkBaseUrl({ baseUrl: 'http://localhost:3900' })).toBe('http://localhost:3900');
		});

		it('refuses a user name or password, without repeating them', async () => {
			const error = await failureOf(
				run(closeSession('abc'), {
					credentials: {
						...credentialsFor.apiKey(fake()),
						baseUrl: 'https://alice:hunter2-secret@openapi.akool.com',
					},
				}),
			);

			expect(error.message).toBe(
				'The Base URL of the Akool API credential contains a user name or password',
			);
			expect(JSON.stringify({ ...error, m: error.message, d: error.description })).not.toMatch(
				/hunter2|alice/,
			);
			expect(fake().requests).toHaveLength(0);
		});

		it('uses Akool’s own address when the field is empty', () => {
			expect(checkBaseUrl({ baseUrl: '  ' })).toBe('https://openapi.akool.com');
			expect(checkBaseUrl({ baseUrl: 'ftp://x' })).toBeInstanceOf(BaseUrlError);
		});
	});
});
