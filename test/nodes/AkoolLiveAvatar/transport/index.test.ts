import { NodeApiError } from 'n8n-workflow';

import { describeAkoolCode } from '../../../../nodes/AkoolLiveAvatar/transport';
import { startFakeAkool, type FakeAkool, type Fault } from '../../../fake-akool/server';
import { nodeRunner, useFakeAkool } from '../../../harness/fakeAkool';
import { failureOf } from '../../../harness/failureOf';
import { closeSession } from '../../../harness/parameters';
import { credentialsFor, runNode } from '../../../harness/runNode';

/**
 * The transport is the only code that talks HTTP. These specs drive it through a real node execution
 * (Session → Close) against the fake Akool server, so n8n-core's real request helper runs underneath.
 */
/** Each answer on its own: the retry policy has its own specs (reliability.test.ts). */
const NO_RETRIES = { requestOptions: { maxAttempts: 1 } };

describe('transport: what comes back from Akool', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);

	const closeWith = async (fault: Fault) => {
		const [session] = fake().addSessions(1);
		fake().addFault({ route: 'session/close', ...fault });
		return await failureOf<NodeApiError>(run({ ...closeSession(session._id), ...NO_RETRIES }));
	};

	describe('Akool business codes (HTTP 200, code ≠ 1000)', () => {
		const codes = [1003, 1005, 1101, 1102, 1104, 1215, 1216, 1219, 2001];
		const CLOSE = 'POST /api/open/v4/liveAvatar/session/close';

		it.each(codes)(
			"code %i fails with our headline and hint, and Akool's code, words, HTTP status and endpoint in the details",
			async (code) => {
				const error = await closeWith({ kind: 'code', code, msg: `message for ${code}` });
				const { headline, hint } = describeAkoolCode(code, 'apiKey');

				expect(error).toBeInstanceOf(NodeApiError);
				expect((error as NodeApiError).message).toBe(headline);
				expect((error as NodeApiError).description).toBe(
					`${hint}\n\nAkool code ${code} · Akool said: "message for ${code}" · HTTP 200 · ${CLOSE}`,
				);
				expect((error as NodeApiError).context.akoolCode).toBe(code);
			},
		);

		it('says in our words what the commonest codes mean', async () => {
			expect((await closeWith({ kind: 'code', code: 1216 })).message).toBe(
				'The session does not exist',
			);
			expect((await closeWith({ kind: 'code', code: 1219 })).message).toBe(
				'The session is already closed',
			);
			expect((await closeWith({ kind: 'code', code: 1101 })).message).toBe(
				'Akool rejected the credential',
			);
		});

		it.each([
			['apiKey', 'API key', (f: FakeAkool) => credentialsFor.apiKey(f, 'wrong-key')],
			[
				'bearerToken',
				'bearer token',
				(f: FakeAkool) => credentialsFor.bearerToken(f, 'unknown-token'),
			],
		] as const)(
			'gives advice for the auth method in use (%s)',
			async (_method, words, credentials) => {
				const [session] = fake().addSessions(1);
				const error = await failureOf<NodeApiError>(
					run(
						{ ...closeSession(session._id), ...NO_RETRIES },
						{ credentials: credentials(fake()) },
					),
				);

				expect(error.message).toBe('Akool rejected the credential');
				expect(error.description).toContain(words);
				expect(error.description).not.toContain('client ID');
			},
		);

		it("hides the API key when Akool's message echoes it, even cut or in part", async () => {
			const apiKey = fake().config.apiKeys[0];
			const error = await closeWith({
				kind: 'code',
				code: 1101,
				msg: `invalid key ${apiKey}; first part ${apiKey.slice(0, 9)}; ${'x'.repeat(190)}${apiKey}`,
			});

			expect(JSON.stringify(error)).not.toContain(apiKey.slice(0, 8));
			expect((error as NodeApiError).description).toContain('invalid key ***');
		});

		it('points to the error-code page for a code it does not know', async () => {
			const error = await closeWith({ kind: 'code', code: 4242, msg: 'new failure' });

			expect((error as NodeApiError).message).toBe('Akool refused the request (code 4242)');
			expect((error as NodeApiError).description).toContain(
				'https://docs.akool.com/ai-tools-suite/error-code',
			);
			expect((error as NodeApiError).description).toContain('Akool said: "new failure"');
		});
	});

	describe('answers that are not an Akool envelope', () => {
		it('quotes the HTTP status and the start of an HTML error page', async () => {
			const error = await closeWith({ kind: 'http', status: 502 });

			expect((error as NodeApiError).message).toBe('Akool answered HTTP 502');
			expect((error as NodeApiError).description).toMatch(
				/It answered: "<html><head><title>502 Bad Gateway<\/title>.*"/,
			);
			expect((error as NodeApiError).httpCode).toBe('502');
			expect((error as NodeApiError).description).toContain('usually temporary');
		});

		it('says when the body is empty', async () => {
			const error = await closeWith({ kind: 'empty' });

			expect((error as NodeApiError).message).toBe("Akool's answer is not JSON (HTTP 200)");
			expect((error as NodeApiError).description).toContain('got (empty)');
		});

		it('quotes truncated JSON', async () => {
			const error = await closeWith({ kind: 'malformed' });

			expect((error as NodeApiError).message).toBe("Akool's answer is not JSON (HTTP 200)");
			expect((error as NodeApiError).description).toContain(
				'got "{"code":1000,"msg":"OK","data":{"_id":"6698c9"',
			);
		});

		it('says when JSON has no code', async () => {
			const error = await closeWith({ kind: 'noCode' });

			expect((error as NodeApiError).message).toBe(
				'Akool\'s answer has no "code" field (HTTP 200)',
			);
			expect((error as NodeApiError).description).toContain(
				'got "{"message":"upstream answered without an envelope"}"',
			);
		});

		it('reports an envelope that came with an HTTP error status by its code', async () => {
			const error = await closeWith({
				kind: 'reply',
				status: 400,
				body: { code: 1003, msg: 'id is required' },
			});

			expect((error as NodeApiError).message).toBe(
				'Akool rejected a parameter as missing or invalid',
			);
		});

		it('says the connection was closed when it drops before answering', async () => {
			const error = await closeWith({ kind: 'drop' });

			expect((error as NodeApiError).message).toBe(
				`Could not reach Akool at ${fake().url}: the connection was closed before Akool answered`,
			);
			expect((error as NodeApiError).description).toContain('ECONNRESET');
		});
	});

	it('says the connection was refused when nothing listens at the base URL', async () => {
		const closed = await startFakeAkool();
		await closed.close();

		const error = await runNode({
			parameters: { ...closeSession('6698c9d69cf7b0d61d1b6420'), ...NO_RETRIES },
			credentials: credentialsFor.apiKey(closed),
		}).catch((e: unknown) => e);

		expect((error as NodeApiError).message).toBe(
			`Could not reach Akool at ${closed.url}: the connection was refused`,
		);
		expect((error as NodeApiError).description).toContain('ECONNREFUSED');
		expect((error as NodeApiError).description).toContain('Base URL');
	});

	it('accepts a base URL with a trailing slash', async () => {
		const [session] = fake().addSessions(1);

		const { items } = await run(closeSession(session._id), {
			credentials: { ...credentialsFor.apiKey(fake()), baseUrl: `${fake().url}/` },
		});

		expect(items[0].json.sessionId).toBe(session._id);
	});
});
