import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';

const DETAIL = 'GET /api/open/v4/knowledge/detail';
const FAQ_ID = '64f8a1b2c3d4e5f6a7b8c9d0';

const fake = useFakeAkool();
const run = operationRunner(fake, 'knowledgeBase', 'get');

describe('Knowledge Base → Get', () => {
	it('asks for the knowledge base by id and returns its content', async () => {
		const { items } = await run({ knowledgeBaseId: byId(FAQ_ID) });

		expect(
			fake()
				.requestsTo(DETAIL)
				.map((r) => r.query),
		).toEqual([{ id: FAQ_ID }]);
		expect(items).toEqual([
			{
				json: {
					_id: FAQ_ID,
					name: 'Product FAQ',
					prologue: 'Hi! Ask me about our products.',
					prompt: 'You are a helpful product expert.',
					urls: ['https://example.com/faq'],
					docs: [],
					create_time: '2024-07-03T09:46:40.000Z',
					update_time: '2024-07-03T09:46:40.000Z',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns every field when Simplify is off, and takes the value picked from the list', async () => {
		const { items } = await run({
			knowledgeBaseId: { __rl: true, mode: 'list', value: FAQ_ID },
			simplify: false,
		});
		expect(items[0].json).toMatchObject({
			_id: FAQ_ID,
			team_id: 't1',
			uid: 100010,
			user_type: 2,
			from: 2,
		});
	});

	it('rejects a blank ID before sending anything', async () => {
		await expect(run({ knowledgeBaseId: byId('') })).rejects.toThrow('Knowledge Base ID is empty');
		expect(fake().requests).toHaveLength(0);
	});

	it("explains Akool's 1232 (not found), as an error item under Continue On Fail", async () => {
		fake().addFault({ kind: 'code', code: 1232, route: 'knowledge/detail' });
		const error = await run({ knowledgeBaseId: byId(FAQ_ID) }).catch((e: Error) => e);
		expect((error as Error).message).toBe('The knowledge base does not exist');
		expect((error as { description?: string }).description).toMatch(/^Check the knowledge base ID/);

		const { items } = await run(
			{ knowledgeBaseId: byId('000000000000000000000000') },
			{ continueOnFail: true },
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'The knowledge base does not exist',
					akoolCode: 1232,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});
});
