import { NodeApiError } from 'n8n-workflow';

import { AKOOL_ERROR_HINTS } from '../../../../nodes/AkoolLiveAvatar/transport/akoolCodes';
import { startFakeAkool, type Fault } from '../../../fake-akool/server';
import { nodeRunner, useFakeAkool } from '../../../harness/fakeAkool';
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
		return await run({ ...closeSession(session._id), ...NO_RETRIES }).catch(
			(e: unknown) => e as NodeApiError,
		);
	};

	describe('Akool business codes (HTTP 200, code ≠ 1000)', () => {
		const codes = [1003, 1005, 1101, 1102, 1104, 1215, 1216, 1219, 2001];

		it.each(codes)(
			'code %i fails with what Akool said, the item, and the hint from AKOOL_ERROR_HINTS',
			async (code) => {
				const error = await closeWith({ kind: 'code', code, msg: `message for ${code}` });

				expect(error).toBeInstanceOf(NodeApiError);
				expect((error as NodeApiError).message).toBe(
					`Akool returned code ${code}: message for ${code} [item 0]`,
				);
				expect((error as NodeApiError).description).toBe(AKOOL_ERROR_HINTS[code].hint);
				expect((error as NodeApiError).context.akoolCode).toBe(code);
			},
		);

		it('falls back to the documented meaning when msg is empty', async () => {
			const error = await closeWith({ kind: 'code', code: 1104, msg: '' });

			expect((error as NodeApiError).message).toBe(
				'Akool returned code 1104: Insufficient credit balance [item 0]',
			);
		});

		it('points to the error-code page for a code it does not know', async () => {
			const error = await closeWith({ kind: 'code', code: 4242, msg: 'new failure' });

			expect((error as NodeApiError).message).toBe(
				'Akool returned code 4242: new failure [item 0]',
			);
			expect((error as NodeApiError).description).toContain(
				'https://docs.akool.com/ai-tools-suite/error-code',
			);
		});
	});

	describe('answers that are not an Akool envelope', () => {
		it('quotes the HTTP status and the start of an HTML error page', async () => {
			const error = await closeWith({ kind: 'http', status: 502 });

			expect((error as NodeApiError).message).toMatch(
				/^Akool answered HTTP 502: "<html><head><title>502 Bad Gateway<\/title>.*" \[item 0\]$/,
			);
			expect((error as NodeApiError).httpCode).toBe('502');
			expect((error as NodeApiError).description).toContain('usually temporary');
		});

		it('says when the body is empty', async () => {
			const error = await closeWith({ kind: 'empty' });

			expect((error as NodeApiError).message).toBe(
				"Akool's answer is not JSON (HTTP 200): (empty body) [item 0]",
			);
		});

		it('quotes truncated JSON', async () => {
			const error = await closeWith({ kind: 'malformed' });

			expect((error as NodeApiError).message).toBe(
				'Akool\'s answer is not JSON (HTTP 200): "{"code":1000,"msg":"OK","data":{"_id":"6698c9" [item 0]',
			);
		});

		it('says when JSON has no code', async () => {
			const error = await closeWith({ kind: 'noCode' });

			expect((error as NodeApiError).message).toBe(
				'Akool\'s answer has no "code" field (HTTP 200): "{"message":"upstream answered without an envelope"}" [item 0]',
			);
		});

		it('reports an envelope that came with an HTTP error status by its code', async () => {
			const error = await closeWith({
				kind: 'reply',
				status: 400,
				body: { code: 1003, msg: 'id is required' },
			});

			expect((error as NodeApiError).message).toBe(
				'Akool returned code 1003: id is required [item 0]',
			);
		});

		it('says the connection was closed when it drops before answering', async () => {
			const error = await closeWith({ kind: 'drop' });

			expect((error as NodeApiError).message).toBe(
				`Could not reach Akool at ${fake().url}: the connection was closed before Akool answered [item 0]`,
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
			`Could not reach Akool at ${closed.url}: the connection was refused [item 0]`,
		);
		expect((error as NodeApiError).description).toContain('ECONNREFUSED');
		expect((error as NodeApiError).description).toContain('base URL');
	});

	it('accepts a base URL with a trailing slash', async () => {
		const [session] = fake().addSessions(1);

		const { items } = await run(closeSession(session._id), {
			credentials: { ...credentialsFor.apiKey(fake()), baseUrl: `${fake().url}/` },
		});

		expect(items[0].json.session_id).toBe(session._id);
	});
});
