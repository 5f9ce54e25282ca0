import {
	addOpenAvatars,
	operationRunner,
	pagesRequested,
	useFakeAkool,
} from '../../../../harness/fakeAkool';

const LIST = 'GET /api/open/v4/liveAvatar/avatar/list';
const OPEN_AVATARS = [
	'dvp_Tristan_cloth2_1080P',
	'dvp_Alinna_realisticbg_20241224',
	'dvp_Sean_agent_20241224',
];

const fake = useFakeAkool();
const run = operationRunner(fake, 'avatar', 'getAll');

describe('Avatar → Get Many', () => {
	it('lists the open platform by default, one simplified item per avatar', async () => {
		const { items } = await run({});

		expect(
			fake()
				.requestsTo(LIST)
				.map((r) => r.query),
		).toEqual([{ platform: 'open', page: '1', size: '50' }]);
		expect(items.map((i) => i.json.avatar_id)).toEqual(OPEN_AVATARS);
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(items[0].json).toEqual({
			_id: '67498e55cd053926b2e75cf2',
			avatar_id: 'dvp_Tristan_cloth2_1080P',
			name: 'tristan_dvp',
			available: true,
			voice_id: 'iP95p4xoKVk53GoZ742B',
			gender: 'male',
			url: 'https://static.example/dvp_Tristan_cloth2_1080P.mp4',
			thumbnailUrl: 'https://static.example/dvp_Tristan_cloth2_1080P.webp',
		});
	});

	it('lists the web app platform, with every field when Simplify is off', async () => {
		const { items } = await run({ platform: 'aigc', simplify: false });
		expect(fake().requestsTo(LIST)[0].query.platform).toBe('aigc');
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({ avatar_id: 'aigcOlivia01', uid: 1, type: 2, from: 3 }),
		]);
	});

	it('stops at the limit, asking Akool for no more than that', async () => {
		const { items } = await run({ limit: 2 });
		expect(
			fake()
				.requestsTo(LIST)
				.map((r) => r.query),
		).toEqual([{ platform: 'open', page: '1', size: '2' }]);
		expect(items.map((i) => i.json.avatar_id)).toEqual(OPEN_AVATARS.slice(0, 2));
	});

	it('reads every page of 100 with Return All', async () => {
		addOpenAvatars(fake(), 150);
		const { items } = await run({ returnAll: true });
		expect(pagesRequested(fake(), LIST)).toEqual([
			['1', '100'],
			['2', '100'],
		]);
		expect(items).toHaveLength(153);
		expect(new Set(items.map((i) => i.json._id)).size).toBe(153);
	});

	it('pairs the avatars with the input item that asked for them', async () => {
		const { items } = await run({ limit: 1 }, { items: [{}, {}] });
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('rejects a wrong limit or platform before sending anything', async () => {
		await expect(run({ limit: 0 })).rejects.toThrow('Limit must be a whole number from 1, not 0');
		await expect(run({ platform: '={{ "web" }}' })).rejects.toThrow(
			'Platform must be one of open, aigc, not "web"',
		);
		expect(fake().requests).toHaveLength(0);
	});

	it("reports Akool's business codes", async () => {
		fake().addFault({ kind: 'code', code: 1009, route: 'avatar/list' });
		await expect(run({})).rejects.toThrow(/^The credential has no permission for this resource/);
	});
});
