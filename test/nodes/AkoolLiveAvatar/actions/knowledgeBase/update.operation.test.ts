import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';

const UPDATE = 'POST /api/open/v4/knowledge/update';
const FAQ_ID = '64f8a1b2c3d4e5f6a7b8c9d0';

const fake = useFakeAkool();
const run = operationRunner(fake, 'knowledgeBase', 'update', { knowledgeBaseId: byId(FAQ_ID) });

describe('Knowledge Base → Update', () => {
	it('sends the id with only the fields to change, and returns the updated knowledge base', async () => {
		const { items } = await run({ updateFields: { name: 'Product FAQ v2', prompt: 'Be brief.' } });

		expect(
			fake()
				.requestsTo(UPDATE)
				.map((r) => r.body),
		).toEqual([{ id: FAQ_ID, name: 'Product FAQ v2', prompt: 'Be brief.' }]);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					_id: FAQ_ID,
					name: 'Product FAQ v2',
					prompt: 'Be brief.',
					prologue: 'Hi! Ask me about our products.',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('simplifies by default like Get, and returns everything as it is with Simplify off', async () => {
		const simplified = await run({ updateFields: { prompt: 'Be brief.' } });
		const full = await run({ updateFields: { prompt: 'Be briefer.' }, simplify: false });

		// Without the account bookkeeping that Simplify leaves out.
		expect(simplified.items[0].json).not.toHaveProperty('uid');
		expect(simplified.items[0].json).not.toHaveProperty('team_id');
		expect(simplified.items[0].json).toMatchObject({ _id: FAQ_ID, prompt: 'Be brief.' });
		expect(simplified.items[0].json.update_time).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(full.items[0].json).toEqual(fake().state.knowledge.get(FAQ_ID));
	});

	it('replaces the URLs and documents', async () => {
		await run({
			updateFields: {
				urls: 'https://example.com/new\nhttps://example.com/other',
				docs: { doc: [{ name: 'guide.md', url: 'https://example.com/guide.md', size: 10 }] },
			},
		});
		expect(fake().requestsTo(UPDATE)[0].body).toEqual({
			id: FAQ_ID,
			urls: ['https://example.com/new', 'https://example.com/other'],
			docs: [{ name: 'guide.md', url: 'https://example.com/guide.md', size: 10 }],
		});
		expect(fake().state.knowledge.get(FAQ_ID)).toMatchObject({
			urls: ['https://example.com/new', 'https://example.com/other'],
		});
	});

	it('clears a field that was added but left empty', async () => {
		await run({ updateFields: { prologue: '', urls: '', docs: {} } });
		expect(fake().requestsTo(UPDATE)[0].body).toEqual({
			id: FAQ_ID,
			prologue: '',
			urls: [],
			docs: [],
		});
		expect(fake().state.knowledge.get(FAQ_ID)).toMatchObject({ prologue: '', urls: [], docs: [] });
	});

	it.each([
		['no field at all', {}, 'Update Fields is empty: there is nothing to update'],
		['an empty name', { name: ' ' }, 'Name is empty'],
		[
			'a prologue over 2000 characters',
			{ prologue: 'p'.repeat(2001) },
			'Prologue is 2001 characters long, more than the 2000 Akool accepts',
		],
		['a URL that is not one', { urls: 'not a url' }, 'URLs is not an http(s) URL: "not"'],
	])('rejects %s before sending anything', async (_case, updateFields, message) => {
		await expect(run({ updateFields })).rejects.toThrow(message);
		expect(fake().requests).toHaveLength(0);
	});

	it("reports Akool's 1232 for an unknown knowledge base", async () => {
		await expect(
			run({ knowledgeBaseId: byId('000000000000000000000000'), updateFields: { prompt: 'x' } }),
		).rejects.toThrow('The knowledge base does not exist');
	});
});
