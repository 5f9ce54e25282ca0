import { NodeOperationError } from 'n8n-workflow';

import { SESSION_STATUS } from '../../../../fake-akool/server';
import { failureOf } from '../../../../harness/failureOf';
import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';

const LIST = 'GET /api/open/v4/liveAvatar/session/list';
const CLOSE = 'POST /api/open/v4/liveAvatar/session/close';

describe('Session → Close All Open', () => {
	const fake = useFakeAkool();
	const run = operationRunner(fake, 'session', 'closeAllOpen');
	const statusOf = (id: string) => fake().state.sessions.get(id)?.status;

	it('closes exactly the queueing and processing sessions and leaves the others alone', async () => {
		const queueing = fake().addSessions(2, SESSION_STATUS.queueing);
		const processing = fake().addSessions(3, SESSION_STATUS.processing);
		const completed = fake().addSessions(2, SESSION_STATUS.completed);
		const failed = fake().addSessions(1, SESSION_STATUS.failed);

		const { items } = await run();

		expect([...queueing, ...processing].map((s) => statusOf(s._id))).toEqual(
			Array(5).fill(SESSION_STATUS.completed),
		);
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
			...queueing.map((s) => ({
				json: { session_id: s._id, previousStatus: SESSION_STATUS.queueing, alreadyClosed: false },
				pairedItem: { item: 0 },
			})),
			...processing.map((s) => ({
				json: {
					session_id: s._id,
					previousStatus: SESSION_STATUS.processing,
					alreadyClosed: false,
				},
				pairedItem: { item: 0 },
			})),
		]);
	});

	it('lists every page of open sessions before closing any, so that none is skipped', async () => {
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
		]);
		expect(open.every((s) => statusOf(s._id) === SESSION_STATUS.completed)).toBe(true);
		expect(items).toHaveLength(230);
	});

	it('outputs a single { closed: 0 } item when no session is open, without closing anything', async () => {
		fake().addSessions(3, SESSION_STATUS.completed);

		const { items } = await run();

		expect(items).toEqual([{ json: { closed: 0 }, pairedItem: { item: 0 } }]);
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

		const { items } = await run();

		expect(items.map((i) => i.json)).toEqual([
			{ session_id: first._id, previousStatus: SESSION_STATUS.processing, alreadyClosed: true },
			{ session_id: second._id, previousStatus: SESSION_STATUS.processing, alreadyClosed: false },
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
				if (r.query.status === String(SESSION_STATUS.processing))
					fake().state.sessions.get(moving._id)!.status = SESSION_STATUS.processing;
				return false;
			},
			times: Infinity,
		});

		const { items } = await run();

		expect(fake().requestsTo(CLOSE)).toHaveLength(1);
		expect(items.map((i) => i.json)).toEqual([
			{ session_id: moving._id, previousStatus: SESSION_STATUS.processing, alreadyClosed: false },
		]);
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
			expect(error.message).toBe('Could not close 1 of 3 open sessions [item 0]');
			expect(error.description).toBe(
				`Closed 2. Failed: ${stuck._id}: Akool returned code 1009: permission denied. Run the node again to close the ones left open.`,
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
						error: 'Could not close 1 of 1 open sessions [item 0]',
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

		expect(error.message).toBe(
			'Akool returned code 1101: Invalid authorization or The request token has expired [item 0]',
		);
		expect(fake().requestsTo(CLOSE)).toHaveLength(0);
	});

	it('runs once per input item: a second item finds nothing left to close', async () => {
		const open = fake().addSessions(2, SESSION_STATUS.processing);

		const { items } = await run({}, { items: [{}, {}] });

		expect(items.map((i) => [i.json.session_id ?? i.json, i.pairedItem])).toEqual([
			[open[0]._id, { item: 0 }],
			[open[1]._id, { item: 0 }],
			[{ closed: 0 }, { item: 1 }],
		]);
	});
});
