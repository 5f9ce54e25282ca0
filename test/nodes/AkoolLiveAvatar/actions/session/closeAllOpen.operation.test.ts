import { NodeOperationError } from 'n8n-workflow';

import { MAX_CLOSE_ROUNDS } from '../../../../../nodes/AkoolLiveAvatar/actions/session/closeAllOpen.operation';
import { ROUTES, SESSION_STATUS } from '../../../../fake-akool/server';
import { failureOf } from '../../../../harness/failureOf';
import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';

const { listSessions: LIST, closeSession: CLOSE } = ROUTES;
const OPEN: number[] = [SESSION_STATUS.queueing, SESSION_STATUS.processing];

describe('Session → Close All Open', () => {
	const fake = useFakeAkool();
	const run = operationRunner(fake, 'session', 'closeAllOpen');
	const statusOf = (id: string) => fake().state.sessions.get(id)?.status;
	const openLeft = () => [...fake().state.sessions.values()].filter((s) => OPEN.includes(s.status));
	const closedEntry = (id: string, previousStatus: number, alreadyClosed = false, round = 1) => ({
		_id: id,
		previousStatus,
		alreadyClosed,
		round,
	});

	it('closes exactly the queueing and processing sessions, leaves the others alone, and says how many in how many rounds', async () => {
		const queueing = fake().addSessions(2, SESSION_STATUS.queueing);
		const processing = fake().addSessions(3, SESSION_STATUS.processing);
		const completed = fake().addSessions(2, SESSION_STATUS.completed);
		const failed = fake().addSessions(1, SESSION_STATUS.failed);

		const { items } = await run();

		expect(openLeft()).toEqual([]);
		expect(
			[...completed, ...failed].map((s) => fake().state.sessions.get(s._id)?.closeCalls),
		).toEqual([0, 0, 0]);
		expect(statusOf(failed[0]._id)).toBe(SESSION_STATUS.failed);
		expect(
			fake()
				.requestsTo(CLOSE)
				.map((r) => r.body),
		).toEqual([...queueing, ...processing].map((s) => ({ id: s._id, session_id: s._id })));
		expect(items).toEqual([
			{
				json: {
					closed: 5,
					rounds: 1,
					sessions: [
						...queueing.map((s) => closedEntry(s._id, SESSION_STATUS.queueing)),
						...processing.map((s) => closedEntry(s._id, SESSION_STATUS.processing)),
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('lists every page of open sessions before closing any, then lists again to prove none is left', async () => {
		const open = fake().addSessions(230, SESSION_STATUS.processing);

		const { items } = await run();

		const requests = fake().requests.map((r) =>
			r.route === LIST ? `list ${r.query.status}/${r.query.page}` : 'close',
		);
		expect(requests).toEqual([
			'list 1/1',
			'list 2/1',
			'list 2/2',
			'list 2/3',
			...Array(230).fill('close'),
			'list 1/1',
			'list 2/1',
		]);
		expect(open.every((s) => statusOf(s._id) === SESSION_STATUS.completed)).toBe(true);
		expect(items[0].json).toMatchObject({ closed: 230, rounds: 1 });
	});

	it('leaves none of 85 open sessions open when Akool serves at most 20 per page', async () => {
		fake().config.maxPageSize = 20;
		fake().addSessions(40, SESSION_STATUS.queueing);
		fake().addSessions(45, SESSION_STATUS.processing);

		const { items } = await run();

		expect(openLeft()).toEqual([]);
		expect(items[0].json).toMatchObject({ closed: 85 });
		expect(fake().requestsTo(CLOSE)).toHaveLength(85);
	});

	it('closes sessions that were opened while it ran, in a later round', async () => {
		fake().addSessions(3, SESSION_STATUS.processing);
		fake().config.openOnClose = { count: 2, times: 1 };

		const { items } = await run();

		expect(openLeft()).toEqual([]);
		expect(items[0].json).toMatchObject({ closed: 5, rounds: 2 });
	});

	it.each(['status3', 'gone'] as const)(
		'ends with none open whether closed sessions keep status 3 or leave the list (%s)',
		async (closedSessions) => {
			fake().config.closedSessions = closedSessions;
			fake().addSessions(25, SESSION_STATUS.processing);

			const { items } = await run();

			expect(openLeft()).toEqual([]);
			expect(items[0].json).toMatchObject({ closed: 25, rounds: 1 });
		},
	);

	it(`fails, naming the sessions, when some are still listed as open after ${MAX_CLOSE_ROUNDS} rounds`, async () => {
		const [stubborn] = fake().addSessions(1, SESSION_STATUS.processing);
		// A list that keeps reporting the session as open, whatever the close said.
		fake().addFault({
			kind: 'reply',
			route: LIST,
			times: Infinity,
			when: (r) => r.query.status === String(SESSION_STATUS.processing),
			body: {
				code: 1000,
				msg: 'OK',
				data: { count: 1, result: [{ _id: stubborn._id, status: 2 }] },
			},
		});

		const error = await failureOf(run());

		expect(error.message).toBe(
			`1 session is still open after ${MAX_CLOSE_ROUNDS} rounds of closing`,
		);
		expect(error.description).toContain(stubborn._id);
		expect(fake().requestsTo(CLOSE)).toHaveLength(MAX_CLOSE_ROUNDS);
	});

	it('outputs { closed: 0, rounds: 0 } when no session is open, without closing anything', async () => {
		fake().addSessions(3, SESSION_STATUS.completed);

		const { items } = await run();

		expect(items).toEqual([
			{ json: { closed: 0, rounds: 0, sessions: [] }, pairedItem: { item: 0 } },
		]);
		expect(fake().requestsTo(CLOSE)).toHaveLength(0);
	});

	it('counts a session closed by someone else meanwhile (1219) as closed, with alreadyClosed: true', async () => {
		const [first, second] = fake().addSessions(2, SESSION_STATUS.processing);
		fake().addFault({
			kind: 'code',
			code: 1219,
			route: 'session/close',
			when: (r) => r.body.id === first._id,
		});
		// The fault answered for the first session without closing it: someone else did.
		fake().addFault({
			kind: 'delay',
			ms: 0,
			route: 'session/close',
			when: () => {
				fake().state.sessions.get(first._id)!.status = SESSION_STATUS.completed;
				return false;
			},
		});

		const { items } = await run();

		expect(items[0].json.sessions).toEqual([
			closedEntry(first._id, SESSION_STATUS.processing, true),
			closedEntry(second._id, SESSION_STATUS.processing),
		]);
	});

	it('counts a session that moved from queueing to processing between the two lists once', async () => {
		const [moving] = fake().addSessions(1, SESSION_STATUS.queueing);
		fake().addFault({
			kind: 'delay',
			ms: 0,
			route: 'session/list',
			when: (r) => {
				// Akool starts the session just after the node listed the queueing ones.
				const session = fake().state.sessions.get(moving._id)!;
				if (r.query.status === String(SESSION_STATUS.processing) && session.status === 1) {
					session.status = SESSION_STATUS.processing;
				}
				return false;
			},
			times: Infinity,
		});

		const { items } = await run();

		expect(fake().requestsTo(CLOSE)).toHaveLength(1);
		expect(items[0].json.sessions).toEqual([closedEntry(moving._id, SESSION_STATUS.processing)]);
	});

	describe('when a session cannot be closed', () => {
		it('still closes all the others, then fails the item naming the session and the reason', async () => {
			const [a, stuck, c] = fake().addSessions(3, SESSION_STATUS.processing);
			fake().addFault({
				kind: 'code',
				code: 1009,
				msg: 'permission denied',
				route: 'session/close',
				times: Infinity,
				when: (r) => r.body.id === stuck._id,
			});

			const error = await failureOf(run());

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Could not close 1 open session');
			expect(error.description).toBe(
				`Closed 2. Failed: ${stuck._id}: The credential has no permission for this resource. Run the node again to close the ones left open.`,
			);
			expect([a, stuck, c].map((s) => statusOf(s._id))).toEqual([
				SESSION_STATUS.completed,
				SESSION_STATUS.processing,
				SESSION_STATUS.completed,
			]);
		});

		it('with "Continue On Fail", outputs an error item paired with the input item', async () => {
			const [stuck] = fake().addSessions(1, SESSION_STATUS.queueing);
			fake().addFault({
				kind: 'code',
				code: 1009,
				route: 'session/close',
				times: Infinity,
				when: (r) => r.body.id === stuck._id,
			});

			const { items } = await run({}, { continueOnFail: true });

			expect(items).toEqual([
				{
					json: {
						error: 'Could not close 1 open session',
						description: expect.stringContaining(stuck._id),
					},
					pairedItem: { item: 0 },
				},
			]);
		});
	});

	it('fails without closing anything when the sessions cannot be listed', async () => {
		fake().addSessions(2, SESSION_STATUS.processing);
		fake().addFault({ kind: 'code', code: 1101, route: 'session/list' });

		const error = await failureOf(run());

		expect(error.message).toBe('Akool rejected the credential');
		expect(fake().requestsTo(CLOSE)).toHaveLength(0);
	});

	it('runs once per input item: a second item finds nothing left to close', async () => {
		fake().addSessions(2, SESSION_STATUS.processing);

		const { items } = await run({}, { items: [{}, {}] });

		expect(items.map((i) => [i.json.closed, i.pairedItem])).toEqual([
			[2, { item: 0 }],
			[0, { item: 1 }],
		]);
	});
});
