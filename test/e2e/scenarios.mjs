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
//     timeoutMs: 120000,             // hard time limit of its `n8n execute` (default EXECUTE_TIMEOUT_MS)
//     before(fake, ctx) {},          // seed the fake server (it is reset before every scenario)
//     prepare(workflow) {},          // optional: returns the workflow adapted for a headless run (see webhookAsManual)
//     check(t, run) {},              // assertions, see below
//   }
// Instead of `workflow`, a scenario may give `command(ctx)` returning what its check(t, outcome) reads.
// The fake server is reset before each scenario, except the tokens it issued: the client-credential
// scenarios build on each other (the second one expects the token the first one stored), as do the
// first scenario (exportNodes: the others check their workflows against its node description) and the last.
//
// In check(t, run): t.equal(actual, expected, what, node), t.ok(condition, what, {expected, actual, node}),
// t.contains(text, part, what, node), t.notContains(text, part, what, node) (test/lib/report.mjs); run =
// {execution, result, fake, ctx, items(node), runError}. Checks do not stop at the first failure.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

import { toolCalls, text } from '../lib/fakeOpenAi.mjs';
import { HOSTILE_SCENARIOS, useSecrets } from './hostile.scenarios.mjs';
import { MANUAL_TRIGGER, NODE_TYPE, TOOL_TYPE, outputOf, run as runCommand } from '../lib/n8n.mjs';

const { ROUTES, SESSION_STATUS: STATUS } = createRequire(import.meta.url)('../fake-akool/server.js');
const CLOSE = ROUTES.closeSession;
const CREATE = ROUTES.createSession;
const GET_TOKEN = ROUTES.getToken;

/** Secrets of this run, new every run (the fake server is started with them: FAKE_AKOOL_OPTIONS). */
export const SECRETS = {
	apiKey: `e2e-api-key-${randomBytes(8).toString('hex')}`,
	wrongApiKey: `e2e-wrong-key-${randomBytes(8).toString('hex')}`,
	bearerToken: `e2e-bearer-${randomBytes(12).toString('hex')}`,
	clientId: 'test-client-id',
	clientSecret: `e2e-client-secret-${randomBytes(12).toString('hex')}`,
	wrongClientSecret: `e2e-wrong-secret-${randomBytes(12).toString('hex')}`,
	openAiKey: `e2e-openai-key-${randomBytes(8).toString('hex')}`,
};

useSecrets(SECRETS);

/** What run.mjs starts the fake Akool server with: the keys and client of this run. */
export const FAKE_AKOOL_OPTIONS = {
	apiKeys: [SECRETS.apiKey],
	clients: [{ clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret }],
	tokens: [SECRETS.bearerToken],
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
	wrongClientSecret: {
		id: 'e2eWrongSecret',
		name: 'Akool (client ID, wrong secret)',
		data: { authMethod: 'clientCredentials', clientId: SECRETS.clientId, clientSecret: SECRETS.wrongClientSecret },
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
	t.equal(item?.json?.sessionId, id, 'output item session_id', node);
	t.equal(item?.json?.error, undefined, 'output item error', node);
}

/** The session `id` that Create Session made is the one (and only) closed, and Close Session says so. */
function checkClosedCreated(t, run, id) {
	t.equal(closedIds(run.fake), [id], 'ids in the close requests the fake server saw', 'Close Session');
	checkClosedOne(t, run, id);
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

const json = (v) => JSON.stringify(v);
const sortedJson = (list) => JSON.stringify([...list].sort());

/** A secret must not appear in what n8n printed for this run, nor in any file of n8n's user folder. */
function checkSecretNowhere(t, run, secret, label) {
	t.notContains(run.result.stdout, secret, `stdout of n8n execute (${label})`);
	t.notContains(run.result.stderr, secret, `stderr of n8n execute (${label})`);
	t.notContains(JSON.stringify(run.execution ?? {}), secret, `execution data printed by n8n (${label})`);
	const leaks = filesUnder(join(run.ctx.userFolder, '.n8n')).filter((f) => readFileSync(f).includes(secret));
	t.equal(leaks.join(', '), '', `files under ${run.ctx.userFolder}/.n8n containing the ${label}`);
}

/** The database must hold this run's execution, else a search for secrets in it proves nothing. */
function checkExecutionStored(t, run, stored) {
	const db = filesUnder(join(run.ctx.userFolder, '.n8n')).filter((f) => f.includes('database.sqlite'));
	t.ok(
		db.some((f) => readFileSync(f).includes(stored)),
		'stored execution data in the database',
		{
			expected: `${JSON.stringify(stored)} in database.sqlite*`,
			actual: `not found in ${db.join(', ') || 'no database file'}`,
		},
	);
}

/**
 * Headless stand-in for a Webhook trigger: `n8n execute` needs a Manual Trigger. Adds Manual Trigger → a Code
 * node that returns one item shaped like the Webhook's ({headers, params, query, body}) → the Webhook node,
 * which n8n runs as a pass-through when it is not the trigger. Every node after it runs as in production,
 * Respond to Webhook included (it requires a Webhook node among its parents, which is still there), with
 * its response output branch switched on so that the check can read what it would have answered.
 */
function webhookAsManual(workflow, body) {
	const copy = structuredClone(workflow);
	const hook = copy.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	if (!hook) throw new Error(`workflow "${workflow.name}" has no Webhook node`);
	const [x, y] = hook.position ?? [0, 0];
	const start = {
		id: '0e2e0000-0000-4000-8000-00000000aa01',
		name: 'Start (headless)',
		type: MANUAL_TRIGGER,
		typeVersion: 1,
		position: [x - 440, y + 200],
		parameters: {},
	};
	const request = {
		headers: { 'content-type': 'application/json' },
		params: {},
		query: {},
		body,
		webhookUrl: 'http://localhost:5678/webhook/e2e',
		executionMode: 'production',
	};
	const sample = {
		id: '0e2e0000-0000-4000-8000-00000000aa02',
		name: 'Sample Request (headless)',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [x - 220, y + 200],
		parameters: {
			jsCode: `// What the Webhook node would output for a POST with this JSON body.\nreturn [{ json: ${JSON.stringify(request)} }];`,
		},
	};
	copy.nodes.push(start, sample);
	copy.connections[start.name] = { main: [[{ node: sample.name, type: 'main', index: 0 }]] };
	copy.connections[sample.name] = { main: [[{ node: hook.name, type: 'main', index: 0 }]] };
	for (const node of copy.nodes.filter((n) => n.type === 'n8n-nodes-base.respondToWebhook')) {
		if (node.typeVersion >= 1.4) node.parameters.enableResponseOutput = true;
	}
	return copy;
}

/** Every .js file under `dir`. */
const jsFilesUnder = (dir) =>
	readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? jsFilesUnder(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
	);

/** Every folder under `dir` (following node_modules nesting). */
function* dirsUnder(dir) {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		if (!e.isDirectory()) continue;
		yield join(dir, e.name);
		yield* dirsUnder(join(dir, e.name));
	}
}

/**
 * The n8n-workflow ({file, version, names}) that a `require()` in a file of `fromDir` gets inside n8n: n8n puts
 * its own module paths into NODE_PATH before it loads community packages (LoadNodesAndCredentials), so a
 * package finds n8n's copy unless its own node_modules chain holds another one.
 */
async function n8nWorkflowSeenFrom(ctx, fromDir) {
	const n8nDir = dirname(dirname(ctx.install.n8nBin));
	const script = [
		"const Module = require('node:module');",
		`process.env.NODE_PATH = Module._nodeModulePaths(${JSON.stringify(join(n8nDir, 'dist'))}).join(':');`,
		'Module._initPaths();',
		`const r = Module.createRequire(${JSON.stringify(join(fromDir, 'x.js'))});`,
		"const file = r.resolve('n8n-workflow');",
		"const version = r(r.resolve('n8n-workflow/package.json')).version;",
		'console.log(JSON.stringify({ file, version, names: Object.keys(r(file)) }));',
	].join('\n');
	const result = await runCommand(ctx.install.nodeBin, ['-e', script], { env: ctx.n8n.env, timeoutMs: 60_000 });
	let loaded;
	try {
		loaded = JSON.parse(result.stdout.trim().split('\n').pop());
	} catch {
		// reported by the checks
	}
	return { result, loaded };
}

/**
 * One close through `credential` (client ID + secret unless given): the session closes, `getToken` token
 * exchanges happen, every API request carries exactly the expected auth header; then `then(t, run)`.
 */
function authScenario({ id, title, credential = 'clientCredentials', headers = {}, getToken = 0, getTokenWhat, expireTokens, then }) {
	return {
		id,
		title,
		workflow: 'workflows/close-one-session.json',
		credential,
		before(fake) {
			seedSessions(fake, [ONE_SESSION]);
			if (expireTokens) fake.expireTokens();
		},
		check(t, run) {
			checkClosedOne(t, run, ONE_SESSION);
			t.equal(run.fake.counters.getToken, getToken, getTokenWhat ?? 'getToken calls');
			checkAuthHeaders(t, run.fake, headers);
			then?.(t, run);
			if (credential === 'clientCredentials') rememberIssuedTokens(run);
		},
	};
}

const checkClientIdSent = (t, run) =>
	t.equal(run.fake.requestsTo(GET_TOKEN)[0]?.body?.clientId, SECRETS.clientId, 'clientId sent to getToken');

/** The close was answered `codes` (a 1101, then …) and the repeated request carried another token. */
function checkRenewed(t, run, codes, what, sameToken) {
	const closes = run.fake.requestsTo(CLOSE);
	t.equal(json(closes.map((r) => r.code)), json(codes), what);
	if (closes.length !== 2) return;
	const renewed = closes[0].headers.authorization !== closes[1].headers.authorization;
	t.ok(renewed, 'token of the repeated request', { expected: 'a new token', actual: sameToken });
}

const AGENT_SESSION = 'e2ea00000000000000000001'; // as the prompt in agent-close-session.json says
const EXAMPLE_AGENT_SESSION = '6698c9d69cf7b0d61d1b6420'; // as the prompt in examples/ai-agent-close-session.json says
const AGENT_UNKNOWN_SESSION = 'e2ea0000000000000000dead';
const AGENT_ANSWER = 'Session e2ea00000000000000000001 is closed; your credit balance is in the tool result.';

/** The name n8n gave the tool whose name matches `pattern` in the tools of a model request. */
const toolNamed = (body, pattern) => (body.tools ?? []).map((tool) => tool.function?.name).find((name) => pattern.test(name ?? ''));

/** What a model needs to use the tools: a name, a description saying what each does, the session ID described. */
function checkToolDefinitions(t, tools) {
	const byName = (pattern) => tools.find((tool) => pattern.test(tool.function?.name ?? ''))?.function;
	const names = tools.map((tool) => tool.function?.name);
	const close = byName(/close/i);
	const balance = byName(/credit/i);
	t.ok(close && balance, 'tools the model received', { expected: 'a Close Session and a Get Credit Balance tool', actual: names });
	t.contains(close?.description ?? '', 'Close a session', 'description of the Close Session tool');
	t.contains(balance?.description ?? '', 'credit', 'description of the Get Credit Balance tool');
	const sessionId = close?.parameters?.properties?.sessionId;
	t.equal(sessionId?.type, 'string', 'type of the sessionId parameter of the Close Session tool');
	t.equal(sessionId?.description, 'The ID of the live avatar session to close', 'description of the sessionId parameter');
	t.ok(close?.parameters?.required?.includes('sessionId'), 'sessionId required by the Close Session tool', { actual: close?.parameters });
}

/** No Akool secret in anything the model received; its own API key only in its Authorization header. */
function checkNothingSecretSentToModel(t, openAi) {
	const sent = openAi.requests.map((r) => r.raw).join('\n');
	const headers = JSON.stringify(openAi.requests.map((r) => ({ ...r.headers, authorization: undefined })));
	for (const [name, secret] of Object.entries(SECRETS).filter(([key]) => key !== 'clientId')) {
		t.notContains(sent, secret, `request bodies the model received (${name})`);
		t.notContains(headers, secret, `request headers the model received, but its Authorization (${name})`);
	}
}

/** What export:nodes must show: every resource of the node, in the editor's order, and its operations. */
const EXPECTED_OPERATIONS = {
	session: ['close', 'closeAllOpen', 'create', 'get', 'getAll'],
	avatar: ['get', 'getAll', 'upload'],
	voice: ['getAll'],
	knowledgeBase: ['create', 'delete', 'get', 'getAll', 'update'],
	account: ['getCreditBalance'],
};
const EXPECTED_REQUEST_OPTIONS = ['concurrency', 'maxAttempts', 'maxRetryTime', 'retryDelay', 'timeout'];

/** What a workflow asks of the node that the installed node does not offer (unknown operation or parameter). */
export function missingNodeFeatures(workflow, nodeTypes) {
	const description = nodeTypes?.[NODE_TYPE];
	if (!description) return [];
	const names = new Set(description.properties.map((p) => p.name));
	return workflow.nodes
		.filter((n) => n.type === NODE_TYPE)
		.flatMap(({ name: node, parameters }) => {
			const { resource, operation } = parameters;
			const offered = description.properties.some(
				(p) =>
					p.name === 'operation' &&
					(p.displayOptions?.show?.resource ?? []).includes(resource) &&
					p.options?.some((o) => o.value === operation),
			);
			if (!offered)
				return [{ node, what: 'operation', expected: `${resource}: ${operation}`, actual: 'not offered by the installed node' }];
			return Object.keys(parameters)
				.filter((name) => !names.has(name))
				.map((name) => ({
					node,
					what: `parameter "${name}"`,
					expected: 'a parameter of the node',
					actual: 'unknown to the installed node',
				}));
		});
}

/** Resources, operations and Request Options of an exported node description. */
function checkOperations(t, description, label) {
	const props = description?.properties ?? [];
	const resource = props.find((p) => p.name === 'resource');
	t.equal(json((resource?.options ?? []).map((o) => o.value)), json(Object.keys(EXPECTED_OPERATIONS)), `resource options of ${label}`);
	for (const [name, operations] of Object.entries(EXPECTED_OPERATIONS)) {
		const operation = props.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource ?? []).includes(name));
		t.equal(operation.length, 1, `"operation" properties shown for resource ${name} in ${label}`);
		t.equal(sortedJson((operation[0]?.options ?? []).map((o) => o.value)), json(operations), `operations of resource ${name} in ${label}`);
	}
	const requestOptions = props.find((p) => p.name === 'requestOptions');
	t.equal(sortedJson((requestOptions?.options ?? []).map((o) => o.name)), json(EXPECTED_REQUEST_OPTIONS), `Request Options of ${label}`);
}

// 200 sessions closed through transient failures (scenario e2eClose200Flaky).
const FLAKY_IDS = Array.from({ length: 200 }, (_, i) => `e2e2${String(i + 1).padStart(20, '0')}`); // as the workflow's Code node
const FLAKY_KINDS = {
	http502: { kind: 'http', status: 502 },
	drop: { kind: 'drop' },
	dropAfter: { kind: 'dropAfter' },
	code1005: { kind: 'code', code: 1005 },
};
/**
 * Which attempts of which session fail, and how: every 5th session's first attempt (40 of 200), and for
 * every 20th also its second one (10 more), cycling through the four kinds. That is 50 of 250 close
 * requests (20%), every session can succeed on a retry, and the plan is the same whatever order n8n sends in.
 */
function flakyPlan() {
	const names = Object.keys(FLAKY_KINDS);
	const plan = new Map();
	FLAKY_IDS.forEach((id, i) => {
		if (i % 5 !== 0) return;
		const k = i / 5;
		plan.set(id, i % 20 === 0 ? [names[k % 4], names[(k + 1) % 4]] : [names[k % 4]]);
	});
	return plan;
}

const ONE_SESSION = 'e2ec00000000000000000001';
const FOUR_SESSIONS = ['e2eb00000000000000000001', 'e2eb00000000000000000002', 'e2eb0000000000000000dead', 'e2eb00000000000000000003'];

export const SCENARIOS = [
	{
		id: 'exportNodes',
		title: 'e. n8n export:nodes lists the node and its AI tool variant, with every resource, operation and Request Option',
		async command(ctx) {
			const file = join(ctx.tmp, 'nodes.json');
			const result = await ctx.n8n.cli(['export:nodes', `--output=${file}`]);
			const nodes = result.code === 0 ? JSON.parse(readFileSync(file, 'utf8')) : [];
			ctx.nodeTypes = Object.fromEntries(nodes.filter((n) => n.name.startsWith('n8n-nodes-akool.')).map((n) => [n.name, n]));
			return { result, nodes };
		},
		check(t, { result, nodes }) {
			t.equal(result.code, 0, 'exit code of export:nodes');
			const names = nodes.map((n) => n.name);
			t.ok(names.includes(NODE_TYPE), 'node types exported', {
				expected: `to include ${NODE_TYPE}`,
				actual: names.filter((n) => n.includes('akool')),
			});
			const tool = nodes.find((n) => n.name === TOOL_TYPE);
			t.ok(tool, 'node types exported', { expected: `to include ${TOOL_TYPE}`, actual: names.filter((n) => n.includes('akool')) });
			if (tool) t.equal(JSON.stringify(tool.outputs), '["ai_tool"]', `outputs of ${TOOL_TYPE}`);
			const node = nodes.find((n) => n.name === NODE_TYPE);
			if (node) checkOperations(t, node, NODE_TYPE);
			if (tool) checkOperations(t, tool, TOOL_TYPE);
		},
	},
	{
		id: 'n8nWorkflowApi',
		title: 'every n8n-workflow export the packed node uses exists in the n8n-workflow this n8n version loads it with',
		async command(ctx) {
			// Names the host's copy lacks fail only when their code path runs (a retry, a wait): check them all up front.
			const dist = join(ctx.packageDir, 'dist');
			const used = new Map(); // export name → files using it
			const detected = new Set(); // names the code tests for (`typeof n8n_workflow_1.x`) before using them
			for (const file of jsFilesUnder(dist)) {
				for (const [, guard, name] of readFileSync(file, 'utf8').matchAll(/(typeof\s+)?\bn8n_workflow_\d+\.([A-Za-z_$][\w$]*)/g)) {
					if (guard) detected.add(name);
					used.set(name, [...new Set([...(used.get(name) ?? []), relative(dist, file)])]);
				}
			}
			for (const name of detected) used.delete(name);
			return { used, ...(await n8nWorkflowSeenFrom(ctx, join(ctx.packageDir, 'dist'))) };
		},
		check(t, { result, used, loaded }) {
			t.equal(
				result.code,
				0,
				`exit code of the script that lists n8n-workflow's exports${result.code ? `: ${result.stderr.slice(-300)}` : ''}`,
			);
			t.ok(used.size > 0, 'n8n-workflow exports used by the packed node', { expected: 'some (is dist/ compiled to CommonJS?)', actual: 0 });
			if (!loaded) return;
			const names = new Set(loaded.names);
			const missing = [...used].filter(([name]) => !names.has(name)).map(([name, files]) => `${name} (used in ${files.join(', ')})`);
			t.equal(missing.join('; '), '', `n8n-workflow exports the node uses that n8n-workflow ${loaded.version} lacks`);
		},
	},
	{
		id: 'hostN8nWorkflow',
		title: "the installed node loads the host's n8n-workflow: no private copy in its tree, the same file n8n loads",
		async command(ctx) {
			const nodesDir = join(ctx.userFolder, '.n8n', 'nodes');
			const copies = [...dirsUnder(join(nodesDir, 'node_modules'))].filter((d) => d.endsWith(`${'/'}n8n-workflow`));
			const host = await n8nWorkflowSeenFrom(ctx, dirname(dirname(ctx.install.n8nBin)));
			const node = await n8nWorkflowSeenFrom(ctx, join(ctx.packageDir, 'dist', 'nodes', 'AkoolLiveAvatar'));
			return { copies: copies.map((d) => relative(nodesDir, d)), host, node };
		},
		check(t, { copies, host, node }) {
			t.equal(copies, [], 'n8n-workflow folders under .n8n/nodes/node_modules (a private copy the node would load)');
			t.ok(host.loaded, 'n8n-workflow as n8n resolves it', { actual: host.result.stderr.slice(-300) });
			t.equal(node.loaded?.file, host.loaded?.file, "the n8n-workflow file the node's require() loads (n8n's own)");
			t.equal(node.loaded?.version, host.loaded?.version, 'n8n-workflow version the node loads');
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
			checkClosedCreated(t, run, id);
		},
	},
	{
		id: 'e2eCloseFour',
		title: 'b. four items, one unknown id, Continue On Fail: 4 in, 4 out, paired, 3 closed',
		workflow: 'workflows/close-four-continue-on-fail.json',
		before(fake) {
			seedSessions(
				fake,
				FOUR_SESSIONS.filter((id) => !id.endsWith('dead')),
			);
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
					t.equal(item.json.error, 'The session does not exist', `error of output item ${i} (unknown id)`, node);
					t.equal(item.json.akoolCode, 1216, `akoolCode of output item ${i}`, node);
				} else {
					t.equal(item.json.sessionId, FOUR_SESSIONS[i], `session_id of output item ${i}`, node);
					t.equal(item.json.error, undefined, `error of output item ${i}`, node);
				}
			});
			t.equal(
				JSON.stringify(closedIds(run.fake).sort()),
				JSON.stringify([...FOUR_SESSIONS].sort()),
				'ids in the close requests (any order)',
				node,
			);
			for (const id of FOUR_SESSIONS.filter((s) => !s.endsWith('dead'))) {
				t.equal(statusOf(run.fake, id), STATUS.completed, `status of session ${id} in the fake server`);
			}
		},
	},
	{
		id: 'e2eLifecycle',
		title:
			"4.1 Create → Get ({{ $json._id }}) → Close ({{ $('Create Session').item.json._id }}): Get outputs the session, which ends completed",
		workflow: 'workflows/lifecycle-create-get-close.json',
		check(t, run) {
			const created = run.items('Create Session') ?? [];
			t.equal(created.length, 1, 'items out', 'Create Session');
			const session = created[0]?.json ?? {};
			const id = session._id;
			t.ok(typeof id === 'string' && id !== '', 'output item _id', { expected: 'the new session id', actual: id, node: 'Create Session' });
			const body = run.fake.requestsTo(CREATE)[0]?.body ?? {};
			t.equal(
				json([body.avatar_id, body.duration, body.stream_type]),
				json(['dvp_Alinna_realisticbg_20241224', 180, 'livekit']),
				'avatar_id, duration, stream_type sent to Akool',
				'Create Session',
			);
			t.equal(session.stream_type, 'livekit', 'output stream_type', 'Create Session');
			t.ok(typeof session.credentials?.livekit_token === 'string', 'output credentials.livekit_token', {
				actual: session.credentials,
				node: 'Create Session',
			});

			const got = run.items('Get Session') ?? [];
			t.equal(got.length, 1, 'items out', 'Get Session');
			t.equal(run.fake.requestsTo(ROUTES.getSession)[0]?.query?.id, id, 'id in the session detail request', 'Get Session');
			// Nothing changed between the two calls: Get must output the very session Create returned.
			const { statusName, ...detail } = got[0]?.json ?? {};
			t.equal(json(detail), json(session), 'output item (the session, as Create returned it)', 'Get Session');
			t.equal(statusName, 'queueing', 'output statusName (the status as a word)', 'Get Session');
			t.equal(got[0]?.json?.status, STATUS.queueing, 'output status (1 queueing, before the close)', 'Get Session');
			t.equal(got[0]?.pairedItem?.item, 0, 'pairedItem of the output item', 'Get Session');

			t.equal(json(closedIds(run.fake)), json([id]), 'ids in the close requests', 'Close Session');
			checkClosedOne(t, run, id);
			t.equal(
				json(run.fake.requests.map((r) => r.route)),
				json([CREATE, ROUTES.getSession, CLOSE]),
				'requests the fake server saw, in order',
			);
		},
	},
	{
		id: 'e2eCloseAllOpen',
		title: '4.2 Close All Open: 3 queueing + 4 processing closed (one summary item), completed and failed untouched',
		workflow: 'workflows/close-all-open.json',
		before(fake, ctx) {
			const seeded = (count, status) => fake.addSessions(count, status).map((s) => ({ id: s._id, status }));
			const open = [...seeded(3, STATUS.queueing), ...seeded(4, STATUS.processing)];
			const untouched = [...seeded(2, STATUS.completed), ...seeded(1, STATUS.failed)];
			ctx.closeAllOpen = { open, untouched };
		},
		check(t, run) {
			const node = 'Close All Open Sessions';
			const { open, untouched } = run.ctx.closeAllOpen;
			const items = run.items(node) ?? [];
			t.equal(items.length, 1, 'items out (one summary per input item)', node);
			const summary = items[0]?.json ?? {};
			t.equal(summary.closed, 7, 'closed', node);
			t.equal(summary.rounds, 1, 'rounds', node);
			const closed = summary.sessions ?? [];
			t.equal(sortedJson(closed.map((s) => s._id)), sortedJson(open.map((s) => s.id)), '_id of the closed sessions (any order)', node);
			for (const entry of closed) {
				const seededAs = open.find((s) => s.id === entry._id);
				t.equal(entry.previousStatus, seededAs?.status, `${entry._id}: previousStatus`, node);
				t.equal(entry.alreadyClosed, false, `${entry._id}: alreadyClosed`, node);
			}
			for (const { id } of open) t.equal(statusOf(run.fake, id), STATUS.completed, `status of open session ${id} in the fake server`);
			for (const { id, status } of untouched) {
				t.equal(statusOf(run.fake, id), status, `status of session ${id} (seeded ${status}) in the fake server`);
				t.equal(run.fake.state.sessions.get(id)?.closeCalls, 0, `close calls for session ${id} (seeded ${status})`);
			}
			t.equal(
				sortedJson(closedIds(run.fake)),
				sortedJson(open.map((s) => s.id)),
				'ids in the close requests (each open session once, nothing else)',
				node,
			);
		},
	},
	{
		id: 'e2eAvatarUploadWait',
		title: '4.3 Avatar Upload with Wait for Ready: ready avatar → status 3; a video that fails processing → error item (Continue On Fail)',
		workflow: 'workflows/avatar-upload-wait.json',
		check(t, run) {
			const node = 'Upload Avatar';
			const items = run.items(node) ?? [];
			t.equal(items.length, 2, 'items out', node);
			const [ok, bad] = items;
			t.equal(ok?.json?.status, STATUS.completed, 'status of output item 0 (3: ready)', node);
			t.equal(ok?.json?.avatar_id, 'e2eUploadOk01', 'avatar_id of output item 0', node);
			t.equal(ok?.json?.error, undefined, 'error of output item 0', node);
			t.equal(ok?.pairedItem?.item, 0, 'pairedItem of output item 0', node);
			t.contains(
				bad?.json?.error ?? '',
				'Akool could not process the video of avatar "e2e broken video"',
				'error of output item 1 (video URL with "fail")',
				node,
			);
			t.contains(bad?.json?.error ?? '', '(status 4, failed)', 'error of output item 1', node);
			t.equal(bad?.pairedItem?.item, 1, 'pairedItem of output item 1', node);

			const uploads = run.fake.requestsTo(ROUTES.uploadAvatar);
			t.equal(
				sortedJson(uploads.map((r) => r.body.avatar_id)),
				sortedJson(['e2eUploadOk01', 'e2eUploadBad01']),
				'avatar_id of the upload requests (one each)',
				node,
			);
			const okUpload = uploads.find((r) => r.body.avatar_id === 'e2eUploadOk01')?.body ?? {};
			t.equal(
				json([okUpload.url, okUpload.name, okUpload.type, okUpload.url_from]),
				json(['https://static.example/e2e-presenter.mp4', 'e2e presenter', 2, 1]),
				'url, name, type, url_from of the upload',
				node,
			);
			const avatar = [...run.fake.state.avatars.values()].find((a) => a.avatar_id === 'e2eUploadOk01');
			t.equal(avatar?.status, STATUS.completed, 'status of the uploaded avatar in the fake server', node);
			const polls = run.fake.requestsTo(ROUTES.getUploadedAvatar).filter((r) => r.query.id === avatar?._id);
			t.ok(polls.length >= 1, 'status polls for the ready avatar', { expected: 'at least 1', actual: polls.length, node });
			t.equal(polls.length, run.fake.config.avatarReadyAfterPolls, 'status polls for the ready avatar (it is ready after that many)', node);
			t.equal(ok?.json?._id, avatar?._id, '_id of output item 0', node);
		},
	},
	{
		id: 'e2eKnowledgeBase',
		title: '4.4 Knowledge Base create → get → update → delete in one workflow',
		workflow: 'workflows/knowledge-base-lifecycle.json',
		check(t, run) {
			const created = run.items('Create Knowledge Base')?.[0]?.json ?? {};
			const id = created._id;
			t.ok(typeof id === 'string' && id !== '', 'output _id', {
				expected: 'the new knowledge base id',
				actual: id,
				node: 'Create Knowledge Base',
			});
			const original = {
				name: 'e2e Returns Policy',
				prologue: 'Hello! Ask me about returns.',
				prompt: 'You answer questions about returns only.',
				urls: ['https://example.com/returns', 'https://example.com/shipping'],
			};
			const fields = (kb) => json([kb?.name, kb?.prologue, kb?.prompt, kb?.urls]);
			t.equal(fields(created), fields(original), 'name, prologue, prompt, urls', 'Create Knowledge Base');

			const got = run.items('Get Knowledge Base') ?? [];
			t.equal(got.length, 1, 'items out', 'Get Knowledge Base');
			t.equal(got[0]?.json?._id, id, 'output _id', 'Get Knowledge Base');
			t.equal(fields(got[0]?.json), fields(original), 'name, prologue, prompt, urls', 'Get Knowledge Base');

			const updated = run.items('Update Knowledge Base')?.[0]?.json ?? {};
			const changed = { ...original, name: 'e2e Returns and Refunds', prompt: 'You answer questions about returns and refunds.' };
			t.equal(updated._id, id, 'output _id', 'Update Knowledge Base');
			t.equal(
				fields(updated),
				fields(changed),
				'name, prologue, prompt, urls (name and prompt changed, the rest kept)',
				'Update Knowledge Base',
			);
			const updateBody = run.fake.requestsTo(ROUTES.updateKnowledgeBase)[0]?.body ?? {};
			t.equal(
				sortedJson(Object.keys(updateBody)),
				sortedJson(['id', 'name', 'prompt']),
				'fields of the update request (only those to change)',
				'Update Knowledge Base',
			);
			t.equal(updateBody.id, id, 'id in the update request', 'Update Knowledge Base');

			const deleted = run.items('Delete Knowledge Base') ?? [];
			t.equal(json(deleted.map((i) => i.json)), json([{ deleted: true, id }]), 'items out', 'Delete Knowledge Base');
			t.equal(run.fake.requestsTo(ROUTES.deleteKnowledgeBase)[0]?.body?.id, id, 'id in the delete request', 'Delete Knowledge Base');
			t.equal(run.fake.state.knowledge.has(id), false, 'the knowledge base is still in the fake server', 'Delete Knowledge Base');
			t.equal(
				json([...run.fake.state.knowledge.values()].map((k) => k.name)),
				json(['Product FAQ']),
				'knowledge bases left in the fake server (the seeded one only)',
			);
			t.equal(
				json(run.fake.requests.map((r) => r.route)),
				json([ROUTES.createKnowledgeBase, ROUTES.getKnowledgeBase, ROUTES.updateKnowledgeBase, ROUTES.deleteKnowledgeBase]),
				'requests the fake server saw, in order',
			);
		},
	},
	{
		id: 'e2eClose200Flaky',
		title:
			'5.6 200 Close items, 20% of requests failing transiently (HTTP 502, drops before/after processing, 1005): all closed exactly once',
		workflow: 'workflows/close-200-flaky.json',
		before(fake, ctx) {
			seedSessions(fake, FLAKY_IDS);
			const plan = flakyPlan();
			/** Which attempt (1, 2, …) at closing its session a request is: the fake records it before matching faults. */
			const attempt = (r) => fake.requests.filter((q) => q.route === CLOSE && q.body?.id === r.body?.id).length;
			const faults = Object.entries(FLAKY_KINDS).map(([name, fault]) => ({
				name,
				planned: [...plan.values()].flat().filter((k) => k === name).length,
				fault: fake.addFault({
					...fault,
					route: 'session/close',
					times: Infinity,
					when: (r) => plan.get(r.body?.id)?.[attempt(r) - 1] === name,
				}),
			}));
			ctx.flaky = { plan, faults };
		},
		check(t, run) {
			const node = 'Close Sessions';
			const { plan, faults } = run.ctx.flaky;
			const items = run.items(node) ?? [];
			t.equal(items.length, 200, 'items out', node);
			const errors = items.map((item, i) => ({ i, error: item.json.error })).filter((e) => e.error !== undefined);
			t.equal(errors.length, 0, 'error items', node);
			if (errors.length) t.ok(false, 'first error items', { expected: 'none', actual: errors.slice(0, 3), node });
			const wrong = items
				.map((item, i) => (item.json.sessionId === FLAKY_IDS[i] && item.pairedItem?.item === i ? undefined : i))
				.filter((i) => i !== undefined);
			t.equal(
				json(wrong.slice(0, 10)),
				'[]',
				'output items whose sessionId or pairedItem is not that of their input item (first 10)',
				node,
			);

			const notClosed = FLAKY_IDS.filter((id) => statusOf(run.fake, id) !== STATUS.completed);
			t.equal(json(notClosed.slice(0, 10)), '[]', 'sessions not completed in the fake server (first 10)');
			// Exactly one close per session succeeded (code 1000): a retry after a lost answer hears 1219, never closes again.
			const closes = run.fake.requestsTo(CLOSE);
			const successes = new Map();
			for (const r of closes) if (r.code === 1000) successes.set(r.body.id, (successes.get(r.body.id) ?? 0) + 1);
			const notOnce = FLAKY_IDS.filter((id) => successes.get(id) !== 1).map((id) => `${id}: ${successes.get(id) ?? 0}`);
			t.equal(json(notOnce.slice(0, 10)), '[]', 'sessions whose successful (code 1000) close requests are not exactly 1 (first 10)');
			// Requests reaching the close handler: the successful one, plus each 'dropAfter' attempt.
			const wrongCalls = FLAKY_IDS.map((id) => {
				const expected = 1 + (plan.get(id) ?? []).filter((k) => k === 'dropAfter').length;
				const actual = run.fake.state.sessions.get(id)?.closeCalls;
				return actual === expected ? undefined : `${id}: ${actual} (expected ${expected})`;
			}).filter(Boolean);
			t.equal(json(wrongCalls.slice(0, 10)), '[]', 'sessions whose close calls in the fake server differ from the plan (first 10)');
			const failed = [...plan.values()].flat().length;
			t.equal(closes.length, 200 + failed, `close requests (200, plus one retry per injected failure: ${failed})`);
			for (const { name, planned, fault } of faults) t.equal(fault.hits, planned, `injected ${name} failures`);
			const retriedAfterDropAfter = closes.filter((r) => r.code === 1219).length;
			t.equal(
				retriedAfterDropAfter,
				[...plan.values()].flat().filter((k) => k === 'dropAfter').length,
				'retries that heard 1219 (already closed) after a lost answer',
			);
		},
	},
	{
		id: 'e2eCreateLost',
		title: '5.7 Create Session whose answer is lost after Akool created it: fails "may have created", not resent, one session',
		workflow: 'workflows/create-answer-lost.json',
		exitCode: 1,
		before(fake) {
			fake.addFault({ route: 'session/create', kind: 'dropAfter' });
		},
		check(t, run) {
			const node = 'Create Session';
			const message = run.runError?.message ?? '';
			t.ok(message.startsWith('No clear answer from Akool, which may have created the session'), 'execution error message', {
				expected: 'to start with "No clear answer from Akool, which may have created the session"',
				actual: message,
				node,
			});
			t.equal(run.runError?.node, node, 'node named in the execution error');
			t.contains(run.runError?.description ?? '', 'The request was not sent again', 'execution error description', node);
			t.contains(run.runError?.description ?? '', 'Session → Get Many', 'execution error description', node);
			t.equal(run.fake.requestsTo(CREATE).length, 1, 'create requests the fake server saw', node);
			const sessions = [...run.fake.state.sessions.values()];
			t.equal(sessions.length, 1, 'sessions in the fake server', node);
			t.equal(sessions[0]?.status, STATUS.queueing, 'status of the session created by the lost request', node);
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
			t.equal(run.runError?.message, 'Akool rejected the credential', 'execution error message', 'Close Session');
			t.contains(run.runError?.description ?? '', 'Akool code 1101', 'execution error description', 'Close Session');
			t.equal(run.runError?.node, 'Close Session', 'node named in the execution error');
			t.contains(`${run.result.stdout}\n${run.result.stderr}`, 'Akool rejected the credential', 'what n8n printed');
			t.equal(statusOf(run.fake, ONE_SESSION), STATUS.processing, 'status of the session (must stay open)');
			checkExecutionStored(t, run, 'Akool rejected the credential');
			checkSecretNowhere(t, run, key, 'API key');
		},
	},
	...[
		{ id: 'e2eAuthApiKey', title: 'd. API key: x-api-key only', credential: 'apiKey', headers: { apiKey: SECRETS.apiKey } },
		{
			id: 'e2eAuthBearer',
			title: 'd. bearer token: Authorization: Bearer only',
			credential: 'bearerToken',
			headers: { bearer: SECRETS.bearerToken },
		},
		{ id: 'e2eAuthClient', title: 'd. client ID + secret: one getToken call, then Bearer only', getToken: 1, then: checkClientIdSent },
		{
			id: 'e2eAuthClientAgain',
			title: 'd. client ID + secret, second run: the stored token is reused (no getToken)',
			getTokenWhat: 'getToken calls (token stored with the credential by the previous run)',
		},
		{
			id: 'e2eAuthClientRenew',
			title: 'd. client ID + secret, token expired (Akool 1101 with HTTP 200): renewed once, request repeated',
			expireTokens: true,
			getToken: 1,
			then: (t, run) =>
				checkRenewed(t, run, [1101, 1000], 'answers to the close requests (expired token, then renewed)', 'the expired one'),
		},
	].map(authScenario),
	{
		id: 'e2eAuthClientRenew4',
		title: 'd. client ID + secret, token expired, four items at once: every item succeeds after renewal',
		workflow: 'workflows/close-four-continue-on-fail.json',
		credential: 'clientCredentials',
		before(fake) {
			seedSessions(
				fake,
				FOUR_SESSIONS.filter((id) => !id.endsWith('dead')),
			);
			fake.expireTokens();
		},
		check(t, run) {
			const node = 'Close Sessions';
			const items = run.items(node) ?? [];
			t.equal(items.length, 4, 'items out', node);
			items.forEach((item, i) => {
				if (i !== 2) t.equal(item.json.sessionId, FOUR_SESSIONS[i], `session_id of output item ${i}`, node);
			});
			t.equal(items[2]?.json?.akoolCode, 1216, 'akoolCode of output item 2 (unknown id)', node);
			t.equal(run.fake.counters.getToken, 1, 'getToken calls (one renewal for the whole run)');
			checkAuthHeaders(t, run.fake, {});
			rememberIssuedTokens(run);
		},
	},
	{
		id: 'e2eWrongSecret',
		title: '5.8 client ID + wrong secret: getToken refused (1101), the execution fails, the secret is never printed or stored in clear',
		workflow: 'workflows/close-one-session.json',
		credential: 'wrongClientSecret',
		exitCode: 1,
		before: (fake) => seedSessions(fake, [ONE_SESSION]),
		check(t, run) {
			const secret = SECRETS.wrongClientSecret;
			const tokenRequests = run.fake.requestsTo(GET_TOKEN);
			t.ok(tokenRequests.length >= 1, 'getToken calls', { expected: 'at least 1', actual: tokenRequests.length });
			t.equal(tokenRequests[0]?.body?.clientSecret, secret, 'clientSecret sent to getToken (the credential was used)');
			t.equal(json(tokenRequests.map((r) => r.code)), json(tokenRequests.map(() => 1101)), 'answers to getToken');
			t.equal(run.fake.requestsTo(CLOSE).filter((r) => r.code === 1000).length, 0, 'successful close requests');
			t.equal(statusOf(run.fake, ONE_SESSION), STATUS.processing, 'status of the session (must stay open)');
			t.equal(run.runError?.node, 'Close Session', 'node named in the execution error');
			t.contains(run.runError?.message ?? '', 'did not issue a token', 'execution error message', 'Close Session');
			checkExecutionStored(t, run, 'did not issue a token');
			checkSecretNowhere(t, run, secret, 'wrong client secret');
			checkSecretNowhere(t, run, SECRETS.clientSecret, 'client secret');
		},
	},
	{
		id: 'e2eClient1101Always',
		title:
			'5.8 client ID + secret, Akool answers 1101 to every request: one renewal, then the execution fails; no secret or token in clear',
		workflow: 'workflows/close-one-session.json',
		credential: 'clientCredentials',
		exitCode: 1,
		before(fake) {
			seedSessions(fake, [ONE_SESSION]);
			fake.addFault({ route: 'session/close', kind: 'code', code: 1101, times: Infinity });
		},
		check(t, run) {
			// A token may be fetched before the first close when none is stored yet (this scenario run alone).
			const firstClose = run.fake.requests.findIndex((r) => r.route === CLOSE);
			const renewals = run.fake.requests.slice(firstClose + 1).filter((r) => r.route === GET_TOKEN);
			t.equal(renewals.length, 1, 'getToken calls after the first close request (one renewal)');
			checkRenewed(t, run, [1101, 1101], 'answers to the close requests (then renewed, then given up)', 'the same one');
			t.equal(statusOf(run.fake, ONE_SESSION), STATUS.processing, 'status of the session (must stay open)');
			t.equal(run.runError?.message, 'Akool rejected the credential', 'execution error message', 'Close Session');
			checkExecutionStored(t, run, 'Akool rejected the credential');
			rememberIssuedTokens(run);
			for (const [name, token] of Object.entries(run.ctx.issuedTokens)) checkSecretNowhere(t, run, token, `issued ${name}`);
			checkSecretNowhere(t, run, SECRETS.clientSecret, 'client secret');
		},
	},
	{
		id: 'exCreateClose',
		title: 'example create-and-close-session.json runs',
		workflow: '../../examples/create-and-close-session.json',
		check(t, run) {
			checkClosedCreated(t, run, run.items('Create Session')?.[0]?.json?._id);
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
			t.equal(
				run.fake.state.sessions.get('e2ee00000000000000000004').closeCalls,
				0,
				'close calls for the already completed session',
				'Close All Open Sessions',
			);
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
			t.equal(
				JSON.stringify(closedIds(run.fake).sort()),
				JSON.stringify(['e2ef00000000000000000001', 'e2ef00000000000000000002']),
				'ids closed',
				'Close Session',
			);
			t.equal(run.items('Close Session')?.length, 2, 'items out', 'Close Session');
		},
	},
	{
		id: 'exWebhookSession',
		title: 'example create-session-from-webhook.json runs (Webhook fed by a Manual Trigger + sample request; Respond to Webhook runs)',
		workflow: '../../examples/create-session-from-webhook.json',
		prepare: (workflow) => webhookAsManual(workflow, { avatar_id: 'dvp_Sean_agent_20241224' }),
		check(t, run) {
			const body = run.fake.requestsTo(CREATE)[0]?.body ?? {};
			t.equal(body.avatar_id, 'dvp_Sean_agent_20241224', 'avatar_id sent to Akool (from the request body)', 'Create Session');
			t.equal(body.duration, 300, 'duration sent to Akool', 'Create Session');
			const session = run.items('Create Session')?.[0]?.json ?? {};
			const node = 'Respond with Session';
			t.equal(run.items(node)?.length, 1, 'items out', node);
			const response = outputOf(run.execution, node, 1)?.[0]?.json?.response;
			t.equal(response?.statusCode, 200, 'HTTP status of the response', node);
			const expected = { session_id: session._id, stream_type: session.stream_type, credentials: session.credentials };
			t.ok(typeof session._id === 'string' && session.credentials, 'created session', {
				expected: 'with _id and credentials',
				actual: session,
				node: 'Create Session',
			});
			t.equal(json(response?.body), json(expected), 'response body ({ session_id, stream_type, credentials } of the new session)', node);
			const sessions = [...run.fake.state.sessions.values()];
			t.equal(
				json(sessions.map((s) => [s._id, s.status])),
				json([[session._id, STATUS.queueing]]),
				'sessions in the fake server (the new one, open for the front end)',
			);
		},
	},
	{
		id: 'agentCloseSession',
		title: 'AI Agent (v2, fake OpenAI model) with the node as two tools: closes the session it was told, reads the credit balance',
		workflow: 'workflows/agent-close-session.json',
		before(fake, ctx) {
			seedSessions(fake, [AGENT_SESSION]);
			ctx.openAi.reset([
				(body) => toolCalls([{ name: toolNamed(body, /close/i), args: { sessionId: AGENT_SESSION } }]),
				(body) => toolCalls([{ name: toolNamed(body, /credit/i), args: {} }]),
				() => text(AGENT_ANSWER),
			]);
		},
		check(t, run) {
			const { openAi } = run.ctx;
			t.equal(json(closedIds(run.fake)), json([AGENT_SESSION]), 'ids in the close requests the fake Akool server saw');
			t.equal(statusOf(run.fake, AGENT_SESSION), STATUS.completed, `status of session ${AGENT_SESSION}`);
			t.equal(run.fake.requestsTo(ROUTES.getCreditBalance).length, 1, 'credit balance requests');
			t.equal(run.items('AI Agent')?.[0]?.json?.output, AGENT_ANSWER, "the agent's output (the model's final text)", 'AI Agent');
			t.equal(openAi.requests.length, 3, 'requests the model received');
			checkToolDefinitions(t, openAi.requests[0]?.body.tools ?? []);
			const [closeResult] = openAi.toolResults(1);
			t.contains(closeResult?.content ?? '', AGENT_SESSION, 'tool result of Close Session the model read', 'Close Session');
			const [balance] = openAi.toolResults(2).slice(-1);
			t.contains(balance?.content ?? '', 'credit', 'tool result of Get Credit Balance the model read', 'Get Credit Balance');
			checkNothingSecretSentToModel(t, openAi);
		},
	},
	{
		id: 'exAgentTools',
		title: 'example ai-agent-close-session.json runs (its chat model pointed at the fake OpenAI server)',
		workflow: '../../examples/ai-agent-close-session.json',
		prepare(workflow) {
			for (const node of workflow.nodes.filter((n) => n.type.endsWith('.lmChatOpenAi'))) {
				node.credentials = { openAiApi: { id: 'e2eFakeOpenAi', name: 'Fake OpenAI (e2e)' } };
			}
			return workflow;
		},
		before(fake, ctx) {
			seedSessions(fake, [EXAMPLE_AGENT_SESSION]);
			ctx.openAi.reset([
				(body) => toolCalls([{ name: toolNamed(body, /close/i), args: { sessionId: EXAMPLE_AGENT_SESSION } }]),
				(body) => toolCalls([{ name: toolNamed(body, /credit/i), args: {} }]),
				() => text(AGENT_ANSWER),
			]);
		},
		check(t, run) {
			t.equal(json(closedIds(run.fake)), json([EXAMPLE_AGENT_SESSION]), 'ids in the close requests the fake Akool server saw');
			t.equal(run.fake.requestsTo(ROUTES.getCreditBalance).length, 1, 'credit balance requests');
			t.equal(run.items('AI Agent')?.[0]?.json?.output, AGENT_ANSWER, "the agent's output (the model's final text)", 'AI Agent');
			checkNothingSecretSentToModel(t, run.ctx.openAi);
		},
	},
	{
		id: 'agentToolError',
		title: "AI Agent: Akool's error (1216, no such session) reaches the model as a tool result it can read, not a crash",
		workflow: 'workflows/agent-close-session.json',
		before(fake, ctx) {
			ctx.openAi.reset([
				(body) => toolCalls([{ name: toolNamed(body, /close/i), args: { sessionId: AGENT_UNKNOWN_SESSION } }]),
				() => text('That session does not exist.'),
			]);
		},
		check(t, run) {
			const { openAi } = run.ctx;
			t.equal(json(run.fake.requestsTo(CLOSE).map((r) => r.code)), '[1216]', 'answers to the close requests (no such session)');
			t.equal(openAi.requests.length, 2, 'requests the model received (the tool result, then its answer)');
			const [result] = openAi.toolResults(1);
			t.contains(
				result?.content ?? '',
				'1216',
				'tool result of Close Session the model read (it must say what went wrong)',
				'Close Session',
			);
			checkNothingSecretSentToModel(t, openAi);
		},
	},
	...HOSTILE_SCENARIOS,
	{
		id: 'noSecretsInClear',
		title: 'no credential secret (API keys, bearer token, client secrets, issued tokens) in any n8n output or file of this run',
		async command(ctx) {
			const secrets = { ...SECRETS, ...ctx.issuedTokens };
			delete secrets.clientId; // an identifier, not a secret
			return { found: Object.entries(secrets).map(([name, value]) => ({ name, places: whereIs(value, ctx) })) };
		},
		check(t, { found }) {
			const names = found.map((f) => f.name);
			for (const name of ['apiKey', 'wrongApiKey', 'bearerToken', 'clientSecret', 'wrongClientSecret']) {
				t.ok(names.includes(name), 'secrets searched for', { expected: `to include ${name}`, actual: names });
			}
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
