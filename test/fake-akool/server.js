'use strict';
// A stand-in for Akool's OpenAPI (openapi.akool.com) on 127.0.0.1, used by the unit tests, the real-n8n
// end-to-end suite, `npm start` and the benchmarks. It speaks Akool's `{code, msg, data}` envelope, checks
// both auth headers the way Akool documents them (Bearer wins over x-api-key), validates bodies as the
// OpenAPI schema does, keeps session/avatar/knowledge state, and can inject faults on demand.
// README.md beside this file lists every behaviour with its source, and the config that switches each guess.
//
// This file is CommonJS JavaScript on purpose: n8n's strict lint forbids `node:*` imports and `process`
// in every .ts file of the repo, tests included.
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const { seedState } = require('./seed');

const OK = 1000;
const MSG = {
	1003: 'Parameter error or Parameter can not be empty',
	1005: 'Operation is too frequent',
	1101: 'Invalid authorization or The request token has expired',
	1102: 'Authorization cannot be empty',
	1104: 'Insufficient credit balance',
	1216: 'liveAvatar session not exist',
	1219: 'liveAvatar closed',
	1222: 'Resource already exist',
	1232: 'Knowledge not found',
	1233: 'Knowledge already exists',
	2001: 'Server error',
};

/**
 * Every route of the fake, by the name the node's endpoint table uses (`AKOOL_ENDPOINTS`): tests and harness
 * programs import these instead of retyping paths. A route is "METHOD /path", as `requestsTo()` takes it.
 */
const ROUTES = {
	getToken: 'POST /api/open/v3/getToken',
	listAvatars: 'GET /api/open/v4/liveAvatar/avatar/list',
	getAvatar: 'GET /api/open/v4/liveAvatar/avatar/detail',
	uploadAvatar: 'POST /api/open/v3/avatar/create',
	getUploadedAvatar: 'GET /api/open/v3/avatar/detail',
	createSession: 'POST /api/open/v4/liveAvatar/session/create',
	getSession: 'GET /api/open/v4/liveAvatar/session/detail',
	listSessions: 'GET /api/open/v4/liveAvatar/session/list',
	closeSession: 'POST /api/open/v4/liveAvatar/session/close',
	listVoices: 'GET /api/open/v4/voice/list',
	listLanguages: 'GET /api/open/v3/language/list',
	listKnowledgeBases: 'GET /api/open/v4/knowledge/list',
	createKnowledgeBase: 'POST /api/open/v4/knowledge/create',
	getKnowledgeBase: 'GET /api/open/v4/knowledge/detail',
	updateKnowledgeBase: 'POST /api/open/v4/knowledge/update',
	deleteKnowledgeBase: 'DELETE /api/open/v4/knowledge/delete',
	getCreditBalance: 'GET /api/open/v3/faceswap/quota/info',
};
/** The path of a route name, e.g. ROUTE_PATH.closeSession. */
const ROUTE_PATH = Object.fromEntries(Object.entries(ROUTES).map(([name, route]) => [name, route.split(' ')[1]]));

/** Session status values of the Live Avatar API. */
const SESSION_STATUS = { queueing: 1, processing: 2, completed: 3, failed: 4 };

class AkoolError extends Error {
	constructor(code, msg) {
		super(msg ?? MSG[code] ?? `error ${code}`);
		this.code = code;
	}
}
const fail = (code, msg) => {
	throw new AkoolError(code, msg);
};

const objectId = () => randomBytes(12).toString('hex');
const isNonBlankString = (v) => typeof v === 'string' && v.trim() !== '';
const isHttpUrl = (v) => typeof v === 'string' && /^https?:\/\/\S+$/i.test(v);

function requireString(body, key, max) {
	if (!isNonBlankString(body[key])) fail(1003, `${key} is required`);
	if (max && body[key].length > max) fail(1003, `${key} must be at most ${max} characters`);
	return body[key];
}

function optionalString(body, key, max) {
	if (body[key] === undefined) return undefined;
	if (typeof body[key] !== 'string') fail(1003, `${key} must be a string`);
	if (max && body[key].length > max) fail(1003, `${key} must be at most ${max} characters`);
	return body[key];
}

/** What `count` a list reports under `countMode`: the real total, none, or one that never runs out. */
const COUNT_MODES = {
	exact: (total) => total,
	absent: () => undefined,
	endless: () => 1_000_000_000,
};

/**
 * One page of `list`, the way the fake's config shapes it: `size` capped at `maxPageSize` (the offset uses
 * the size actually served, as a server that clamps `size` would), `page` ignored under `ignorePage`, and
 * `count` as `countMode` says. Returns the page's elements and the fields to spread into `data`.
 */
function pageOf(query, { defaultSize, maxSize }, config) {
	const page = query.page === undefined ? 1 : Number(query.page);
	const size = query.size === undefined ? defaultSize : Number(query.size);
	if (!Number.isInteger(page) || page < 1) fail(1003, 'page must be an integer >= 1');
	if (!Number.isInteger(size) || size < 1 || (maxSize && size > maxSize)) {
		fail(1003, `size must be an integer between 1 and ${maxSize ?? 'any'}`);
	}
	const served = config.maxPageSize ? Math.min(size, config.maxPageSize) : size;
	const servedPage = config.ignorePage ? 1 : page;
	const countOf = COUNT_MODES[config.countMode ?? 'exact'];
	if (!countOf) fail(2001, `fake misconfigured: countMode ${config.countMode}`);
	return {
		page: servedPage,
		size: served,
		take: (list) => ({
			elements: list.slice((servedPage - 1) * served, servedPage * served),
			count: countOf(list.length),
		}),
	};
}

/** `{count}` when there is one to report: under countMode 'absent' the key is left out, not set to undefined. */
const countField = (count) => (count === undefined ? {} : { count });

// ---- Create Session, checked as the OpenAPI schema says (CreateSessionRequest and what it references) ----
const FAST_DIALOGUE_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

/** Checkers: each takes a value and the path that names it, and fails with 1003 naming that path. */
const is = {
	string: (v, path) => typeof v === 'string' || fail(1003, `${path} must be a string`),
	boolean: (v, path) => typeof v === 'boolean' || fail(1003, `${path} must be a boolean`),
	integer: (v, path) => Number.isInteger(v) || fail(1003, `${path} must be an integer`),
	number:
		(min = -Infinity, max = Infinity) =>
		(v, path) =>
			(typeof v === 'number' && v >= min && v <= max) ||
			fail(1003, `${path} must be a number${Number.isFinite(min) ? ` from ${min} to ${max}` : ''}`),
	oneOf: (values) => (v, path) => values.includes(v) || fail(1003, `${path} must be one of ${values.join(', ')}`),
	stringMap: (v, path) => {
		isObject(v, path);
		for (const [key, text] of Object.entries(v)) is.string(text, `${path}.${key}`);
	},
	/** An object of `shape`; with `closed` (additionalProperties: false) any other key is a 1003 naming it. */
	object:
		(shape, { closed = false, why = '' } = {}) =>
		(v, path) =>
			checkObject(v, shape, path, { closed, why }),
};
function isObject(v, path) {
	if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(1003, `${path} must be an object`);
}
function checkObject(value, shape, path, { closed = false, why = '' } = {}) {
	isObject(value, path || 'body');
	for (const [key, v] of Object.entries(value)) {
		const keyPath = path ? `${path}.${key}` : key;
		if (shape[key]) shape[key](v, keyPath);
		else if (closed) fail(1003, `${keyPath} is not allowed${why ? `: ${why}` : ''}`);
	}
}

const TURN_DETECTION = is.object({
	type: is.oneOf(['server_vad', 'semantic_vad']),
	threshold: is.number(0, 1),
	prefix_padding_ms: is.integer,
	silence_duration_ms: is.integer,
});
const ELEVENLABS_SETTINGS = is.object({
	api_key: is.string,
	model_id: is.string,
	stability: is.number(0, 1),
	similarity_boost: is.number(0, 1),
	style: is.number(0, 1),
	use_speaker_boost: is.boolean,
});
/** `voice_params` Option 1 (VoiceParams): normal mode. Not closed in the schema. */
const VOICE_PARAMS = is.object({
	speed: is.number(0.8, 1.2),
	pron_map: is.stringMap,
	stt_language: is.string,
	stt_type: is.oneOf(['openai_realtime']),
	turn_detection: TURN_DETECTION,
	elevenlabs_settings: ELEVENLABS_SETTINGS,
});
/** `voice_params` Option 2 (FastDialogueVoiceParams): `additionalProperties: false`. */
const FAST_DIALOGUE_VOICE_PARAMS = is.object(
	{
		voice_id: is.oneOf(FAST_DIALOGUE_VOICES),
		stt_language: is.string,
		turn_detection: TURN_DETECTION,
		elevenlabs_settings: ELEVENLABS_SETTINGS,
	},
	{ closed: true, why: 'with scene_mode fast_dialogue, voice_params is FastDialogueVoiceParams (voice_id, stt_language, turn_detection, elevenlabs_settings)' },
);
/** The schema's `Credentials`: its types, and per stream type the fields its descriptions call required. */
const CREDENTIAL_TYPES = {
	agora_uid: is.number(),
	agora_app_id: is.string,
	agora_channel: is.string,
	agora_token: is.string,
	livekit_url: is.string,
	livekit_token: is.string,
	livekit_room_name: is.string,
	livekit_server_identity: is.string,
	livekit_client_identity: is.string,
	trtc_sdk_app_id: is.number(),
	trtc_sdk_room_id: is.string,
	trtc_sdk_user_id: is.string,
	trtc_sdk_user_sig: is.string,
};
const REQUIRED_CREDENTIALS = {
	agora: ['agora_uid', 'agora_channel', 'agora_token'],
	livekit: ['livekit_url', 'livekit_token'],
	trtc: ['trtc_sdk_app_id', 'trtc_sdk_room_id', 'trtc_sdk_user_id', 'trtc_sdk_user_sig'],
};
const CREATE_SESSION = {
	avatar_id: is.string,
	duration: (v, path) => (typeof v === 'number' && v > 0 && v <= 3600) || fail(1003, `${path} must be a number of seconds up to 3600`),
	knowledge_id: is.string,
	voice_id: is.string,
	voice_url: is.string,
	language: is.string,
	mode_type: is.oneOf([1, 2]),
	scene_mode: is.oneOf(['fast_dialogue']),
	e2e_type: is.oneOf(['openai']),
	background_url: is.string,
	voice_params: () => {}, // Option 1 or 2 depending on scene_mode: checked by checkCreateSession
	stream_type: is.oneOf(['agora', 'livekit', 'trtc']),
	credentials: is.object(CREDENTIAL_TYPES),
};

/** How Close Session finds the session ID in its body, by `closeReads`. */
const CLOSE_READS = {
	id: (body) => ['id', body.id], // the schema's required field
	session_id: (body) => ['session_id', body.session_id], // the docs page's hand-written samples
	either: (body) => ['id', body.id ?? body.session_id],
};

/**
 * Voice List filters other than `name`: comma-separated values matched exactly, case included, as the docs
 * show them (gender=Male,Female; style=Calm,Authoritative). A voice has one gender, so several genders
 * means any of them; style, age and scenario are lists of tags, matched by `voiceTagMatch` ('any' or 'all').
 */
const hasTags = (tags, wanted, mode) =>
	mode === 'all' ? wanted.every((w) => tags.includes(w)) : wanted.some((w) => tags.includes(w));
const VOICE_TAG_FILTERS = {
	gender: (gender, wanted) => wanted.includes(gender),
	style: (tags = [], wanted, mode) => hasTags(tags, wanted, mode),
	age: (tags = [], wanted, mode) => hasTags(tags, wanted, mode),
	scenario: (tags = [], wanted, mode) => hasTags(tags, wanted, mode),
};

/** TRTC credential names of the sessions the fake provides, by `trtcCredentialNames`. */
const TRTC_NAMES = {
	demo: ['trtc_app_id', 'trtc_room_id', 'trtc_user_id', 'trtc_user_sig'], // the official demo client reads these
	schema: ['trtc_sdk_app_id', 'trtc_sdk_room_id', 'trtc_sdk_user_id', 'trtc_sdk_user_sig'], // the schema's Credentials
};

/** A gzip header followed by bytes that are no deflate stream: gunzip fails with Z_DATA_ERROR. */
const CORRUPT_GZIP = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]), Buffer.from('\xff\xff not deflate data', 'latin1')]);
/** A status line no HTTP parser accepts: the client fails with an HPE_* code. */
const BAD_HTTP = 'HTTP/1.1 2OO OK\r\ncontent-type: application/json\r\n\r\n{"code":1000}';

/** A deterministic pseudo-random source, so that "fail 20% of requests" is the same run after run. */
function seededRandom(seed) {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 0x100000000;
	};
}

/**
 * Starts a fake Akool server.
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string[]} [options.apiKeys] keys accepted in `x-api-key`
 * @param {{clientId: string, clientSecret: string}[]} [options.clients] pairs accepted by getToken
 * @param {string[]} [options.tokens] bearer tokens accepted without a getToken call
 * @param {number} [options.latencyMs=0] added to every API answer
 * @param {{perSecond: number, answer: '1005' | '429'}} [options.rateLimit]
 * @param {boolean} [options.recordRequests=true] keep every request in `requests` (off for big benchmarks)
 */
async function startFakeAkool(options = {}) {
	const config = {
		apiKeys: ['test-api-key'],
		clients: [{ clientId: 'test-client-id', clientSecret: 'test-client-secret' }],
		tokens: [],
		latencyMs: 0,
		rateLimit: undefined,
		recordRequests: true,
		tokenIn: 'top', // where getToken puts the token: 'top' (documented) or 'data' (jssdk docs)
		knowledgeListShape: 'array', // 'array' (docs) or 'knowledge_list' (official demo)
		avatarReadyAfterPolls: 2,
		// Short pages and odd list servers (off by default; the paging specs turn them on).
		maxPageSize: undefined, // serve at most this many elements per page, whatever `size` asks
		countMode: 'exact', // 'exact' | 'absent' (no count) | 'endless' (a huge count)
		ignorePage: false, // always serve page 1
		// Where Akool's docs are silent: each plausible answer, switchable (see README.md).
		closeClosedAnswer: 1219, // what closing a closed session answers: 1219 or 1000
		closedSessions: 'status3', // a closed session in lists: 'status3' or 'gone'
		closeReads: 'id', // the Close body field holding the session ID: 'id' | 'session_id' | 'either'
		trtcCredentialNames: 'demo', // TRTC credentials the fake provides: 'demo' or 'schema' names
		voiceTagMatch: 'any', // style/age/scenario with several values: 'any' or 'all' must match
		e2eTypeOutsideFastDialogue: 'reject', // e2e_type without scene_mode fast_dialogue: 'reject' | 'ignore'
		fastDialogueListVoice: 'reject', // a Voice List voice_id with fast_dialogue: 'reject' | 'ignore'
		openOnClose: undefined, // {count, times?, status?}: each of the first `times` closes opens `count` sessions
		...options,
	};
	const initialConfig = JSON.parse(JSON.stringify(config));
	const state = seedState();
	const issuedTokens = new Set(config.tokens);
	const requests = [];
	const counters = { requests: 0, getToken: 0, byRoute: {} };
	const sockets = new Set();
	let faults = [];
	let random = seededRandom(42);
	let window = { second: 0, count: 0 };
	let closesThatOpened = 0;

	function authenticate(headers) {
		// Akool: "If both Authorization and x-api-key have values, Authorization will be used first".
		const authorization = headers.authorization;
		if (authorization) {
			const match = /^Bearer\s+(.+)$/i.exec(authorization);
			const token = match?.[1].trim();
			if (!token || !(issuedTokens.has(token) || config.tokens.includes(token))) fail(1101);
			return { via: 'bearer' };
		}
		const apiKey = headers['x-api-key'];
		if (apiKey) {
			if (!config.apiKeys.includes(apiKey)) fail(1101);
			return { via: 'apiKey' };
		}
		fail(1102);
	}

	const session = (id, field = 'id') => {
		if (!isNonBlankString(id)) fail(1003, `${field} is required`);
		const found = state.sessions.get(id);
		if (!found) fail(1216);
		return found;
	};
	const isOpen = (s) => s.status === SESSION_STATUS.queueing || s.status === SESSION_STATUS.processing;
	const publicSession = ({ closeCalls, ...rest }) => rest;

	/** Routes: "METHOD path" → handler({query, body}) returning the envelope's `data` (or undefined). */
	const routes = {
		[ROUTES.getToken]: ({ body }) => {
			counters.getToken += 1;
			const ok = config.clients.some(
				(c) => c.clientId === body.clientId && c.clientSecret === body.clientSecret,
			);
			if (!isNonBlankString(body.clientId) || !isNonBlankString(body.clientSecret)) fail(1003);
			if (!ok) fail(1101);
			const token = `tok_${randomBytes(16).toString('hex')}`;
			issuedTokens.add(token);
			return config.tokenIn === 'data' ? { __envelope: { data: { token } } } : { __envelope: { token } };
		},

		[ROUTES.listAvatars]: ({ query }) => {
			const platform = query.platform ?? 'open';
			if (!['open', 'aigc'].includes(platform)) fail(1003, 'platform must be open or aigc');
			const { take } = pageOf(query, { defaultSize: 100, maxSize: 100 }, config);
			const { elements, count } = take([...state.avatars.values()].filter((a) => a.platform === platform));
			return { ...countField(count), result: elements.map(publicAvatar) };
		},
		[ROUTES.getAvatar]: ({ query }) => {
			const avatar = [...state.avatars.values()].find((a) => a.avatar_id === query.avatar_id);
			if (!isNonBlankString(query.avatar_id)) fail(1003, 'avatar_id is required');
			if (!avatar) fail(1014, 'Resource does not exist');
			return { ...publicAvatar(avatar), platform: avatar.platform };
		},
		[ROUTES.uploadAvatar]: ({ body }) => {
			if (!isHttpUrl(body.url)) fail(1003, 'url must be an http(s) URL');
			const avatarId = requireString(body, 'avatar_id');
			if (!/^[a-zA-Z0-9]+$/.test(avatarId)) fail(1003, 'avatar_id may contain letters and digits only');
			requireString(body, 'name');
			if (body.type !== 2 && body.type !== '2') fail(1003, 'type must be 2');
			if (![1, 2, '1', '2'].includes(body.url_from)) fail(1003, 'url_from must be 1 or 2');
			if ([...state.avatars.values()].some((a) => a.avatar_id === avatarId)) fail(1222);
			const avatar = {
				_id: objectId(),
				uid: 100010,
				type: 2,
				from: 3,
				status: 1,
				avatar_id: avatarId,
				name: body.name,
				url: body.url,
				url_from: Number(body.url_from),
				platform: 'open',
				gender: '',
				thumbnailUrl: '',
				create_time: Date.now(),
				polls: 0,
				failsProcessing: /fail/i.test(body.url),
			};
			state.avatars.set(avatar._id, avatar);
			return uploadView(avatar);
		},
		[ROUTES.getUploadedAvatar]: ({ query }) => {
			if (!isNonBlankString(query.id)) fail(1003, 'id is required');
			const avatar = state.avatars.get(query.id);
			if (!avatar) fail(1014, 'Resource does not exist');
			advanceUpload(avatar);
			const { _id, uid, type, from, status, name, url } = avatar;
			return [{ _id, uid, type, from, status, name, url }];
		},

		[ROUTES.createSession]: ({ body }) => {
			const avatarId = requireString(body, 'avatar_id');
			const avatar = [...state.avatars.values()].find((a) => a.avatar_id === avatarId);
			if (!avatar || avatar.status !== 3) fail(1003, `avatar ${avatarId} is not an available streaming avatar`);
			checkCreateSession(body);
			if (body.knowledge_id !== undefined && !state.knowledge.has(body.knowledge_id)) fail(1232);
			const streamType = body.stream_type ?? 'agora';
			const cost = Math.ceil((body.duration ?? 600) / 60);
			if (state.credit < cost) fail(1104);
			state.credit -= cost;
			const created = {
				_id: objectId(),
				uid: 100010,
				type: 1,
				status: SESSION_STATUS.queueing,
				stream_type: streamType,
				credentials: body.credentials ?? defaultCredentials(streamType),
				avatar_id: avatarId,
				duration: body.duration ?? 600,
				create_time: Date.now(),
				closeCalls: 0,
			};
			state.sessions.set(created._id, created);
			return publicSession(created);
		},
		[ROUTES.getSession]: ({ query }) => publicSession(session(query.id)),
		[ROUTES.listSessions]: ({ query }) => {
			const { take } = pageOf(query, { defaultSize: 100 }, config);
			let list = [...state.sessions.values()];
			if (config.closedSessions === 'gone') list = list.filter((s) => s.status !== SESSION_STATUS.completed);
			if (query.status !== undefined) {
				const status = Number(query.status);
				if (![1, 2, 3, 4].includes(status)) fail(1003, 'status must be 1, 2, 3 or 4');
				list = list.filter((s) => s.status === status);
			}
			const { elements, count } = take(list);
			return { ...countField(count), result: elements.map(publicSession) };
		},
		[ROUTES.closeSession]: ({ body }) => {
			const [field, id] = (CLOSE_READS[config.closeReads] ?? CLOSE_READS.id)(body);
			const found = session(id, field);
			found.closeCalls += 1;
			if (!isOpen(found)) {
				// Akool's docs do not say what closing a closed session answers: `closeClosedAnswer` picks.
				if (config.closeClosedAnswer === OK) return undefined;
				fail(config.closeClosedAnswer ?? 1219);
			}
			found.status = SESSION_STATUS.completed;
			found.close_time = Date.now();
			openWhileClosing();
			return undefined; // the schema's answer is the bare envelope
		},

		[ROUTES.listVoices]: ({ query }) => {
			if (!['1', '2'].includes(query.type)) fail(1003, 'type is required: 1 (voice clone) or 2 (Akool voices)');
			// The docs give no maximum page size for voices (default 10).
			const { page, size, take } = pageOf(query, { defaultSize: 10 }, config);
			let list = state.voices.filter((v) => v.type === Number(query.type));
			if (query.support_stream !== undefined) {
				if (!['1', '2'].includes(query.support_stream)) fail(1003, 'support_stream must be 1 or 2');
				list = list.filter((v) => v.support_stream === (query.support_stream === '1'));
			}
			if (query.name) list = list.filter((v) => v.name.toLowerCase().includes(String(query.name).toLowerCase()));
			for (const [filter, matches] of Object.entries(VOICE_TAG_FILTERS)) {
				if (query[filter] === undefined) continue;
				const wanted = String(query[filter]).split(',');
				list = list.filter((v) => matches(v[filter], wanted, config.voiceTagMatch ?? 'any'));
			}
			const { elements, count } = take(list);
			return { result: elements.map(({ type, ...v }) => v), ...countField(count), page, size };
		},
		[ROUTES.listLanguages]: () => ({ lang_list: state.languages }),

		[ROUTES.listKnowledgeBases]: ({ query }) => {
			const { take } = pageOf(query, { defaultSize: 10, maxSize: 100 }, config);
			let list = [...state.knowledge.values()];
			if (query.name) list = list.filter((k) => k.name.includes(String(query.name)));
			const { elements, count } = take(list);
			return config.knowledgeListShape === 'knowledge_list' ? { knowledge_list: elements, ...countField(count) } : elements;
		},
		[ROUTES.createKnowledgeBase]: ({ body }) => {
			const kb = knowledgeFields(body, { create: true });
			if ([...state.knowledge.values()].some((k) => k.name === kb.name)) fail(1233);
			const now = Date.now();
			const created = { _id: objectId(), team_id: 't1', uid: 100010, user_type: 2, from: 2, docs: [], urls: [], prologue: '', prompt: '', ...kb, create_time: now, update_time: now };
			state.knowledge.set(created._id, created);
			return created;
		},
		[ROUTES.getKnowledgeBase]: ({ query }) => knowledgeById(query.id),
		[ROUTES.updateKnowledgeBase]: ({ body }) => {
			const kb = knowledgeById(body.id);
			Object.assign(kb, knowledgeFields(body, { create: false }), { update_time: Date.now() });
			return kb;
		},
		[ROUTES.deleteKnowledgeBase]: ({ body }) => {
			knowledgeById(body.id);
			state.knowledge.delete(body.id);
			return undefined;
		},

		[ROUTES.getCreditBalance]: () => ({ credit: state.credit }),
	};
	const AUTH_FREE = new Set([ROUTES.getToken]);

	function knowledgeById(id) {
		if (!isNonBlankString(id)) fail(1003, 'id is required');
		const kb = state.knowledge.get(id);
		if (!kb) fail(1232);
		return kb;
	}
	function knowledgeFields(body, { create }) {
		const out = {};
		if (create || body.name !== undefined) out.name = requireString(body, 'name', 100);
		const prologue = optionalString(body, 'prologue', 2000);
		const prompt = optionalString(body, 'prompt', 10000);
		if (prologue !== undefined) out.prologue = prologue;
		if (prompt !== undefined) out.prompt = prompt;
		if (body.docs !== undefined) {
			if (!Array.isArray(body.docs) || body.docs.some((d) => !d || !isNonBlankString(d.name) || !isHttpUrl(d.url))) {
				fail(1003, 'docs must be a list of {name, url, size}');
			}
			out.docs = body.docs;
		}
		if (body.urls !== undefined) {
			if (!Array.isArray(body.urls) || body.urls.some((u) => !isHttpUrl(u))) fail(1003, 'urls must be a list of URLs');
			out.urls = body.urls;
		}
		return out;
	}
	function publicAvatar(a) {
		const { _id, uid, type, from, avatar_id, voice_id, name, url, thumbnailUrl, gender } = a;
		return { _id, uid, type, from, avatar_id, voice_id, name, url, thumbnailUrl, gender, available: a.status === 3 };
	}
	function uploadView(a) {
		const { polls, failsProcessing, platform, url_from, ...rest } = a;
		return { ...rest, disabled: false, sort: 0, modify_url: a.url, crop_arr: [] };
	}
	function advanceUpload(a) {
		if (a.status >= 3) return;
		a.polls += 1;
		if (a.polls >= config.avatarReadyAfterPolls) a.status = a.failsProcessing ? 4 : 3;
		else a.status = 2;
	}
	function checkCreateSession(body) {
		checkObject(body, CREATE_SESSION, '');
		const fastDialogue = body.scene_mode === 'fast_dialogue';
		// "Use Option 2 when scene_mode is fast_dialogue. Otherwise use Option 1."
		if (body.voice_params !== undefined) (fastDialogue ? FAST_DIALOGUE_VOICE_PARAMS : VOICE_PARAMS)(body.voice_params, 'voice_params');
		if (body.e2e_type !== undefined && !fastDialogue && config.e2eTypeOutsideFastDialogue !== 'ignore') {
			fail(1003, 'e2e_type is only applicable when scene_mode is fast_dialogue');
		}
		if (fastDialogue && config.fastDialogueListVoice !== 'ignore' && state.voices.some((v) => v.voice_id === body.voice_id)) {
			fail(1003, `voice_id ${body.voice_id} is from the Voice List, which is not available with scene_mode fast_dialogue: use voice_params.voice_id (${FAST_DIALOGUE_VOICES.join(', ')})`);
		}
		if (body.credentials !== undefined) {
			const missing = REQUIRED_CREDENTIALS[body.stream_type ?? 'agora'].filter((key) => body.credentials[key] === undefined);
			if (missing.length > 0) fail(1003, `credentials.${missing.join(', credentials.')} required for stream_type ${body.stream_type ?? 'agora'}`);
		}
	}
	/** Sessions that appear while someone closes sessions (another workflow, a user): see `openOnClose`. */
	function openWhileClosing() {
		const plan = config.openOnClose;
		if (!plan || closesThatOpened >= (plan.times ?? Infinity)) return;
		closesThatOpened += 1;
		api.addSessions(plan.count ?? 1, plan.status ?? SESSION_STATUS.processing);
	}
	function drip(res, text, { ms = 100, endless = false }) {
		res.writeHead(200, { 'content-type': 'application/json' });
		const bytes = Buffer.from(text);
		let sent = 0;
		const timer = setInterval(() => {
			if (res.destroyed) return clearInterval(timer);
			// JSON may open with any amount of white space: an endless drip is a body that never ends.
			if (endless) return res.write(' ');
			res.write(bytes.subarray(sent, sent + 1));
			sent += 1;
			if (sent >= bytes.length) {
				clearInterval(timer);
				res.end();
			}
		}, ms);
		res.on('close', () => clearInterval(timer));
	}
	function defaultCredentials(streamType) {
		const n = randomBytes(4).readUInt32BE(0) % 1000000;
		if (streamType === 'livekit') return { livekit_url: 'wss://livekit.example', livekit_token: `lk_${n}`, livekit_room_name: `room_${n}` };
		if (streamType === 'trtc') {
			const [appId, roomId, userId, userSig] = TRTC_NAMES[config.trtcCredentialNames] ?? TRTC_NAMES.demo;
			return { [appId]: 1400000000, [roomId]: `room_${n}`, [userId]: `user_${n}`, [userSig]: `sig_${n}` };
		}
		return { agora_uid: n, agora_app_id: 'fake-agora-app', agora_channel: `channel_${n}`, agora_token: `agora_${n}` };
	}

	// ---- faults -------------------------------------------------------------------------------------
	/**
	 * A fault applies to matching requests. kind:
	 *  'code'       envelope with `code` (HTTP 200), e.g. 1005, 2001
	 *  'http'       HTTP `status` with an HTML body (a proxy's error page); `retryAfter` adds Retry-After
	 *  'drop'       destroy the connection before the request is processed (nothing happened)
	 *  'dropAfter'  process the request (state changes), then destroy the connection (answer lost)
	 *  'hang'       never answer
	 *  'malformed'  HTTP 200 with truncated JSON; 'empty' HTTP 200 with no body; 'noCode' JSON without `code`
	 *  'delay'      add `ms` before answering normally
	 *  'reply'      answer `body` as JSON with HTTP `status` (default 200) instead of processing the request
	 *  'redirect'   HTTP `status` (default 307; 301/302/307/308) with a `location` header, nothing processed
	 *  'drip'       process, then answer HTTP 200 writing the body one byte every `ms` (default 100); `endless`
	 *               writes white space for ever; `body` (JSON) replaces the real answer
	 *  'badGzip'    process, then answer HTTP 200 "content-encoding: gzip" with a corrupt body (Z_DATA_ERROR)
	 *  'badHttp'    process, then write a malformed HTTP response (`raw`) on the socket (HPE_* parse error)
	 * Matching: `route` (substring of "METHOD /path"), `times` (how many matches it consumes; default 1,
	 * Infinity for ever), `probability` (0..1, seeded), `when(req)` (a predicate, in-process only).
	 */
	function addFault(fault) {
		const f = { times: 1, probability: 1, ...fault, hits: 0 };
		faults.push(f);
		return f;
	}
	function takeFault(req) {
		for (const f of faults) {
			if (f.hits >= f.times) continue;
			if (f.route && !req.route.includes(f.route)) continue;
			if (f.when && !f.when(req)) continue;
			if (f.probability < 1 && random() >= f.probability) continue;
			f.hits += 1;
			return f;
		}
		return undefined;
	}

	function overRateLimit() {
		if (!config.rateLimit) return false;
		const second = Math.floor(Date.now() / 1000);
		if (window.second !== second) window = { second, count: 0 };
		window.count += 1;
		return window.count > config.rateLimit.perSecond;
	}

	// ---- HTTP ---------------------------------------------------------------------------------------
	const send = (res, status, body, headers = {}) => {
		if (res.destroyed) return;
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(typeof body === 'string' ? body : JSON.stringify(body));
	};
	const html = (status) =>
		`<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`;
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

	async function handle(req, res, rawBody) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const query = Object.fromEntries(url.searchParams);
		if (url.pathname.startsWith('/__fake/')) return control(req, res, url, rawBody);

		let body = {};
		let badJson = false;
		if (rawBody.length) {
			try {
				body = JSON.parse(rawBody);
			} catch {
				badJson = true;
			}
		}
		const route = `${req.method} ${url.pathname}`;
		const record = { method: req.method, path: url.pathname, url: req.url, query, headers: { ...req.headers }, body, rawBody, route, at: Date.now() };
		counters.requests += 1;
		counters.byRoute[route] = (counters.byRoute[route] ?? 0) + 1;
		if (config.recordRequests) requests.push(record);

		const fault = takeFault(record);
		const delay = config.latencyMs + (fault?.kind === 'delay' ? fault.ms : 0);
		if (delay > 0) await sleep(delay);
		if (fault?.kind === 'drop' || fault?.kind === 'hang') {
			if (fault.kind === 'drop') req.socket.destroy();
			return;
		}
		if (fault?.kind === 'http') {
			const headers = { 'content-type': 'text/html' };
			if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
			return send(res, fault.status ?? 502, html(fault.status ?? 502), headers);
		}
		if (fault?.kind === 'malformed') return send(res, 200, '{"code":1000,"msg":"OK","data":{"_id":"6698c9');
		if (fault?.kind === 'empty') return send(res, 200, '');
		if (fault?.kind === 'noCode') return send(res, 200, { message: 'upstream answered without an envelope' });
		if (fault?.kind === 'code') {
			record.code = fault.code;
			return send(res, 200, { code: fault.code, msg: fault.msg ?? MSG[fault.code] ?? 'error' });
		}
		if (fault?.kind === 'reply') return send(res, fault.status ?? 200, fault.body);
		if (fault?.kind === 'redirect') {
			return send(res, fault.status ?? 307, `Redirecting to ${fault.location}`, { 'content-type': 'text/plain', location: fault.location });
		}

		if (overRateLimit()) {
			record.code = config.rateLimit.answer === '429' ? 429 : 1005;
			if (config.rateLimit.answer === '429') return send(res, 429, html(429), { 'content-type': 'text/html', 'retry-after': '1' });
			return send(res, 200, { code: 1005, msg: MSG[1005] });
		}

		const handler = routes[route];
		if (!handler) return send(res, 404, `<html><body>Cannot ${route}</body></html>`, { 'content-type': 'text/html' });
		let envelope;
		try {
			if (!AUTH_FREE.has(route)) record.auth = authenticate(req.headers).via;
			if (badJson) fail(1003, 'request body is not valid JSON');
			const data = handler({ query, body, headers: req.headers });
			envelope = data && data.__envelope ? { code: OK, msg: 'OK', ...data.__envelope } : { code: OK, msg: 'OK', ...(data === undefined ? {} : { data }) };
		} catch (error) {
			if (!(error instanceof AkoolError)) throw error;
			envelope = { code: error.code, msg: error.message };
		}
		record.code = envelope.code;
		if (fault?.kind === 'dropAfter') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'drip') return drip(res, JSON.stringify(fault.body ?? envelope), fault);
		if (fault?.kind === 'badGzip') {
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			return res.end(CORRUPT_GZIP);
		}
		if (fault?.kind === 'badHttp') return req.socket.end(fault.raw ?? BAD_HTTP);
		send(res, 200, envelope);
	}

	/** Test controls over HTTP, for processes that cannot reach this object (n8n, the CLI server). */
	function control(req, res, url, rawBody) {
		const body = rawBody.length ? JSON.parse(rawBody) : {};
		switch (`${req.method} ${url.pathname}`) {
			case 'GET /__fake/state':
				return send(res, 200, api.snapshot());
			case 'GET /__fake/requests':
				return send(res, 200, requests);
			case 'POST /__fake/faults':
				addFault({ ...body, times: body.times ?? 1 });
				return send(res, 200, { ok: true });
			case 'POST /__fake/config':
				api.configure(body);
				return send(res, 200, { ok: true });
			case 'POST /__fake/sessions':
				return send(res, 200, api.addSessions(body.count ?? 1, body.status));
			case 'POST /__fake/reset':
				api.reset();
				return send(res, 200, { ok: true });
			case 'POST /__fake/expire-tokens':
				api.expireTokens();
				return send(res, 200, { ok: true });
			default:
				return send(res, 404, { error: 'unknown control' });
		}
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
				send(res, 500, html(500), { 'content-type': 'text/html' });
				process.stderr.write(`fake-akool: ${error.stack}\n`);
			});
		});
	});
	server.keepAliveTimeout = 5000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port ?? 0, config.host ?? '127.0.0.1', resolve);
	});
	const { port } = server.address();

	const api = {
		url: `http://127.0.0.1:${port}`,
		port,
		config,
		state,
		requests,
		counters,
		addFault,
		/** Requests seen for a route such as 'POST /api/open/v4/liveAvatar/session/close'. */
		requestsTo: (route) => requests.filter((r) => r.route === route),
		/**
		 * Requests that carried any of `secrets` anywhere: URL, headers or body. On a "foreign" fake (a
		 * second server standing for another host), this must stay empty.
		 */
		requestsCarrying: (secrets) =>
			requests.filter((r) => {
				const text = [r.url, JSON.stringify(r.query), ...Object.values(r.headers).flat(), r.rawBody].join('\n');
				return secrets.some((secret) => secret && text.includes(secret));
			}),
		/** Requests that carried an `x-api-key` or `Authorization` header, whatever its value. */
		requestsWithAuthHeaders: () => requests.filter((r) => r.headers['x-api-key'] !== undefined || r.headers.authorization !== undefined),
		/** Sets config keys, as `POST /__fake/config` does. */
		configure(changes) {
			Object.assign(config, changes);
			if ('openOnClose' in changes) closesThatOpened = 0;
		},
		/** Adds sessions in `status` (default processing): `countOrIds` new ones, or one under each id given; returns them. */
		addSessions(countOrIds, status = SESSION_STATUS.processing) {
			const added = [];
			const ids = Array.isArray(countOrIds) ? countOrIds : Array.from({ length: countOrIds }, objectId);
			for (const _id of ids) {
				const s = { _id, uid: 100010, type: 1, status, stream_type: 'agora', credentials: defaultCredentials('agora'), avatar_id: 'dvp_Tristan_cloth2_1080P', duration: 600, create_time: Date.now(), closeCalls: 0 };
				state.sessions.set(s._id, s);
				added.push(publicSession(s));
			}
			return added;
		},
		/** Forgets every token issued by getToken, as if they had expired. */
		expireTokens() {
			for (const t of issuedTokens) if (!config.tokens.includes(t)) issuedTokens.delete(t);
		},
		snapshot() {
			return {
				credit: state.credit,
				sessions: [...state.sessions.values()],
				avatars: [...state.avatars.values()],
				knowledge: [...state.knowledge.values()],
				counters,
			};
		},
		/** Back to the start: seeded state, the config given at start, no faults, no recorded requests. */
		reset() {
			for (const key of Object.keys(config)) delete config[key];
			Object.assign(config, JSON.parse(JSON.stringify(initialConfig)));
			Object.assign(state, seedState());
			requests.length = 0;
			faults = [];
			random = seededRandom(42);
			counters.requests = 0;
			counters.getToken = 0;
			counters.byRoute = {};
			window = { second: 0, count: 0 };
			closesThatOpened = 0;
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise((r) => server.close(() => r()));
		},
	};
	return api;
}

module.exports = { startFakeAkool, ROUTES, ROUTE_PATH, SESSION_STATUS, AKOOL_MESSAGES: MSG };
