import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';

const DELETE = 'DELETE /api/open/v4/knowledge/delete';
const FAQ_ID = '64f8a1b2c3d4e5f6a7b8c9d0';

const fake = useFakeAkool();
const run = operationRunner(fake, 'knowledgeBase', 'delete');

describe('Knowledge Base → Delete', () => {
	it('sends DELETE with the id in a JSON body and says it is deleted', async () => {
		const { items } = await run({ knowledgeBaseId: byId(FAQ_ID) });

		const [request] = fake().requestsTo(DELETE);
		expect(request.body).toEqual({ id: FAQ_ID });
		expect(request.query).toEqual({});
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(items).toEqual([{ json: { deleted: true, id: FAQ_ID }, pairedItem: { item: 0 } }]);
		expect(fake().state.knowledge.has(FAQ_ID)).toBe(false);
	});

	it('deletes one knowledge base per item, with an error item for one that does not exist', async () => {
		const { items } = await run(
			{ knowledgeBaseId: byId('={{ $json.id }}') },
			{ items: [{ id: FAQ_ID }, { id: FAQ_ID }], continueOnFail: true },
		);
		expect(items).toEqual([
			{ json: { deleted: true, id: FAQ_ID }, pairedItem: { item: 0 } },
			{
				json: expect.objectContaining({
					error: 'The knowledge base does not exist',
					akoolCode: 1232,
				}),
				pairedItem: { item: 1 },
			},
		]);
		expect(fake().requestsTo(DELETE)).toHaveLength(2);
	});

	it('rejects a blank ID before sending anything', async () => {
		await expect(run({ knowledgeBaseId: byId(' ') })).rejects.toThrow('Knowledge Base ID is empty');
		expect(fake().requests).toHaveLength(0);
	});
});
