import type { INodeParameters } from 'n8n-workflow';

import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';

const CREATE = 'POST /api/open/v4/knowledge/create';

const fake = useFakeAkool();
const run = operationRunner(fake, 'knowledgeBase', 'create');

describe('Knowledge Base → Create', () => {
	it('sends only the name when nothing else is given, and returns the new knowledge base', async () => {
		const { items } = await run({ name: ' Support ' });

		expect(
			fake()
				.requestsTo(CREATE)
				.map((r) => r.body),
		).toEqual([{ name: 'Support' }]);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					_id: expect.stringMatching(/^[0-9a-f]{24}$/),
					name: 'Support',
					prologue: '',
					prompt: '',
					urls: [],
					docs: [],
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(fake().state.knowledge.get(items[0].json._id as string)).toMatchObject({
			name: 'Support',
		});
	});

	it('simplifies by default: the content fields, without account bookkeeping, times as ISO dates', async () => {
		const { items } = await run({ name: 'Support' });
		const created = fake().state.knowledge.get(items[0].json._id as string) as Record<
			string,
			unknown
		>;

		expect(items[0].json).toEqual({
			_id: created._id,
			name: 'Support',
			prologue: '',
			prompt: '',
			urls: [],
			docs: [],
			create_time: new Date(created.create_time as number).toISOString(),
			update_time: new Date(created.update_time as number).toISOString(),
		});
	});

	it('returns everything Akool sends, as it is, with Simplify off', async () => {
		const { items } = await run({ name: 'Support', simplify: false });

		expect(items[0].json).toEqual(fake().state.knowledge.get(items[0].json._id as string));
	});

	it('sends every additional field, with URLs split at commas and new lines', async () => {
		await run({
			name: 'Support',
			additionalFields: {
				prologue: 'Hi, how can I help?',
				prompt: 'You are a support agent.',
				urls: 'https://example.com/faq, https://example.com/pricing\nhttps://example.com/terms',
				docs: {
					doc: [
						{ name: 'faq.pdf', url: 'https://example.com/faq.pdf', size: 2048 },
						{ name: 'notes.txt', url: 'https://example.com/notes.txt', size: 0 },
					],
				},
			},
		});

		expect(fake().requestsTo(CREATE)[0].body).toEqual({
			name: 'Support',
			prologue: 'Hi, how can I help?',
			prompt: 'You are a support agent.',
			urls: ['https://example.com/faq', 'https://example.com/pricing', 'https://example.com/terms'],
			docs: [
				{ name: 'faq.pdf', url: 'https://example.com/faq.pdf', size: 2048 },
				{ name: 'notes.txt', url: 'https://example.com/notes.txt' },
			],
		});
	});

	it('takes URLs as a list from an expression, and leaves empty fields out', async () => {
		await run(
			{ name: 'Support', additionalFields: { urls: '={{ $json.pages }}', prologue: '', docs: {} } },
			{ items: [{ pages: ['https://example.com/a', 'https://example.com/b'] }] },
		);
		expect(fake().requestsTo(CREATE)[0].body).toEqual({
			name: 'Support',
			urls: ['https://example.com/a', 'https://example.com/b'],
		});
	});

	const doc = (name: string, url: string, size = 0) => ({ docs: { doc: [{ name, url, size }] } });
	it.each([
		['an empty name', { name: '' }, 'Name is empty'],
		[
			'a name over 100 characters',
			{ name: 'n'.repeat(101) },
			'Name is 101 characters long, more than the 100 Akool accepts',
		],
		[
			'a prologue over 2000 characters',
			{ name: 'KB', additionalFields: { prologue: 'p'.repeat(2001) } },
			'Prologue is 2001 characters long, more than the 2000 Akool accepts',
		],
		[
			'a prompt over 10000 characters',
			{ name: 'KB', additionalFields: { prompt: 'p'.repeat(10001) } },
			'Prompt is 10001 characters long, more than the 10000 Akool accepts',
		],
		[
			'a URL without http(s)',
			{ name: 'KB', additionalFields: { urls: 'https://example.com/a, example.com/b' } },
			'URLs is not an http(s) URL: "example.com/b"',
		],
		[
			'a document without URL',
			{ name: 'KB', additionalFields: doc('faq.pdf', '') },
			'Document 1 URL is empty',
		],
		[
			'a document without name',
			{ name: 'KB', additionalFields: doc(' ', 'https://example.com/faq.pdf') },
			'Document 1 name is empty',
		],
		[
			'a document over 100 MB',
			{
				name: 'KB',
				additionalFields: doc('big.pdf', 'https://example.com/big.pdf', 200 * 1024 * 1024),
			},
			'Document 1 size must be a whole number from 0 up to 104857600, not 209715200',
		],
	])('rejects %s before sending anything', async (_case, parameters, message) => {
		await expect(run(parameters as INodeParameters)).rejects.toThrow(message);
		expect(fake().requests).toHaveLength(0);
	});

	it("reports Akool's code when the name is taken", async () => {
		await expect(run({ name: 'Product FAQ' })).rejects.toThrow(
			/^A knowledge base with this name exists already$/,
		);
		expect(fake().requestsTo(CREATE)).toHaveLength(1);
	});
});
