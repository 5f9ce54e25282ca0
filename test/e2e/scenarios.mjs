// The scenarios of the real-n8n end-to-end suite, as data: which workflow file to import and run, with
// which credential, what to seed in the fake Akool server first, and what to check afterwards in n8n's
// execution output and in the fake server's state. run.mjs runs them in this order, once per n8n version.
//
// To add one: put a workflow under test/e2e/workflows/ (Manual Trigger first; Akool nodes of type
// n8n-nodes-akool.akoolLiveAvatar), then add an entry here:
//   {
//     id: 'shortId',                 // n8n workflow id (at most 21 characters), unique
//     title: 'what it proves',
//     workflow: 'workflows/x.json',  // relative to test/e2e/ (or '../../examples/x.json')
//     credential: 'apiKey',          // a key of CREDENTIALS below; every Akool node gets it (default apiKey)
//     exitCode: 0,                   // what `n8n execute` must exit with (default 0)
//     before(fake, ctx) {},          // seed the fake server (it is reset before every scenario)
//     check(t, run) {},              // assertions, see below
//   }
// Instead of `workflow`, a scenario may give `command(ctx)` returning {result, ...} to check any n8n CLI call.
// The fake server is reset before each scenario, except the tokens it issued: the client-credential
// scenarios build on each other (the second one expects the token the first one stored), as do the
// first scenario (exportNodes: the others check their workflows against its node description) and the last.
//
// In check(t, run): t.equal(actual, expected, what, node), t.ok(condition, what, {expected, actual, node}),
// t.contains(text, part, what, node), t.notContains(text, part, what, node); run = {execution, result, fake,
// ctx, items(node), runError}. result = {code, stdout, stderr, ms}. Checks do not stop at the first failure.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { NODE_TYPE, TOOL_TYPE, runN8n } from './lib.mjs';

const CLOSE = 'POST /api/open/v4/liveAvatar/session/close';
const CREATE = 'POST /api/open/v4/liveAvatar/session/create';
const GET_TOKEN = 'POST /api/open/v3/getToken';
const STATUS = { queueing: 1, processing: 2, completed: 3 };

/** Secrets of this run. Only the fake server's defaults are fixed; the others are new every run. */
export const SECRETS = {
	apiKey: 'test-api-key',
	wrongApiKey: `e2e-wrong-key-${randomBytes(8).toString('hex')}`,
	bearerToken: `e2e-bearer-${randomBytes(12).toString('hex')}`,
	clientId: 'test-client-id',
	clientSecret: 'test-client-secret',
};

/** Credentials imported into every n8n user folder; `baseUrl` is the fake server's. */
export const CREDENTIALS = {
	apiKey: { id: 'e2eApiKey', name: 'Akool (API key)', data: { authMethod: 'apiKey', apiKey: SECRETS.apiKey } },
	wrongApiKey: { id: 'e2eWrongKey', name: 'Akool (wrong API key)', data: { authMethod: 'apiKey', apiKey: SECRETS.wrongApiKey } },
	bearerToken: { id: 'e2eBearer', name: 'Akool (bearer token)', data: { authMethod: 'bearerToken', accessToken: SECRETS.bearerToken } },
	clientCredentials: {
		id: 'e2eClient',
		name: 'Akool (client ID and secret)',
		data: { authMethod: 'clientCredentials', clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret },
	},
};

/** Adds sessions with the given ids (the fake's addSessions picks random ids; workflows need fixed ones). */
export function seedSessions(fake, ids, status = STATUS.processing) {
	for (const id of ids) {
		const [added] = fake.addSessions(1, status);
		const session = fake.state.sessions.get(added._id);
		fake.state.sessions.delete(added._id);
		session._id = id;
		fake.state.sessions.set(id, session);
	}
}

const statusOf = (fake, id) => fake.state.sessions.get(id)?.status;
const closedIds = (fake) => fake.requestsTo(CLOSE).map((r) => r.body.id);
const apiRequests = (fake) => fake.requests.filter((r) => r.route !== GET_TOKEN);
const header = (request, name) => request.headers[name];

/** Every request to the API (not getToken) carried exactly the expected auth header. */
function checkAuthHeaders(t, fake, { apiKey, bearer }) {
	const requests = apiRequests(fake);
	t.ok(requests.length > 0, 'requests to the Akool API', { expected: 'at least one', actual: 0 });
	requests.forEach((r, i) => {
		const what = `request ${i + 1} (${r.route})`;
		if (apiKey !== undefined) {
			t.equal(header(r, 'x-api-key'), apiKey, `${what}: x-api-key header`);
			t.equal(header(r, 'authorization'), undefined, `${what}: Authorization header`);
		} else {
			t.equal(header(r, 'x-api-key'), undefined, `${what}: x-api-key header`);
			t.ok(/^Bearer \S+$/.test(header(r, 'authorization') ?? ''), `${what}: Authorization header`, {
				expected: bearer ?? 'Bearer <token>',
				actual: header(r, 'authorization'),
			});
			if (bearer !== undefined) t.equal(header(r, 'authorization'), `Bearer ${bearer}`, `${what}: bearer token`);
		}
	});
}

/** The close of the seeded session `id` went through and the node output says so. */
function checkClosedOne(t, run, id, node = 'Close Session') {
	t.equal(statusOf(run.fake, id), STATUS.completed, `status of session ${id} in the fake server`);
	const [item] = run.items(node) ?? [];
	t.equal(item?.json?.session_id, id, 'output item session_id', node);
	t.equal(item?.json?.error, undefined, 'output item error', node);
}

/** Files under `dir` (skipping the installed packages), read as raw bytes. */
function filesUnder(dir) {
	const out = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (name === 'nodes') continue;
		if (statSync(path).isDirectory()) out.push(...filesUnder(path));
		else out.push(path);
	}
	return out;
}

/** Where a secret appears: in the output of any n8n call of this run, or in n8n's files (database included). */
function whereIs(secret, ctx) {
	const places = [];
	ctx.outputs.forEach((o, i) => {
		if (o.text.includes(secret)) places.push(`${o.label} (${i})`);
	});
	for (const file of filesUnder(join(ctx.userFolder, '.n8n'))) {
		if (readFileSync(file).includes(secret)) places.push(file);
	}
	return places;
}

const ONE_SESSION = 'e2ec00000000000000000001';
const FOUR_SESSIONS = ['e2eb00000000000000000001', 'e2eb00000000000000000002', 'e2eb0000000000000000dead', 'e2eb00000000000000000003'];

export const SCENARIOS = [
	{
		id: 'exportNodes',
		title: 'e. n8n export:nodes lists the node and its AI tool variant',
		async command(ctx) {
			const file = join(ctx.tmp, 'nodes.json');
			const result = await runN8n(ctx.install, ['export:nodes', `--output=${file}`], ctx.env);
			let nodes = [];
			try {
				nodes = JSON.parse(readFileSync(file, 'utf8'));
			} catch {
				// reported by the checks below
			}
			ctx.nodeTypes = Object.fromEntries(nodes.filter((n) => n.name.startsWith('n8n-nodes-akool.')).map((n) => [n.name, n]));
			return { result, nodes };
		},
		check(t, { result, nodes }) {
			t.equal(result.code, 0, 'exit code of export:nodes');
			const names = nodes.map((n) => n.name);
			t.ok(names.includes(NODE_TYPE), 'node types exported', { expected: `to include ${NODE_TYPE}`, actual: names.filter((n) => n.includes('akool')) });
			const tool = nodes.find((n) => n.name === TOOL_TYPE);
			t.ok(tool, 'node types exported', { expected: `to include ${TOOL_TYPE}`, actual: names.filter((n) => n.includes('akool')) });
			if (tool) t.equal(JSON.stringify(tool.outputs), '["ai_tool"]', `outputs of ${TOOL_TYPE}`);
		},
	},
	{
		id: 'e2eCreateClose',
		title: 'a. Create Session → Close Session with {{ $json._id }}',
		workflow: 'workflows/create-and-close.json',
		check(t, run) {
			const created = run.items('Create Session') ?? [];
			t.equal(created.length, 1, 'items out', 'Create Session');
			const id = created[0]?.json?._id;
			t.ok(typeof id === 'string' && id !== '', 'output item _id', { expected: 'the new session id', actual: id, node: 'Create Session' });
			const createBody = run.fake.requestsTo(CREATE)[0]?.body ?? {};
			t.equal(createBody.avatar_id, 'dvp_Tristan_cloth2_1080P', 'avatar_id sent to Akool', 'Create Session');
			t.equal(createBody.duration, 120, 'duration sent to Akool', 'Create Session');
			t.equal(JSON.stringify(closedIds(run.fake)), JSON.stringify([id]), 'ids in the close requests the fake server saw', 'Close Session');
			checkClosedOne(t, run, id);
		},
	},
	{
		id: 'e2eCloseFour',
		title: 'b. four items, one unknown id, Continue On Fail: 4 in, 4 out, paired, 3 closed',
		workflow: 'workflows/close-four-continue-on-fail.json',
		before(fake) {
			seedSessions(fake, FOUR_SESSIONS.filter((id) => !id.endsWith('dead')));
			// The node works on several items at once: make the first one finish last.
			fake.addFault({ kind: 'delay', ms: 400, route: 'session/close', when: (r) => r.body.id === FOUR_SESSIONS[0] });
		},
		check(t, run) {
			const node = 'Close Sessions';
			const items = run.items(node) ?? [];
			t.equal(items.length, 4, 'items out', node);
			items.forEach((item, i) => {
				t.equal(item.pairedItem?.item, i, `pairedItem of output item ${i}`, node);
				if (i === 2) {
					t.contains(String(item.json.error), 'Akool returned code 1216', `error of output item ${i} (unknown id)`, node);
					t.equal(item.json.akoolCode, 1216, `akoolCode of output item ${i}`, node);
				} else {
					t.equal(item.json.session_id, FOUR_SESSIONS[i], `session_id of output item ${i}`, node);
					t.equal(item.json.error, undefined, `error of output item ${i}`, node);
				}
			});
			t.equal(JSON.stringify(closedIds(run.fake).sort()), JSON.stringify([...FOUR_SESSIONS].sort()), 'ids in the close requests (any order)', node);
			for (const id of FOUR_SESSIONS.filter((s) => !s.endsWith('dead'))) {
				t.equal(statusOf(run.fake, id), STATUS.completed, `status of session ${id} in the fake server`);
			}
		},
	},
	{
		id: 'e2eWrongKey',
		title: 'c. wrong API key: the execution fails with code 1101 and the key is never printed or stored in clear',
		workflow: 'workflows/close-one-session.json',
		credential: 'wrongApiKey',
		exitCode: 1,
		before: (fake) => seedSessions(fake, [ONE_SESSION]),
		check(t, run) {
			const key = SECRETS.wrongApiKey;
			t.equal(run.fake.requestsTo(CLOSE)[0]?.headers['x-api-key'], key, 'x-api-key the fake server received (the credential was used)');
			t.contains(run.runError?.message ?? '', '1101', 'execution error message', 'Close Session');
			t.equal(run.runError?.node, 'Close Session', 'node named in the execution error');
			t.contains(`${run.result.stdout}\n${run.result.stderr}`, 'Akool returned code 1101', 'what n8n printed');
			t.equal(statusOf(run.fake, ONE_SESSION), STATUS.processing, 'status of the session (must stay open)');
			t.notContains(run.result.stdout, key, 'stdout of n8n execute');
			t.notContains(run.result.stderr, key, 'stderr of n8n execute');
			t.notContains(JSON.stringify(run.execution ?? {}), key, 'execution data printed by n8n');
			// The database must hold this execution (else the next check proves nothing), but never the key.
			const files = filesUnder(join(run.ctx.userFolder, '.n8n'));
			const db = files.filter((f) => f.includes('database.sqlite'));
			t.ok(db.some((f) => readFileSync(f).includes('Akool returned code 1101')), 'stored execution data in the database', {
				expected: 'the execution error "Akool returned code 1101" in database.sqlite*',
				actual: `not found in ${db.join(', ') || 'no database file'}`,
			});
			const leaks = files.filter((f) => readFileSync(f).includes(key));
			t.equal(leaks.join(', '), '', `files under ${run.ctx.userFolder}/.n8n containing the API key`);
		},
	},
	{
		id: 'e2eAuthApiKey',
		title: 'd. API key: x-api-key only',
		workflow: 'workflows/close-one-session.json',
		credential: 'apiKey',
		before: (fake) => seedSessions(fake, [ONE_SESSION]),
		check(t, run) {
			checkClosedOne(t, run, ONE_SESSION);
			checkAuthHeaders(t, run.fake, { apiKey: SECRETS.apiKey });
			t.equal(run.fake.counters.getToken, 0, 'getToken calls');
		},
	},
	{
		id: 'e2eAuthBearer',
		title: 'd. bearer token: Authorization: Bearer only',
		workflow: 'workflows/close-one-session.json',
		credential: 'bearerToken',
		before: (fake) => seedSessions(fake, [ONE_SESSION]),
		check(t, run) {
			checkClosedOne(t, run, ONE_SESSION);
			checkAuthHeaders(t, run.fake, { bearer: SECRETS.bearerToken });
			t.equal(run.fake.counters.getToken, 0, 'getToken calls');
		},
	},
	{
		id: 'e2eAuthClient',
		title: 'd. client ID + secret: one getToken call, then Bearer only',
		workflow: 'workflows/close-one-session.json',
		credential: 'clientCredentials',
		before: (fake) => seedSessions(fake, [ONE_SESSION]),
		check(t, run) {
			checkClosedOne(t, run, ONE_SESSION);
			t.equal(run.fake.counters.getToken, 1, 'getToken calls');
			const body = run.fake.requestsTo(GET_TOKEN)[0]?.body ?? {};
			t.equal(body.clientId, SECRETS.clientId, 'clientId sent to getToken');
			checkAuthHeaders(t, run.fake, {});
			rememberIssuedTokens(run);
		},
	},
	{
		id: 'e2eAuthClientAgain',
		title: 'd. client ID + secret, second run: the stored token is reused (no getToken)',
		workflow: 'workflows/close-one-session.json',
		credential: 'clientCredentials',
		before: (fake) => seedSessions(fake, [ONE_SESSION]),
		check(t, run) {
			checkClosedOne(t, run, ONE_SESSION);
			t.equal(run.fake.counters.getToken, 0, 'getToken calls (token stored with the credential by the previous run)');
			checkAuthHeaders(t, run.fake, {});
			rememberIssuedTokens(run);
		},
	},
	{
		id: 'e2eAuthClientRenew',
		title: 'd. client ID + secret, token expired (Akool 1101 with HTTP 200): renewed once, request repeated',
		workflow: 'workflows/close-one-session.json',
		credential: 'clientCredentials',
		before(fake) {
			seedSessions(fake, [ONE_SESSION]);
			fake.expireTokens();
		},
		check(t, run) {
			checkClosedOne(t, run, ONE_SESSION);
			t.equal(run.fake.counters.getToken, 1, 'getToken calls');
			const closes = run.fake.requestsTo(CLOSE);
			t.equal(JSON.stringify(closes.map((r) => r.code)), '[1101,1000]', 'answers to the close requests (expired token, then renewed)');
			if (closes.length === 2) {
				t.ok(closes[0].headers.authorization !== closes[1].headers.authorization, 'token of the repeated request', {
					expected: 'a new token',
					actual: 'the expired one',
				});
			}
			checkAuthHeaders(t, run.fake, {});
			rememberIssuedTokens(run);
		},
	},
	{
		id: 'e2eAuthClientRenew4',
		title: 'd. client ID + secret, token expired, four items at once: every item succeeds after renewal',
		workflow: 'workflows/close-four-continue-on-fail.json',
		credential: 'clientCredentials',
		before(fake) {
			seedSessions(fake, FOUR_SESSIONS.filter((id) => !id.endsWith('dead')));
			fake.expireTokens();
		},
		check(t, run) {
			const node = 'Close Sessions';
			const items = run.items(node) ?? [];
			t.equal(items.length, 4, 'items out', node);
			items.forEach((item, i) => {
				if (i !== 2) t.equal(item.json.session_id, FOUR_SESSIONS[i], `session_id of output item ${i}`, node);
			});
			t.equal(items[2]?.json?.akoolCode, 1216, 'akoolCode of output item 2 (unknown id)', node);
			t.equal(run.fake.counters.getToken, 1, 'getToken calls (one renewal for the whole run)');
			checkAuthHeaders(t, run.fake, {});
			rememberIssuedTokens(run);
		},
	},
	{
		id: 'exCreateClose',
		title: 'example create-and-close-session.json runs',
		workflow: '../../examples/create-and-close-session.json',
		check(t, run) {
			const id = run.items('Create Session')?.[0]?.json?._id;
			t.equal(JSON.stringify(closedIds(run.fake)), JSON.stringify([id]), 'ids closed', 'Close Session');
			checkClosedOne(t, run, id);
		},
	},
	{
		id: 'exNightly',
		title: 'example close-all-open-sessions-nightly.json runs (Schedule Trigger swapped for Manual)',
		workflow: '../../examples/close-all-open-sessions-nightly.json',
		before(fake) {
			seedSessions(fake, ['e2ee00000000000000000001', 'e2ee00000000000000000002'], STATUS.processing);
			seedSessions(fake, ['e2ee00000000000000000003'], STATUS.queueing);
			seedSessions(fake, ['e2ee00000000000000000004'], STATUS.completed);
		},
		check(t, run) {
			for (const id of ['e2ee00000000000000000001', 'e2ee00000000000000000002', 'e2ee00000000000000000003']) {
				t.equal(statusOf(run.fake, id), STATUS.completed, `status of open session ${id}`, 'Close All Open Sessions');
			}
			t.equal(run.fake.state.sessions.get('e2ee00000000000000000004').closeCalls, 0, 'close calls for the already completed session', 'Close All Open Sessions');
		},
	},
	{
		id: 'exListClose',
		title: 'example list-and-close-open-sessions.json runs (Get Many, status Processing → Close)',
		workflow: '../../examples/list-and-close-open-sessions.json',
		before(fake) {
			seedSessions(fake, ['e2ef00000000000000000001', 'e2ef00000000000000000002'], STATUS.processing);
			seedSessions(fake, ['e2ef00000000000000000003'], STATUS.completed);
		},
		check(t, run) {
			t.equal(run.items('Get Running Sessions')?.length, 2, 'items out (sessions with status 2)', 'Get Running Sessions');
			t.equal(JSON.stringify(closedIds(run.fake).sort()), JSON.stringify(['e2ef00000000000000000001', 'e2ef00000000000000000002']), 'ids closed', 'Close Session');
			t.equal(run.items('Close Session')?.length, 2, 'items out', 'Close Session');
		},
	},
	{
		id: 'noSecretsInClear',
		title: 'no credential secret in any n8n output or file of this run',
		async command(ctx) {
			const secrets = { ...SECRETS, ...ctx.issuedTokens };
			delete secrets.clientId; // an identifier, not a secret
			return { found: Object.entries(secrets).map(([name, value]) => ({ name, places: whereIs(value, ctx) })) };
		},
		check(t, { found }) {
			for (const { name, places } of found) t.equal(places.join(', '), '', `places where the ${name} appears in clear`);
		},
	},
];

/** Keeps the tokens the fake issued, so that the last scenario can check they were never stored in clear. */
function rememberIssuedTokens(run) {
	for (const r of run.fake.requests) {
		const token = /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1];
		if (token && token !== SECRETS.bearerToken) run.ctx.issuedTokens[`token ${token.slice(0, 8)}…`] = token;
	}
}
