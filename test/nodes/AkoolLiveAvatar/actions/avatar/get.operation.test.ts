import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';

const DETAIL = 'GET /api/open/v4/liveAvatar/avatar/detail';
const TRISTAN = 'dvp_Tristan_cloth2_1080P';

const fake = useFakeAkool();
const run = operationRunner(fake, 'avatar', 'get');

describe('Avatar → Get', () => {
	it('asks for the avatar by avatar_id and returns its main fields', async () => {
		const { items } = await run({ avatarId: byId(TRISTAN) });

		expect(
			fake()
				.requestsTo(DETAIL)
				.map((r) => r.query),
		).toEqual([{ avatar_id: TRISTAN }]);
		expect(items).toEqual([
			{
				json: {
					_id: '67498e55cd053926b2e75cf2',
					avatar_id: TRISTAN,
					name: 'tristan_dvp',
					available: true,
					voice_id: 'iP95p4xoKVk53GoZ742B',
					gender: 'male',
					url: `https://static.example/${TRISTAN}.mp4`,
					thumbnailUrl: `https://static.example/${TRISTAN}.webp`,
					platform: 'open',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns everything Akool sends when Simplify is off', async () => {
		const { items } = await run({ avatarId: byId(TRISTAN), simplify: false });
		expect(items[0].json).toMatchObject({
			uid: 1,
			type: 2,
			from: 2,
			platform: 'open',
			avatar_id: TRISTAN,
		});
	});

	it('takes the value picked from the list, and IDs mapped per item', async () => {
		const { items } = await run(
			{ avatarId: { __rl: true, mode: 'id', value: '={{ $json.avatar }}' } },
			{ items: [{ avatar: TRISTAN }, { avatar: ` aigcOlivia01 ` }] },
		);
		expect(
			fake()
				.requestsTo(DETAIL)
				.map((r) => r.query.avatar_id),
		).toEqual([TRISTAN, 'aigcOlivia01']);
		expect(items.map((i) => [i.json.name, i.pairedItem])).toEqual([
			['tristan_dvp', { item: 0 }],
			['olivia_web', { item: 1 }],
		]);

		const fromList = await run({
			avatarId: { __rl: true, mode: 'list', value: 'dvp_Sean_agent_20241224' },
		});
		expect(fromList.items[0].json.name).toBe('sean_dvp');
	});

	it('rejects a blank avatar ID before sending anything', async () => {
		await expect(run({ avatarId: byId('  ') })).rejects.toThrow('Avatar ID is empty');
		expect(fake().requests).toHaveLength(0);
	});

	it("reports Akool's error for an unknown avatar, as an error item under Continue On Fail", async () => {
		await expect(run({ avatarId: byId('noSuchAvatar') })).rejects.toThrow(
			'The resource does not exist',
		);

		const { items } = await run({ avatarId: byId('noSuchAvatar') }, { continueOnFail: true });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'The resource does not exist',
					akoolCode: 1014,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});
});
