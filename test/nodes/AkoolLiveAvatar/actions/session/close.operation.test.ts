import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SESSION_STATUS } from '../../../../fake-akool/server';
import { nodeRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { closeSession } from '../../../../harness/parameters';

const CLOSE = 'POST /api/open/v4/liveAvatar/session/close';

describe('Session → Close', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);

	it('closes the session: Akool receives its ID under both `id` and `session_id`, and it is closed', async () => {
		const [session] = fake().addSessions(1);

		const { items } = await run(closeSession(session._id));

		expect(
			fake()
				.requestsTo(CLOSE)
				.map((r) => r.body),
		).toEqual([{ id: session._id, session_id: session._id }]);
		expect(fake().state.sessions.get(session._id)?.status).toBe(SESSION_STATUS.completed);
		expect(items).toEqual([
			{ json: { sessionId: session._id, alreadyClosed: false }, pairedItem: { item: 0 } },
		]);
	});

	it('maps the session ID from the previous step by expression', async () => {
		const [session] = fake().addSessions(1);

		const { items } = await run(closeSession('={{ $json._id }}'), {
			items: [{ _id: session._id, status: 1 }],
		});

		expect(fake().requestsTo(CLOSE)[0].body.id).toBe(session._id);
		expect(items[0].json.sessionId).toBe(session._id);
	});

	it('removes spaces around a pasted ID', async () => {
		const [session] = fake().addSessions(1);

		await run(closeSession(`  ${session._id}\n`));

		expect(fake().requestsTo(CLOSE)[0].body.id).toBe(session._id);
	});

	it("outputs the fields of Akool's `data` as Akool names them when it sends some, and the node's sessionId and alreadyClosed", async () => {
		// The shape the hand-written sample on Akool's close-session page shows (the schema has no `data`).
		const data = {
			session_id: 'whatever Akool says',
			status: 'closed',
			closed_at: '2026-01-01T00:00:00Z',
		};
		fake().addFault({
			kind: 'reply',
			route: 'session/close',
			body: { code: 1000, msg: 'OK', data },
		});

		const { items } = await run(closeSession('6698c9d69cf7b0d61d1b6420'));

		expect(items[0].json).toEqual({
			...data,
			sessionId: '6698c9d69cf7b0d61d1b6420',
			alreadyClosed: false,
		});
	});

	it('returns the whole envelope with "Return Full Response"', async () => {
		const [session] = fake().addSessions(1);

		const { items } = await run(closeSession(session._id, { fullResponse: true }));

		expect(items[0].json).toEqual({
			code: 1000,
			msg: 'OK',
			sessionId: session._id,
			alreadyClosed: false,
		});
	});

	describe('a session that is already closed (Akool code 1219)', () => {
		it('fails the item by default, saying so and how to accept it', async () => {
			const [session] = fake().addSessions(1, SESSION_STATUS.completed);

			const error = await run(closeSession(session._id)).catch((e: unknown) => e);

			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).message).toBe('The session is already closed');
			expect((error as NodeApiError).description).toContain('Succeed If Already Closed');
		});

		it('succeeds with alreadyClosed: true when "Succeed If Already Closed" is on', async () => {
			const [session] = fake().addSessions(1, SESSION_STATUS.completed);

			const { items } = await run(closeSession(session._id, { succeedIfAlreadyClosed: true }));

			expect(items).toEqual([
				{ json: { sessionId: session._id, alreadyClosed: true }, pairedItem: { item: 0 } },
			]);
		});

		it('still reports other codes as errors with that option on', async () => {
			const error = await run(
				closeSession('6698c9d69cf7b0d61d1b6420', { succeedIfAlreadyClosed: true }),
			).catch((e: unknown) => e);

			expect((error as NodeApiError).message).toBe('The session does not exist');
			expect((error as NodeApiError).description).toContain('_id returned by Create Session');
		});
	});

	describe.each([
		['an empty ID', '', 'Session ID is empty'],
		['a whitespace-only ID', '  \t ', 'Session ID is empty'],
		['a number', 12345, 'Session ID must be text, but is a number'],
		[
			'an object (an expression that resolved to the whole item)',
			'={{ $json }}',
			'Session ID must be text, but is an object',
		],
		[
			'null (an expression that found nothing)',
			'={{ $json.missing ?? null }}',
			'Session ID is empty',
		],
	])('with %s', (_what, value, message) => {
		it('fails before sending anything, naming the item and the fix', async () => {
			const error = await run(closeSession(value), { items: [{ _id: 'abc' }] }).catch(
				(e: unknown) => e,
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).message).toBe(message);
			expect((error as NodeOperationError).description).toContain(
				'the _id that Session → Create returned',
			);
			expect(fake().requests).toHaveLength(0);
		});
	});
});
