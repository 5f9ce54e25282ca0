import { operationRunner, pagesRequested, useFakeAkool } from '../../../../harness/fakeAkool';

const LIST = 'GET /api/open/v4/knowledge/list';

const fake = useFakeAkool();
const run = operationRunner(fake, 'knowledgeBase', 'getAll');

/** Adds knowledge bases named `${prefix} 0` … to the fake account. */
function addKnowledgeBases(count: number, prefix = 'Extra') {
	for (let i = 0; i < count; i++) {
		const _id = `65000000000000000000${String(i).padStart(4, '0')}`;
		fake().state.knowledge.set(_id, {
			_id,
			team_id: 't1',
			uid: 100010,
			user_type: 2,
			from: 2,
			name: `${prefix} ${i}`,
			prologue: '',
			prompt: '',
			docs: [],
			urls: [],
			create_time: 1,
			update_time: 1,
		});
	}
}

describe.each(['array', 'knowledge_list'] as const)(
	'Knowledge Base → Get Many, list data as %s',
	(shape) => {
		beforeEach(() => {
			fake().config.knowledgeListShape = shape;
		});

		// Without a count (the documented bare array), only an empty page says the list has ended.
		const endOfList = (page: number, size: string) =>
			shape === 'array' ? [{ page: String(page), size }] : [];

		it('returns one simplified item per knowledge base', async () => {
			const { items } = await run({});
			expect(
				fake()
					.requestsTo(LIST)
					.map((r) => r.query),
			).toEqual([{ page: '1', size: '50' }, ...endOfList(2, '50')]);
			expect(items).toEqual([
				{
					json: expect.objectContaining({
						_id: '64f8a1b2c3d4e5f6a7b8c9d0',
						name: 'Product FAQ',
						urls: ['https://example.com/faq'],
					}),
					pairedItem: { item: 0 },
				},
			]);
			expect(items[0].json).not.toHaveProperty('team_id');
		});

		it('reads every page with Return All', async () => {
			addKnowledgeBases(120);
			const { items } = await run({ returnAll: true });
			expect(pagesRequested(fake(), LIST)).toEqual([
				['1', '100'],
				['2', '100'],
				...endOfList(3, '100').map(({ page, size }) => [page, size]),
			]);
			expect(items).toHaveLength(121);
		});
	},
);

describe('Knowledge Base → Get Many', () => {
	it('filters by name on Akool’s side and stops at the limit', async () => {
		addKnowledgeBases(5, 'Sales');
		const { items } = await run({ limit: 3, filters: { name: ' Sales ' } });
		expect(
			fake()
				.requestsTo(LIST)
				.map((r) => r.query),
		).toEqual([{ name: 'Sales', page: '1', size: '3' }]);
		expect(items.map((i) => i.json.name)).toEqual(['Sales 0', 'Sales 1', 'Sales 2']);
	});

	it('returns every field when Simplify is off', async () => {
		const { items } = await run({ simplify: false });
		expect(items[0].json).toMatchObject({ team_id: 't1', uid: 100010, user_type: 2, from: 2 });
	});

	it('rejects a wrong limit before sending anything', async () => {
		await expect(run({ limit: 1.5 })).rejects.toThrow(
			'Limit must be a whole number from 1, not 1.5',
		);
		expect(fake().requests).toHaveLength(0);
	});
});
