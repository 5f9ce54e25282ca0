import { NodeOperationError } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { SESSION_STATUS } from '../../../../fake-akool/server';
import { failureOf } from '../../../../harness/failureOf';
import { nodeRunner, useFakeAkool } from '../../../../harness/fakeAkool';

const LIST = 'GET /api/open/v4/liveAvatar/session/list';

const getSessions = (parameters: INodeParameters): INodeParameters => ({
	resource: 'session',
	operation: 'getAll',
	...parameters,
});

describe('Session → Get Many', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);
	const listQueries = () =>
		fake()
			.requestsTo(LIST)
			.map((r) => r.query);

	it('with "Return All", reads every page (100 sessions each) and outputs one item per session', async () => {
		const sessions = fake().addSessions(250);

		const { items } = await run(getSessions({ returnAll: true }));

		expect(listQueries()).toEqual([
			{ page: '1', size: '100' },
			{ page: '2', size: '100' },
			{ page: '3', size: '100' },
		]);
		expect(items.map((i) => i.json._id)).toEqual(sessions.map((s) => s._id));
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('stops after one page when that page is the last one', async () => {
		fake().addSessions(100);

		const { items } = await run(getSessions({ returnAll: true }));

		expect(listQueries()).toEqual([{ page: '1', size: '100' }]);
		expect(items).toHaveLength(100);
	});

	it('without "Return All", asks for only "Limit" sessions (50 by default)', async () => {
		const sessions = fake().addSessions(80);

		const limited = await run(getSessions({ returnAll: false, limit: 5 }));
		const byDefault = await run(getSessions({}));

		expect(listQueries()).toEqual([
			{ page: '1', size: '5' },
			{ page: '1', size: '50' },
		]);
		expect(limited.items.map((i) => i.json._id)).toEqual(sessions.slice(0, 5).map((s) => s._id));
		expect(byDefault.items).toHaveLength(50);
	});

	it('filters by status, sending its number to Akool', async () => {
		fake().addSessions(2, SESSION_STATUS.queueing);
		const processing = fake().addSessions(3, SESSION_STATUS.processing);
		fake().addSessions(4, SESSION_STATUS.completed);

		const { items } = await run(
			getSessions({ returnAll: true, filters: { status: SESSION_STATUS.processing } }),
		);

		expect(listQueries()).toEqual([{ page: '1', size: '100', status: '2' }]);
		expect(items.map((i) => i.json._id)).toEqual(processing.map((s) => s._id));
	});

	it('simplifies by default: which session and how it stands, status as a word, start time as an ISO date', async () => {
		const [session] = fake().addSessions(1, SESSION_STATUS.queueing);
		const started = Date.UTC(2026, 10, 30, 7, 41, 5, 123);
		Object.assign(fake().state.sessions.get(session._id) as object, { create_time: started });

		const { items } = await run(getSessions({}));

		expect(items.map((i) => i.json)).toEqual([
			{
				_id: session._id,
				status: 1,
				statusName: 'queueing',
				avatar_id: 'dvp_Tristan_cloth2_1080P',
				stream_type: 'agora',
				duration: 600,
				create_time: '2026-11-30T07:41:05.123Z',
			},
		]);
	});

	it('outputs every field as Akool sends it with Simplify off', async () => {
		const sessions = fake().addSessions(2, SESSION_STATUS.failed);

		const { items } = await run(getSessions({ simplify: false }));

		expect(items.map((i) => i.json)).toEqual(sessions);
	});

	it('outputs no items when there are no sessions', async () => {
		const { items } = await run(getSessions({ returnAll: true }));

		expect(items).toEqual([]);
	});

	it.each([
		['a limit of 0', { limit: 0 }, 'Limit must be a whole number from 1, not 0'],
		[
			'a status that does not exist',
			{ returnAll: true, filters: { status: '={{ 7 }}' } },
			'Status must be a whole number from 1 up to 4, not 7',
		],
	])('fails before sending anything with %s', async (_what, parameters, message) => {
		const error = await failureOf(run(getSessions(parameters as INodeParameters)));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(fake().requests).toHaveLength(0);
	});
});
