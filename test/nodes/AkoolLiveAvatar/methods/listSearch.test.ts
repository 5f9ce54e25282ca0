import { addOpenAvatars, useFakeAkool } from '../../../harness/fakeAkool';
import { credentialsFor, listSearch } from '../../../harness/runNode';

const AVATARS = 'GET /api/open/v4/liveAvatar/avatar/list';
const VOICES = 'GET /api/open/v4/voice/list';
const KNOWLEDGE = 'GET /api/open/v4/knowledge/list';
const SESSIONS = 'GET /api/open/v4/liveAvatar/session/list';

const fake = useFakeAkool();
const search = (
	method: 'searchAvatars' | 'searchVoices' | 'searchKnowledgeBases' | 'searchOpenSessions',
	filter?: string,
) => listSearch(method, { credentials: credentialsFor.apiKey(fake()), filter });

describe('searchAvatars', () => {
	it('lists the avatars of both platforms by name and avatar_id, marking unavailable ones', async () => {
		fake().state.avatars.set('6750000000000000000000aa', {
			_id: '6750000000000000000000aa',
			uid: 1,
			type: 2,
			from: 3,
			status: 2,
			avatar_id: 'myAvatar01',
			name: 'my avatar',
			platform: 'open',
			url: '',
			thumbnailUrl: '',
		});

		const { results, paginationToken } = await search('searchAvatars');

		expect(
			fake()
				.requestsTo(AVATARS)
				.map((r) => r.query),
		).toEqual([
			{ platform: 'open', page: '1', size: '100' },
			{ platform: 'aigc', page: '1', size: '100' },
		]);
		expect(results).toEqual([
			{ name: 'tristan_dvp (dvp_Tristan_cloth2_1080P)', value: 'dvp_Tristan_cloth2_1080P' },
			{
				name: 'alinna_dvp (dvp_Alinna_realisticbg_20241224)',
				value: 'dvp_Alinna_realisticbg_20241224',
			},
			{ name: 'sean_dvp (dvp_Sean_agent_20241224)', value: 'dvp_Sean_agent_20241224' },
			{ name: 'my avatar (myAvatar01) [unavailable]', value: 'myAvatar01' },
			{ name: 'olivia_web (aigcOlivia01) [web app]', value: 'aigcOlivia01' },
		]);
		expect(paginationToken).toBeUndefined();
	});

	it('filters by part of the name or of the avatar_id, ignoring case', async () => {
		expect((await search('searchAvatars', 'ALINNA')).results.map((r) => r.value)).toEqual([
			'dvp_Alinna_realisticbg_20241224',
		]);
		expect((await search('searchAvatars', 'agent_2024')).results.map((r) => r.value)).toEqual([
			'dvp_Sean_agent_20241224',
		]);
		expect((await search('searchAvatars', 'nobody')).results).toEqual([]);
	});

	it('reads every page of a long list, so that the search reaches all of it', async () => {
		addOpenAvatars(fake(), 120);
		const { results } = await search('searchAvatars', 'extra 119');

		expect(
			fake()
				.requestsTo(AVATARS)
				.map((r) => [r.query.platform, r.query.page]),
		).toEqual([
			['open', '1'],
			['open', '2'],
			['aigc', '1'],
		]);
		expect(results.map((r) => r.value)).toEqual(['extra119']);
	});
});

describe('searchVoices', () => {
	it('lists the streaming voices: cloned ones first, then Akool voices', async () => {
		const { results, paginationToken } = await search('searchVoices');

		expect(
			fake()
				.requestsTo(VOICES)
				.map((r) => r.query),
		).toEqual([
			{ type: '1', support_stream: '1', page: '1', size: '100' },
			{ type: '2', support_stream: '1', page: '1', size: '100' },
		]);
		expect(results).toEqual([
			{ name: 'My cloned voice (Female, English, your clone)', value: 'clone_7f3a9c' },
			{ name: 'Chris (Male, English, Akool)', value: 'iP95p4xoKVk53GoZ742B' },
			{ name: 'Alice (Female, English, Akool)', value: 'Xb7hH8MSUJpSbSDYk0k2' },
		]);
		expect(paginationToken).toBeUndefined();
	});

	it("searches by name with Akool's own filter", async () => {
		const { results } = await search('searchVoices', ' ali ');
		expect(
			fake()
				.requestsTo(VOICES)
				.map((r) => r.query.name),
		).toEqual(['ali', 'ali']);
		expect(results.map((r) => r.value)).toEqual(['Xb7hH8MSUJpSbSDYk0k2']);
	});

	it('reads every page while Akool has more', async () => {
		const template = fake().state.voices[0];
		for (let i = 0; i < 100; i++)
			fake().state.voices.push({ ...template, voice_id: `v${i}`, name: `Voice ${i}` });
		const { results } = await search('searchVoices');
		expect(results).toHaveLength(103);
		expect(results.slice(-2).map((r) => r.value)).toEqual(['v98', 'v99']);
	});
});

describe('searchKnowledgeBases', () => {
	it.each(['array', 'knowledge_list'] as const)(
		'lists knowledge bases by name with their _id (list data as %s)',
		async (shape) => {
			fake().config.knowledgeListShape = shape;
			const { results, paginationToken } = await search('searchKnowledgeBases');
			expect(
				fake()
					.requestsTo(KNOWLEDGE)
					.map((r) => r.query),
			).toEqual([
				{ page: '1', size: '100' },
				// Without a count (the documented bare array), only an empty page ends the list.
				...(shape === 'array' ? [{ page: '2', size: '100' }] : []),
			]);
			expect(results).toEqual([{ name: 'Product FAQ', value: '64f8a1b2c3d4e5f6a7b8c9d0' }]);
			expect(paginationToken).toBeUndefined();
		},
	);

	it("searches by name with Akool's own filter", async () => {
		expect((await search('searchKnowledgeBases', 'FAQ')).results).toHaveLength(1);
		expect((await search('searchKnowledgeBases', 'Sales')).results).toHaveLength(0);
		expect(
			new Set(
				fake()
					.requestsTo(KNOWLEDGE)
					.map((r) => r.query.name),
			),
		).toEqual(new Set(['FAQ', 'Sales']));
	});

	it.each(['array', 'knowledge_list'] as const)(
		'reads past a full page (list data as %s)',
		async (shape) => {
			fake().config.knowledgeListShape = shape;
			for (let i = 0; i < 149; i++) {
				const _id = `65000000000000000000${String(i).padStart(4, '0')}`;
				fake().state.knowledge.set(_id, { _id, name: `KB ${i}`, docs: [], urls: [] });
			}
			const { results } = await search('searchKnowledgeBases');
			expect(results).toHaveLength(150);
		},
	);
});

describe('searchOpenSessions', () => {
	const AVATAR_DETAIL = 'GET /api/open/v4/liveAvatar/avatar/detail';
	/** 2026-11-30 07:41 UTC */
	const STARTED = Date.UTC(2026, 10, 30, 7, 41);
	const openSession = (status: 1 | 2, avatarId = 'dvp_Tristan_cloth2_1080P') => {
		const [session] = fake().addSessions(1, status);
		Object.assign(fake().state.sessions.get(session._id) as object, {
			create_time: STARTED,
			avatar_id: avatarId,
		});
		return session;
	};

	it('lists processing, then queueing sessions by avatar name, start time and short ID, without their status', async () => {
		const processing = openSession(2);
		const queueing = openSession(1, 'dvp_Alinna_realisticbg_20241224');
		const another = openSession(2);
		fake().addSessions(1, 3);

		const { results } = await search('searchOpenSessions');

		expect(
			fake()
				.requestsTo(SESSIONS)
				.map((r) => r.query),
		).toEqual([
			{ status: '2', page: '1', size: '100' },
			{ status: '1', page: '1', size: '100' },
		]);
		// Each avatar is looked up once, however many sessions use it.
		expect(
			fake()
				.requestsTo(AVATAR_DETAIL)
				.map((r) => r.query.avatar_id),
		).toEqual(['dvp_Tristan_cloth2_1080P', 'dvp_Alinna_realisticbg_20241224']);
		const started = 'started 2026-11-30 02:41 EST'; // the harness's n8n time zone is America/New_York
		expect(results).toEqual([
			{ name: `tristan_dvp · ${started} · …${processing._id.slice(-6)}`, value: processing._id },
			{ name: `tristan_dvp · ${started} · …${another._id.slice(-6)}`, value: another._id },
			{ name: `alinna_dvp · ${started} · …${queueing._id.slice(-6)}`, value: queueing._id },
		]);
	});

	it('finds sessions by avatar name or avatar_id, start time or any part of the ID, but not by status', async () => {
		const tristan = openSession(2);
		const alinna = openSession(1, 'dvp_Alinna_realisticbg_20241224');
		const found = async (filter: string) =>
			(await search('searchOpenSessions', filter)).results.map((r) => r.value);

		expect(await found('ALINNA')).toEqual([alinna._id]);
		expect(await found('tristan_cloth2')).toEqual([tristan._id]);
		expect(await found(tristan._id.slice(4, 16))).toEqual([tristan._id]);
		expect(await found('2026-11-30 02:4')).toEqual([tristan._id, alinna._id]);
		expect(await found('processing')).toEqual([]);
	});

	it('names a session by its avatar_id when the avatar cannot be read, and without a time when Akool gives none', async () => {
		const [session] = fake().addSessions(1, 2);
		Object.assign(fake().state.sessions.get(session._id) as object, {
			avatar_id: 'goneAvatar',
			create_time: undefined,
		});

		const { results } = await search('searchOpenSessions');

		expect(results).toEqual([
			{ name: `goneAvatar · …${session._id.slice(-6)}`, value: session._id },
		]);
	});

	it('filters by the typed part of the ID among more than 100 sessions', async () => {
		const sessions = fake().addSessions(150, 2);

		const found = await search('searchOpenSessions', sessions[120]._id.slice(4, 16).toUpperCase());
		const all = await search('searchOpenSessions');

		expect(found.results.map((r) => r.value)).toEqual([sessions[120]._id]);
		expect(all.results).toHaveLength(150);
	});
});
