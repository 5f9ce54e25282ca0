import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { SESSION_STATUS } from '../../../../fake-akool/server';
import { failureOf } from '../../../../harness/failureOf';
import { nodeRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';

const DETAIL = 'GET /api/open/v4/liveAvatar/session/detail';

const getSession = (sessionId: unknown): INodeParameters => ({
	resource: 'session',
	operation: 'get',
	sessionId: byId(sessionId),
});

describe('Session → Get', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);

	it('asks Akool for the session by `id` in the query and outputs the session object, its status also as a word', async () => {
		const [session] = fake().addSessions(1, SESSION_STATUS.processing);

		const { items } = await run(getSession(` ${session._id} `));

		expect(
			fake()
				.requestsTo(DETAIL)
				.map((r) => r.query),
		).toEqual([{ id: session._id }]);
		expect(items).toEqual([
			{ json: { ...session, statusName: 'processing' }, pairedItem: { item: 0 } },
		]);
		const keys = Object.keys(items[0].json);
		expect(keys[keys.indexOf('status') + 1]).toBe('statusName');
	});

	it("gets each item's session when the ID is mapped by expression", async () => {
		const sessions = fake().addSessions(2);

		const { items } = await run(getSession('={{ $json._id }}'), { items: sessions });

		expect(items.map((i) => [i.json._id, i.pairedItem])).toEqual([
			[sessions[0]._id, { item: 0 }],
			[sessions[1]._id, { item: 1 }],
		]);
	});

	it('reports an unknown session (1216) with where the ID comes from', async () => {
		const error = await failureOf(run(getSession('6698c9d69cf7b0d61d1b6420')));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The session does not exist');
	});

	it('fails before sending anything when the ID is empty', async () => {
		const error = await failureOf(run(getSession('  ')));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Session ID is empty');
		expect(fake().requests).toHaveLength(0);
	});
});
