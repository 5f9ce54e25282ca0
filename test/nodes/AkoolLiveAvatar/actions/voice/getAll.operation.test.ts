import { operationRunner, pagesRequested, useFakeAkool } from '../../../../harness/fakeAkool';

const LIST = 'GET /api/open/v4/voice/list';

const fake = useFakeAkool();
const run = operationRunner(fake, 'voice', 'getAll');

describe('Voice → Get Many', () => {
	it("lists Akool's streaming voices by default, one simplified item per voice", async () => {
		const { items } = await run({});

		expect(
			fake()
				.requestsTo(LIST)
				.map((r) => r.query),
		).toEqual([{ type: '2', support_stream: '1', page: '1', size: '50' }]);
		expect(items.map((i) => i.json.name)).toEqual(['Chris', 'Alice']);
		expect(items[0]).toEqual({
			json: {
				voice_id: 'iP95p4xoKVk53GoZ742B',
				name: 'Chris',
				gender: 'Male',
				language: 'English',
				locale: 'en-US',
				voice_model_name: 'Akool Multilingual 3',
				support_stream: true,
				status: 3,
				preview: 'https://static.example/voice-1.mp3',
				style: ['Calm', 'Authoritative'],
			},
			pairedItem: { item: 0 },
		});
	});

	it('lists the cloned voices of the account, with every field when Simplify is off', async () => {
		const { items } = await run({ voiceType: 1, simplify: false });
		expect(fake().requestsTo(LIST)[0].query.type).toBe('1');
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				voice_id: 'clone_7f3a9c',
				team_id: 't1',
				uid: 1,
				deduction_credit: 0,
				webhookUrl: '',
			}),
		]);
	});

	it('includes voices that cannot stream when Streaming Voices Only is turned off', async () => {
		const { items } = await run({ filters: { supportStreamOnly: false } });
		expect(fake().requestsTo(LIST)[0].query).not.toHaveProperty('support_stream');
		expect(items.map((i) => i.json.name)).toEqual(['Chris', 'Alice', 'Adam']);
	});

	it("passes the filters to Akool under Akool's names, in the docs' values and case", async () => {
		const { items } = await run({
			filters: {
				name: ' chr ',
				gender: ['Male'],
				style: 'Calm, Friendly ',
				age: ['Middle', 'Elderly'],
				scenario: 'Education',
				supportStreamOnly: true,
			},
		});
		expect(fake().requestsTo(LIST)[0].query).toEqual({
			type: '2',
			support_stream: '1',
			name: 'chr',
			gender: 'Male',
			style: 'Calm,Friendly',
			age: 'Middle,Elderly',
			scenario: 'Education',
			page: '1',
			size: '50',
		});
		expect(items.map((i) => i.json.name)).toEqual(['Chris']);
	});

	it.each([
		[['Male'], 'Male', ['Chris']],
		[['Female'], 'Female', ['Alice']],
		[['Female', 'Male'], 'Female,Male', ['Chris', 'Alice']],
		// Workflows saved before 0.2 hold one lower-case gender.
		['male', 'Male', ['Chris']],
		['female', 'Female', ['Alice']],
	])('filters on gender %j: Akool receives %s', async (gender, sent, names) => {
		const { items } = await run({ filters: { gender } });
		expect(fake().requestsTo(LIST)[0].query.gender).toBe(sent);
		expect(items.map((i) => i.json.name)).toEqual(names);
	});

	// Whether several style (age, scenario) values mean any or all of them: the docs do not say.
	it.each([
		['any', ['Chris', 'Alice']],
		['all', []],
	] as const)(
		'sends several styles as one comma-separated filter and outputs what Akool matches (%s)',
		async (voiceTagMatch, names) => {
			fake().configure({ voiceTagMatch });
			const { items } = await run({ filters: { style: ['Calm', 'Friendly'] } });
			expect(fake().requestsTo(LIST)[0].query.style).toBe('Calm,Friendly');
			expect(items.map((i) => i.json.name)).toEqual(names);
		},
	);

	it('reads an age saved as text (before 0.2), comma-separated', async () => {
		const { items } = await run({ filters: { age: 'Young, Middle' } });
		expect(fake().requestsTo(LIST)[0].query.age).toBe('Young,Middle');
		expect(items.map((i) => i.json.name)).toEqual(['Chris', 'Alice']);
	});

	it('sends no gender or age filter when none is chosen', async () => {
		await run({ filters: { gender: [], age: [] } });
		expect(fake().requestsTo(LIST)[0].query).not.toHaveProperty('gender');
		expect(fake().requestsTo(LIST)[0].query).not.toHaveProperty('age');
	});

	it("reads Akool's pages of at most 100 with Return All, and stops at the limit otherwise", async () => {
		const template = fake().state.voices[0];
		for (let i = 0; i < 230; i++)
			fake().state.voices.push({ ...template, voice_id: `v${i}`, name: `Voice ${i}` });

		const all = await run({ returnAll: true });
		expect(pagesRequested(fake(), LIST)).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
		expect(all.items).toHaveLength(232);

		fake().reset();
		for (let i = 0; i < 230; i++)
			fake().state.voices.push({ ...template, voice_id: `v${i}`, name: `Voice ${i}` });
		const some = await run({ limit: 120 });
		expect(pagesRequested(fake(), LIST)).toEqual([
			['1', '100'],
			['2', '100'],
		]);
		expect(some.items).toHaveLength(120);
	});

	it('rejects a wrong voice type or filter before sending anything', async () => {
		await expect(run({ voiceType: 3 })).rejects.toThrow('Voice Type must be one of 1, 2, not "3"');
		await expect(run({ filters: { gender: 'other' } })).rejects.toThrow(
			'Gender must be one of Female, Male, not "other"',
		);
		await expect(run({ filters: { age: ['Teen'] } })).rejects.toThrow(
			'Age must be one of Young, Middle, Elderly, not "Teen"',
		);
		await expect(run({ filters: { name: 'x'.repeat(201) } })).rejects.toThrow(
			'Name is 201 characters long, more than the 200 Akool accepts',
		);
		expect(fake().requests).toHaveLength(0);
	});

	it('gives one error item per failed input item under Continue On Fail', async () => {
		fake().addFault({ kind: 'code', code: 1003, route: 'voice/list' });
		const { items } = await run({ limit: 1 }, { items: [{}, {}], continueOnFail: true });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: expect.stringMatching(/^Akool rejected a parameter as missing or invalid/),
					akoolCode: 1003,
				}),
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({ voice_id: 'iP95p4xoKVk53GoZ742B' }),
				pairedItem: { item: 1 },
			},
		]);
	});
});
