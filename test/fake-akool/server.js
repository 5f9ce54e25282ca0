'use strict';
// A stand-in for Akool's OpenAPI (openapi.akool.com) on 127.0.0.1, used by the unit tests, the real-n8n
// end-to-end suite, `npm start` and the benchmarks. It speaks Akool's `{code, msg, data}` envelope, checks
// both auth headers the way Akool documents them (Bearer wins over x-api-key), validates bodies as the
// OpenAPI schema does, keeps session/avatar/knowledge state, and can inject faults on demand.
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

function pageOf(query, { defaultSize, maxSize }) {
	const page = query.page === undefined ? 1 : Number(query.page);
	const size = query.size === undefined ? defaultSize : Number(query.size);
	if (!Number.isInteger(page) || page < 1) fail(1003, 'page must be an integer >= 1');
	if (!Number.isInteger(size) || size < 1 || (maxSize && size > maxSize)) {
		fail(1003, `size must be an integer between 1 and ${maxSize ?? 'any'}`);
	}
	return { page, size, slice: (list) => list.slice((page - 1) * size, page * size) };
}

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

	const session = (id) => {
		if (!isNonBlankString(id)) fail(1003, 'id is required');
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
			const { slice } = pageOf(query, { defaultSize: 100, maxSize: 100 });
			const list = [...state.avatars.values()].filter((a) => a.platform === platform);
			return { count: list.length, result: slice(list).map(publicAvatar) };
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
			if (body.duration !== undefined) {
				if (typeof body.duration !== 'number' || !(body.duration > 0) || body.duration > 3600) {
					fail(1003, 'duration must be a number of seconds up to 3600');
				}
			}
			const streamType = body.stream_type ?? 'agora';
			if (!['agora', 'livekit', 'trtc'].includes(streamType)) fail(1003, 'stream_type must be agora, livekit or trtc');
			if (body.mode_type !== undefined && ![1, 2].includes(body.mode_type)) fail(1003, 'mode_type must be 1 or 2');
			if (body.scene_mode !== undefined && body.scene_mode !== 'fast_dialogue') fail(1003, 'scene_mode must be fast_dialogue');
			for (const key of ['voice_id', 'voice_url', 'language', 'knowledge_id', 'background_url']) optionalString(body, key);
			if (body.knowledge_id !== undefined && !state.knowledge.has(body.knowledge_id)) fail(1232);
			if (body.credentials !== undefined && (typeof body.credentials !== 'object' || body.credentials === null)) {
				fail(1003, 'credentials must be an object');
			}
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
			const { slice } = pageOf(query, { defaultSize: 100 });
			let list = [...state.sessions.values()];
			if (query.status !== undefined) {
				const status = Number(query.status);
				if (![1, 2, 3, 4].includes(status)) fail(1003, 'status must be 1, 2, 3 or 4');
				list = list.filter((s) => s.status === status);
			}
			return { count: list.length, result: slice(list).map(publicSession) };
		},
		[ROUTES.closeSession]: ({ body }) => {
			const found = session(body.id); // the schema's required field; `session_id` alone is a 1003
			found.closeCalls += 1;
			if (!isOpen(found)) fail(1219);
			found.status = SESSION_STATUS.completed;
			found.close_time = Date.now();
			return undefined; // the schema's answer is the bare envelope
		},

		[ROUTES.listVoices]: ({ query }) => {
			if (!['1', '2'].includes(query.type)) fail(1003, 'type is required: 1 (voice clone) or 2 (Akool voices)');
			const { page, size, slice } = pageOf(query, { defaultSize: 10, maxSize: 100 });
			let list = state.voices.filter((v) => v.type === Number(query.type));
			if (query.support_stream !== undefined) {
				if (!['1', '2'].includes(query.support_stream)) fail(1003, 'support_stream must be 1 or 2');
				list = list.filter((v) => v.support_stream === (query.support_stream === '1'));
			}
			if (query.name) list = list.filter((v) => v.name.toLowerCase().includes(String(query.name).toLowerCase()));
			return { result: slice(list).map(({ type, ...v }) => v), count: list.length, page, size };
		},
		[ROUTES.listLanguages]: () => ({ lang_list: state.languages }),

		[ROUTES.listKnowledgeBases]: ({ query }) => {
			const { slice } = pageOf(query, { defaultSize: 10, maxSize: 100 });
			let list = [...state.knowledge.values()];
			if (query.name) list = list.filter((k) => k.name.includes(String(query.name)));
			const page = slice(list);
			return config.knowledgeListShape === 'knowledge_list' ? { knowledge_list: page, count: list.length } : page;
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
	function defaultCredentials(streamType) {
		const n = randomBytes(4).readUInt32BE(0) % 1000000;
		if (streamType === 'livekit') return { livekit_url: 'wss://livekit.example', livekit_token: `lk_${n}`, livekit_room_name: `room_${n}` };
		if (streamType === 'trtc') return { trtc_sdk_app_id: 1400000000, trtc_sdk_room_id: `room_${n}`, trtc_sdk_user_id: `user_${n}`, trtc_sdk_user_sig: `sig_${n}` };
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
		const record = { method: req.method, path: url.pathname, query, headers: { ...req.headers }, body, route, at: Date.now() };
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
				Object.assign(config, body);
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
		/** Adds `count` sessions in `status` (default processing) and returns them. */
		addSessions(count, status = SESSION_STATUS.processing) {
			const added = [];
			for (let i = 0; i < count; i += 1) {
				const s = { _id: objectId(), uid: 100010, type: 1, status, stream_type: 'agora', credentials: defaultCredentials('agora'), avatar_id: 'dvp_Tristan_cloth2_1080P', duration: 600, create_time: Date.now(), closeCalls: 0 };
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
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise((r) => server.close(() => r()));
		},
	};
	return api;
}

module.exports = { startFakeAkool, ROUTES, ROUTE_PATH, SESSION_STATUS, AKOOL_MESSAGES: MSG };
