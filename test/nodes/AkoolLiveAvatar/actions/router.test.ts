import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SESSION_STATUS } from '../../../fake-akool/server';
import { nodeRunner, useFakeAkool } from '../../../harness/fakeAkool';
import { closeSession } from '../../../harness/parameters';

const CLOSE = 'POST /api/open/v4/liveAvatar/session/close';

describe('the router: one request and one result per input item', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);

	const closeEach = (items: Array<{ _id: unknown }>, continueOnFail = false) =>
		run(closeSession('={{ $json._id }}'), { items, continueOnFail });

	it("closes every item's session, in order, each output paired with its input", async () => {
		const sessions = fake().addSessions(5);

		const { items } = await closeEach(sessions);

		expect(
			fake()
				.requestsTo(CLOSE)
				.map((r) => r.body.id),
		).toEqual(sessions.map((s) => s._id));
		expect(items).toEqual(
			sessions.map((s, i) => ({
				json: { sessionId: s._id, alreadyClosed: false },
				pairedItem: { item: i },
			})),
		);
		expect(
			[...fake().state.sessions.values()].every((s) => s.status === SESSION_STATUS.completed),
		).toBe(true);
	});

	describe('with "Continue On Fail"', () => {
		it('turns each failed item into an error item in its place and still runs the others: N in, N out', async () => {
			const [a, b, c] = fake().addSessions(3);
			const input = [
				{ _id: a._id },
				{ _id: '   ' },
				{ _id: b._id },
				{ _id: 'no-such-session' },
				{ _id: { nested: 1 } },
				{ _id: c._id },
			];

			const { items } = await closeEach(input, true);

			expect(items.map((i) => i.pairedItem)).toEqual(input.map((_, item) => ({ item })));
			expect(items.map((i) => i.json)).toEqual([
				{ sessionId: a._id, alreadyClosed: false },
				{
					error: 'Session ID is empty',
					description: expect.stringContaining('Session → Create'),
				},
				{ sessionId: b._id, alreadyClosed: false },
				{
					error: 'The session does not exist',
					description: expect.stringContaining('_id returned by Create Session'),
					akoolCode: 1216,
				},
				{
					error: 'Session ID must be text, but is an object',
					description: expect.any(String),
				},
				{ sessionId: c._id, alreadyClosed: false },
			]);
			// The invalid IDs never reached Akool; the unknown one did and was refused.
			expect(
				fake()
					.requestsTo(CLOSE)
					.map((r) => r.body.id),
			).toEqual([a._id, b._id, 'no-such-session', c._id]);
		});
	});

	describe('without "Continue On Fail"', () => {
		it('stops at the first failed item with an error that names it, leaving later items untouched', async () => {
			const [a, b] = fake().addSessions(2);

			const error = await closeEach([{ _id: a._id }, { _id: '' }, { _id: b._id }]).catch(
				(e: unknown) => e,
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).message).toBe('Session ID is empty');
			expect(
				fake()
					.requestsTo(CLOSE)
					.map((r) => r.body.id),
			).toEqual([a._id]);
			expect(fake().state.sessions.get(b._id)?.status).toBe(SESSION_STATUS.processing);
		});

		it('keeps an Akool error a NodeApiError, with its code in the error context', async () => {
			const error = await closeEach([{ _id: 'no-such-session' }]).catch((e: unknown) => e);

			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).context.akoolCode).toBe(1216);
			expect((error as NodeApiError).context.itemIndex).toBe(0);
		});
	});

	describe('several items at a time ("Concurrency" in Request Options)', () => {
		const closeMany = (
			sessionIds: string[],
			requestOptions: Record<string, unknown>,
			continueOnFail = false,
		) =>
			run(
				{
					...closeSession('={{ $json._id }}'),
					requestOptions: { retryDelay: 1, ...requestOptions },
				},
				{ items: sessionIds.map((_id) => ({ _id })), continueOnFail },
			);

		it('keeps the input order and pairing although answers arrive out of order', async () => {
			const sessions = fake().addSessions(8);
			// The first items answer slowest, so they finish last.
			sessions.forEach((s, i) =>
				fake().addFault({
					route: 'session/close',
					kind: 'delay',
					ms: (8 - i) * 15,
					when: (r) => r.body.id === s._id,
				}),
			);

			const { items } = await closeMany(
				sessions.map((s) => s._id),
				{ concurrency: 8 },
			);

			expect(items).toEqual(
				sessions.map((s, i) => ({
					json: { sessionId: s._id, alreadyClosed: false },
					pairedItem: { item: i },
				})),
			);
			const arrival = fake()
				.requestsTo(CLOSE)
				.map((r) => r.body.id);
			expect(arrival.slice(0, 8).sort()).toEqual(sessions.map((s) => s._id).sort());
		});

		it('never has more items in flight than allowed', async () => {
			const sessions = fake().addSessions(12);
			let most = 0;
			fake().addFault({
				route: 'session/close',
				kind: 'delay',
				ms: 20,
				times: Infinity,
				// On arrival, every close not answered yet (this one included) is in flight.
				when: () => {
					most = Math.max(
						most,
						fake()
							.requestsTo(CLOSE)
							.filter((r) => r.code === undefined).length,
					);
					return true;
				},
			});

			await closeMany(
				sessions.map((s) => s._id),
				{ concurrency: 3 },
			);

			expect(most).toBe(3);
		});

		it('slows down instead of failing when Akool answers "too frequent" (1005)', async () => {
			const sessions = fake().addSessions(40);
			fake().config.rateLimit = { perSecond: 15, answer: '1005' };

			const { items } = await closeMany(
				sessions.map((s) => s._id),
				{ concurrency: 10, retryDelay: 200, maxAttempts: 10 },
			);

			expect(items.map((i) => i.json)).toEqual(
				sessions.map((s) => ({ sessionId: s._id, alreadyClosed: false })),
			);
			const refused = fake()
				.requestsTo(CLOSE)
				.filter((r) => r.code === 1005).length;
			expect(refused).toBeGreaterThan(0);
			// Every refused request was retried; the rest of the requests closed one session each.
			expect(fake().requestsTo(CLOSE)).toHaveLength(40 + refused);
		});

		it('without "Continue On Fail", starts no new item after a failure and throws the first failed item\'s error', async () => {
			const sessions = fake().addSessions(10);
			const ids = sessions.map((s) => s._id);
			ids[2] = 'no-such-session';

			const error = await closeMany(ids, { concurrency: 2 }).catch((e: unknown) => e);

			expect((error as Error).message).toBe('The session does not exist');
			expect(fake().requestsTo(CLOSE).length).toBeLessThan(10);
		});

		it('with "Continue On Fail", still gives N results for N items in order', async () => {
			const sessions = fake().addSessions(6);
			const ids = sessions.map((s) => s._id);
			ids[1] = 'no-such-session';
			ids[4] = ' ';

			const { items } = await closeMany(ids, { concurrency: 4 }, true);

			expect(items.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
			expect(items.map((i) => ('error' in i.json ? 'error' : i.json.sessionId))).toEqual([
				ids[0],
				'error',
				ids[2],
				ids[3],
				'error',
				ids[5],
			]);
		});
	});

	it("returns an error as an item the model can read when the node runs as an AI Agent's tool", async () => {
		const { items } = await run(closeSession('6698c9d69cf7b0d61d1b6420'), { asTool: true });

		expect(items).toEqual([
			{
				json: {
					error: 'The session does not exist',
					description: expect.stringContaining('Akool code 1216'),
					akoolCode: 1216,
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});
