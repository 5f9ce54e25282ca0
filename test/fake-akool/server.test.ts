import axios, { type AxiosRequestConfig } from 'axios';

import { startFakeAkool, ROUTE_PATH, SESSION_STATUS, type FakeAkool } from './server';

// The fake's own contract: what test/fake-akool/README.md promises, checked over real HTTP.

const AVATAR = 'dvp_Tristan_cloth2_1080P';

let fake: FakeAkool;
let foreign: FakeAkool;
beforeAll(async () => {
	[fake, foreign] = await Promise.all([startFakeAkool(), startFakeAkool()]);
});
beforeEach(() => {
	fake.reset();
	foreign.reset();
});
afterAll(async () => await Promise.all([fake.close(), foreign.close()]));

const call = async (
	method: 'get' | 'post',
	path: string,
	options: { params?: object; body?: object } & AxiosRequestConfig = {},
) => {
	const { params, body, ...rest } = options;
	const response = await axios.request({
		method,
		url: `${fake.url}${path}`,
		params,
		data: body,
		headers: { 'x-api-key': 'test-api-key' },
		validateStatus: () => true,
		...rest,
	});
	return response.data;
};
const listSessions = (params: object) => call('get', ROUTE_PATH.listSessions, { params });
const createSession = (body: object) =>
	call('post', ROUTE_PATH.createSession, { body: { avatar_id: AVATAR, ...body } });
const closeSession = (body: object) => call('post', ROUTE_PATH.closeSession, { body });

describe('lists', () => {
	beforeEach(() => fake.addSessions(45));

	it('serve at most maxPageSize elements, with the offset of the size served', async () => {
		fake.configure({ maxPageSize: 20 });
		const pages = [];
		for (const page of [1, 2, 3, 4]) pages.push(await listSessions({ page, size: 100 }));
		expect(pages.map((p) => [p.data.count, p.data.result.length])).toEqual([
			[45, 20],
			[45, 20],
			[45, 5],
			[45, 0],
		]);
		const ids = pages.flatMap((p) => p.data.result.map((s: { _id: string }) => s._id));
		expect(new Set(ids).size).toBe(45);
	});

	it.each([
		['absent', undefined],
		['endless', 1_000_000_000],
	] as const)('report count as countMode %s says', async (countMode, count) => {
		fake.configure({ countMode });
		const { data } = await listSessions({ page: 1, size: 10 });
		expect(data.count).toBe(count);
		expect('count' in data).toBe(count !== undefined);
	});

	it('serve page 1 whatever page asks, under ignorePage', async () => {
		fake.configure({ ignorePage: true });
		const first = await listSessions({ page: 1, size: 10 });
		const third = await listSessions({ page: 3, size: 10 });
		expect(third.data.result).toEqual(first.data.result);
	});
});

describe('Voice List filters, exactly as documented', () => {
	const names = async (params: object) =>
		(await call('get', ROUTE_PATH.listVoices, { params: { type: 2, ...params } })).data.result.map(
			(v: { name: string }) => v.name,
		);

	it.each([
		[{ gender: 'Male' }, ['Chris', 'Adam']],
		[{ gender: 'Female' }, ['Alice']],
		[{ gender: 'Male,Female' }, ['Chris', 'Alice', 'Adam']],
		[{ gender: 'male' }, []],
		[{ style: 'Calm,Friendly' }, ['Chris', 'Alice', 'Adam']],
		[{ style: 'calm' }, []],
		[{ age: 'Young,Elderly' }, ['Alice', 'Adam']],
		[{ scenario: 'Education', gender: 'Female' }, ['Alice']],
		[{ support_stream: 1, gender: 'Male' }, ['Chris']],
	])('%j lists %j', async (filters, expected) => {
		expect(await names(filters)).toEqual(expected);
	});

	it('match every tag under voiceTagMatch "all"', async () => {
		fake.configure({ voiceTagMatch: 'all' });
		expect(await names({ style: 'Calm,Authoritative' })).toEqual(['Chris']);
	});
});

describe('Create Session, checked as the schema says', () => {
	it.each([
		[
			'Option 1 in normal mode',
			{
				voice_url: 'https://example.com/voice',
				voice_params: {
					speed: 0.8,
					pron_map: { akool: 'ai ku er' },
					stt_language: 'en',
					stt_type: 'openai_realtime',
					turn_detection: { type: 'semantic_vad', threshold: 1, prefix_padding_ms: 0 },
					elevenlabs_settings: { api_key: 'k', model_id: 'm', style: 0, use_speaker_boost: true },
				},
			},
		],
		[
			'Option 2 with Fast Dialogue',
			{
				scene_mode: 'fast_dialogue',
				e2e_type: 'openai',
				voice_params: {
					voice_id: 'cedar',
					stt_language: 'en',
					turn_detection: { type: 'server_vad', silence_duration_ms: 500 },
					elevenlabs_settings: { stability: 0.5 },
				},
			},
		],
	])('accepts %s', async (_what, body) => {
		expect((await createSession(body)).code).toBe(1000);
	});

	it.each([
		[{ voice_params: { speed: 1.3 } }, 'voice_params.speed must be a number from 0.8 to 1.2'],
		[
			{ voice_params: { stt_type: 'whisper' } },
			'voice_params.stt_type must be one of openai_realtime',
		],
		[{ voice_params: { pron_map: { a: 1 } } }, 'voice_params.pron_map.a must be a string'],
		[
			{ voice_params: { turn_detection: { prefix_padding_ms: 1.5 } } },
			'voice_params.turn_detection.prefix_padding_ms must be an integer',
		],
		[
			{ scene_mode: 'fast_dialogue', voice_params: { speed: 1 } },
			/^voice_params\.speed is not allowed: with scene_mode fast_dialogue/,
		],
		[
			{ scene_mode: 'fast_dialogue', voice_params: { voice_id: 'iP95p4xoKVk53GoZ742B' } },
			/^voice_params\.voice_id must be one of alloy, ash, ballad/,
		],
		[
			{ scene_mode: 'fast_dialogue', voice_id: 'iP95p4xoKVk53GoZ742B' },
			/^voice_id iP95p4xoKVk53GoZ742B is from the Voice List, which is not available/,
		],
		[{ e2e_type: 'openai' }, 'e2e_type is only applicable when scene_mode is fast_dialogue'],
		[{ e2e_type: 'anthropic', scene_mode: 'fast_dialogue' }, 'e2e_type must be one of openai'],
		[{ voice_url: 42 }, 'voice_url must be a string'],
		[
			{ stream_type: 'trtc', credentials: { trtc_sdk_app_id: 1 } },
			'credentials.trtc_sdk_room_id, credentials.trtc_sdk_user_id, credentials.trtc_sdk_user_sig required for stream_type trtc',
		],
		[
			{ credentials: { agora_uid: '1', agora_channel: 'c', agora_token: 't' } },
			'credentials.agora_uid must be a number',
		],
	])('rejects %j with 1003', async (body, msg) => {
		const answer = await createSession(body);
		expect(answer.code).toBe(1003);
		expect(answer.msg).toEqual(typeof msg === 'string' ? msg : expect.stringMatching(msg));
		expect(fake.state.sessions.size).toBe(0);
	});

	it.each([
		['e2eTypeOutsideFastDialogue', { e2e_type: 'openai' }],
		['fastDialogueListVoice', { scene_mode: 'fast_dialogue', voice_id: 'iP95p4xoKVk53GoZ742B' }],
	] as const)('accepts what %s "ignore" lets through', async (key, body) => {
		fake.configure({ [key]: 'ignore' });
		expect((await createSession(body)).code).toBe(1000);
	});

	it.each([
		['demo', ['trtc_app_id', 'trtc_room_id', 'trtc_user_id', 'trtc_user_sig']],
		['schema', ['trtc_sdk_app_id', 'trtc_sdk_room_id', 'trtc_sdk_user_id', 'trtc_sdk_user_sig']],
	] as const)('provides a TRTC room with the %s names', async (trtcCredentialNames, keys) => {
		fake.configure({ trtcCredentialNames });
		const { data } = await createSession({ stream_type: 'trtc' });
		expect(Object.keys(data.credentials)).toEqual(keys);
	});
});

describe('Close Session where the docs are silent', () => {
	it.each([
		[1219, { code: 1219, msg: 'liveAvatar closed' }],
		[1000, { code: 1000, msg: 'OK' }],
	] as const)('answers a second close with closeClosedAnswer %s', async (answer, expected) => {
		fake.configure({ closeClosedAnswer: answer });
		const [session] = fake.addSessions(1);
		expect(await closeSession({ id: session._id })).toEqual({ code: 1000, msg: 'OK' });
		expect(await closeSession({ id: session._id })).toEqual(expected);
	});

	it.each([
		['id', { id: 'X' }, 1000],
		['id', { session_id: 'X' }, 1003],
		['session_id', { session_id: 'X' }, 1000],
		['session_id', { id: 'X' }, 1003],
		['either', { id: 'X' }, 1000],
		['either', { session_id: 'X' }, 1000],
	] as const)('under closeReads %s, reads %j as %s', async (closeReads, body, code) => {
		fake.configure({ closeReads });
		const [session] = fake.addSessions(1);
		const withId = Object.fromEntries(Object.keys(body).map((key) => [key, session._id]));
		expect((await closeSession(withId)).code).toBe(code);
	});

	it.each([
		['status3', [SESSION_STATUS.completed]],
		['gone', []],
	] as const)(
		'lists a closed session under closedSessions %s',
		async (closedSessions, statuses) => {
			fake.configure({ closedSessions });
			const [session] = fake.addSessions(1);
			await closeSession({ id: session._id });
			const { data } = await listSessions({});
			expect(data.result.map((s: { status: number }) => s.status)).toEqual(statuses);
			expect(data.count).toBe(statuses.length);
		},
	);

	it('opens openOnClose.count sessions on each of the first openOnClose.times closes', async () => {
		fake.configure({ openOnClose: { count: 2, times: 3 } });
		const sessions = fake.addSessions(5);
		for (const s of sessions) await closeSession({ id: s._id });
		const open = [...fake.state.sessions.values()].filter(
			(s) => s.status === SESSION_STATUS.processing,
		);
		expect(open).toHaveLength(6);
	});
});

describe('faults', () => {
	const credit = (options: AxiosRequestConfig = {}) =>
		axios.get(`${fake.url}${ROUTE_PATH.getCreditBalance}`, {
			headers: { 'x-api-key': 'test-api-key' },
			...options,
		});
	const failure = (running: Promise<unknown>) =>
		running.then(
			() => {
				throw new Error('expected the request to fail');
			},
			(error: { code?: string }) => error.code,
		);

	it('redirect: answers the status with a Location; a client that follows it carries its headers to the foreign host', async () => {
		fake.addFault({
			kind: 'redirect',
			status: 307,
			location: `${foreign.url}${ROUTE_PATH.getCreditBalance}`,
		});
		await credit();
		expect(foreign.requestsWithAuthHeaders()).toHaveLength(1);
		expect(foreign.requestsCarrying(['test-api-key'])).toHaveLength(1);
		expect(foreign.requestsCarrying(['another-secret'])).toHaveLength(0);

		fake.addFault({ kind: 'redirect', status: 308, location: 'https://elsewhere.example/' });
		const answer = await credit({ maxRedirects: 0, validateStatus: () => true });
		expect([answer.status, answer.headers.location]).toEqual([308, 'https://elsewhere.example/']);
	});

	it('badGzip: the client fails with Z_DATA_ERROR after the request was processed', async () => {
		fake.addFault({ kind: 'badGzip', route: 'session/create' });
		const answer = axios.post(
			`${fake.url}${ROUTE_PATH.createSession}`,
			{ avatar_id: AVATAR },
			{ headers: { 'x-api-key': 'test-api-key' } },
		);
		expect(await failure(answer)).toBe('Z_DATA_ERROR');
		expect(fake.state.sessions.size).toBe(1);
	});

	it('badHttp: the client fails with an HPE_* parser error after the request was processed', async () => {
		fake.addFault({ kind: 'badHttp' });
		expect(await failure(credit())).toMatch(/^HPE_/);
		expect(fake.requests[0].code).toBe(1000);
	});

	it('drip: the whole answer arrives one byte at a time; an endless drip never completes', async () => {
		fake.addFault({ kind: 'drip', ms: 1 });
		expect((await credit()).data).toEqual({ code: 1000, msg: 'OK', data: { credit: 1000 } });

		fake.addFault({ kind: 'drip', ms: 1, endless: true });
		const response = await credit({ responseType: 'stream' });
		let received = '';
		for await (const chunk of response.data) {
			received += String(chunk);
			if (received.length >= 20) break; // leaving the loop destroys the stream
		}
		expect(received).toMatch(/^ {20,}$/);
	});
});

describe('HTTP controls, for processes that only reach the fake over HTTP (real n8n)', () => {
	const control = async (path: string, body: object) =>
		(await axios.post(`${fake.url}/__fake/${path}`, body)).data;

	it('POST /__fake/config sets any config key, and POST /__fake/faults adds any fault kind', async () => {
		fake.addSessions(30);
		await control('config', { maxPageSize: 10, countMode: 'absent', closeClosedAnswer: 1000 });
		await control('faults', { kind: 'redirect', status: 301, location: foreign.url, times: 2 });

		expect(fake.config).toMatchObject({
			maxPageSize: 10,
			countMode: 'absent',
			closeClosedAnswer: 1000,
		});
		const redirected = await axios.get(`${fake.url}${ROUTE_PATH.listSessions}`, {
			maxRedirects: 0,
			validateStatus: () => true,
		});
		expect([redirected.status, redirected.headers.location]).toEqual([301, foreign.url]);
		// Controls are not requests: they neither use up a fault nor get recorded.
		await call('get', '/__fake/state');
		const second = await axios.get(`${fake.url}${ROUTE_PATH.listSessions}`, {
			maxRedirects: 0,
			validateStatus: () => true,
		});
		expect(second.status).toBe(301);
		expect(fake.requests.map((r) => r.path)).toEqual([
			ROUTE_PATH.listSessions,
			ROUTE_PATH.listSessions,
		]);
		const { data } = await listSessions({ page: 1, size: 100 });
		expect([data.result.length, 'count' in data]).toEqual([10, false]);
	});
});
