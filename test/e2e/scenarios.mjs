// The real-n8n end-to-end scenarios, run in this order once per n8n version. A scenario: `id` (the n8n workflow id,
// ≤ 21 characters), `title`, `workflow` (relative to test/e2e/; its Akool nodes get `credential`, a key of
// CREDENTIALS, default apiKey), optional `timeoutMs`; the data fields of checks.mjs; its own `before(fake, ctx)` and
// `check(t, run)`, run = {execution, result, fake, ctx, items(node, output), error}; or, instead of `workflow`,
// `command(ctx)`, whose result check(t, outcome) reads. Order matters: the fake is reset before each, not the tokens
// it issued (the client-credential scenarios build on each other); exportNodes first, the secret searches last.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

import { loadDescriptions, problemsOfNode, propertyOf, resourcesOf } from '../docs/loadNode.mjs';
import { text } from '../lib/fakeOpenAi.mjs';
import { EXECUTE_TIMEOUT_MS, MANUAL_TRIGGER, NODE_TYPE, TOOL_TYPE, prepareWorkflow, readJson, run as runCommand } from '../lib/n8n.mjs';
import { CLIENT_ID, CREDENTIALS, OPENAI_CREDENTIAL, ROUTES, SECRETS, STATUS, callTool, checkCreatedThenClosed } from './checks.mjs';
import { checkNewId, checkSecretNowhere, codesOf, secretsOf, sessionIds, sorted, whereIs } from './checks.mjs';

const { startFakeAkool } = createRequire(import.meta.url)('../fake-akool/server.js');

/** Resources in the editor's order, each with its operations; Request Options. */
function offered(description) {
	const resources = resourcesOf(description).map((r) => [r.value, sorted(r.operations.map((o) => o.value))]);
	return { resources, requestOptions: sorted(propertyOf(description, 'requestOptions').options.map((o) => o.name)) };
}

/** What a workflow asks of the node that the installed node does not offer: an operation, a parameter, an option. */
export function missingNodeFeatures(workflow, nodeTypes) {
	const description = nodeTypes?.[NODE_TYPE];
	const akoolNodes = description ? workflow.nodes.filter((n) => n.type === NODE_TYPE) : [];
	const failure = (node) => (what) => ({ node: node.name, what, expected: 'offered by the installed node', actual: 'not offered' });
	return akoolNodes.flatMap((node) => problemsOfNode(description, node, 'workflow').map(failure(node)));
}

/** A scenario's workflow as imported: on its credential, with its `parameters` on every Akool node, chat models on the fake OpenAI. */
export function workflowOf(scenario) {
	const original = readJson(resolve(import.meta.dirname, scenario.workflow));
	const { id, name } = CREDENTIALS[scenario.credential ?? 'apiKey'];
	const workflow = prepareWorkflow(original, { id: scenario.id, name: `${scenario.id}: ${original.name}`, credential: { id, name } });
	for (const node of workflow.nodes) {
		if (node.type === NODE_TYPE) Object.assign(node.parameters, scenario.parameters);
		if (node.type.endsWith('.lmChatOpenAi')) node.credentials = { openAiApi: OPENAI_CREDENTIAL };
	}
	return scenario.webhook ? webhookAsManual(workflow, scenario.webhook) : workflow;
}

// `n8n execute` needs a Manual Trigger: Manual Trigger → a Code node returning the item the Webhook would output for a
// POST of `body` → the Webhook node, which n8n runs as a pass-through when it is not the trigger. Respond to Webhook
// (which needs a Webhook node among its parents) runs as in production, its response output on for the checks.
function webhookAsManual(workflow, body) {
	const hook = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	const [x, y] = hook.position ?? [0, 0];
	const request = { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body };
	const sample = { ...request, webhookUrl: 'http://localhost:5678/webhook/e2e', executionMode: 'production' };
	const jsCode = `// What the Webhook node would output for a POST with this JSON body.\nreturn [{ json: ${JSON.stringify(sample)} }];`;
	const [start, code] = [
		{ name: 'Start (headless)', type: MANUAL_TRIGGER, typeVersion: 1, parameters: {} },
		{ name: 'Sample Request (headless)', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } },
	].map((node, i) => ({ id: `0e2e0000-0000-4000-8000-00000000aa0${i + 1}`, position: [x - 440 + 220 * i, y + 200], ...node }));
	workflow.nodes.push(start, code);
	const linkTo = (node) => ({ main: [[{ node: node.name, type: 'main', index: 0 }]] });
	Object.assign(workflow.connections, { [start.name]: linkTo(code), [code.name]: linkTo(hook) });
	for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.respondToWebhook' && n.typeVersion >= 1.4))
		node.parameters.enableResponseOutput = true;
	return workflow;
}

/** A use of an n8n-workflow export in compiled code, `typeof` first where the code tests for it before using it. */
const N8N_WORKFLOW_USE = /(typeof\s+)?\bn8n_workflow_\d+\.([A-Za-z_$][\w$]*)/g;
// What the installed node does with n8n-workflow: the exports its code uses (names the host's copy lacks fail only
// when their code path runs, a retry, a wait: check them all up front), private copies in its tree, and the
// n8n-workflow ({file, version, names}) that a `require()` from n8n and from the node gets. n8n puts its own module
// paths into NODE_PATH before it loads community packages (LoadNodesAndCredentials), so a package finds n8n's copy
// unless its own node_modules chain holds another one.
async function inspectN8nWorkflow(ctx) {
	const dist = join(ctx.packageDir, 'dist');
	const files = readdirSync(dist, { recursive: true }).filter((f) => f.endsWith('.js'));
	const uses = files.flatMap((file) => [...readFileSync(join(dist, file), 'utf8').matchAll(N8N_WORKFLOW_USE)].map((m) => [...m, file]));
	const guarded = new Set(uses.filter(([, guard]) => guard).map(([, , name]) => name)); // tested for before use
	const modules = join(ctx.n8n.folder, '.n8n', 'nodes', 'node_modules');
	const copies = readdirSync(modules, { recursive: true }).filter((path) => /(^|[/])n8n-workflow$/.test(path));
	const dirs = [dirname(dirname(ctx.n8n.install.n8nBin)), join(dist, 'nodes', 'AkoolLiveAvatar')];
	const script = `const Module = require('node:module');
		process.env.NODE_PATH = Module._nodeModulePaths(${JSON.stringify(join(ctx.n8n.install.n8nBin, '..', '..', 'dist'))}).join(':');
		Module._initPaths();
		console.log(JSON.stringify(${JSON.stringify(dirs)}.map((dir) => {
			const r = Module.createRequire(dir + '/x.js');
			const file = r.resolve('n8n-workflow');
			return { file, version: r(r.resolve('n8n-workflow/package.json')).version, names: Object.keys(r(file)) };
		})));`;
	const result = await runCommand(ctx.n8n.install.nodeBin, ['-e', script], { env: ctx.n8n.env, timeoutMs: 60_000 });
	const [host, node] = result.code === 0 ? JSON.parse(result.stdout.trim().split('\n').pop()) : [];
	return { used: uses.filter(([, , name]) => !guarded.has(name)), copies, result, host, node };
}

const ONE_SESSION = 'e2ec00000000000000000001'; // as close-one-session.json says
const CLOSE_ONE = 'workflows/close-one-session.json';
const CLOSE_ALL = 'workflows/close-all-open.json';
/** One open session to close, which a refused credential must leave open. */
const CLOSE_REFUSED = { workflow: CLOSE_ONE, seed: { processing: [ONE_SESSION] }, untouched: [ONE_SESSION] };
const FOUR_SESSIONS = ['e2eb00000000000000000001', 'e2eb00000000000000000002', 'e2eb0000000000000000dead', 'e2eb00000000000000000003'];
const FOUR_OPEN = FOUR_SESSIONS.filter((id) => !id.endsWith('dead'));
/** Close Sessions on the four: the three open ones end completed, the unknown one is an error item (Continue On Fail). */
const CLOSE_FOUR = {
	workflow: 'workflows/close-four-continue-on-fail.json',
	seed: { processing: FOUR_OPEN },
	items: {
		'Close Sessions': FOUR_SESSIONS.map((sessionId) =>
			sessionId.endsWith('dead') ? { error: 'The session does not exist', akoolCode: 1216 } : { sessionId, error: undefined },
		),
	},
	completed: FOUR_OPEN,
};

// One close through the client ID + secret (unless `credential` says otherwise): the session closes, getToken is
// called as `requests` says (by default never), every API request carries exactly the credential's auth header.
const authScenario = (scenario) => ({
	workflow: CLOSE_ONE,
	credential: 'clientCredentials',
	seed: { processing: [ONE_SESSION] },
	items: { 'Close Session': [{ sessionId: ONE_SESSION, error: undefined }] },
	completed: [ONE_SESSION],
	requests: { getToken: 0 },
	auth: true,
	...scenario,
});

// Close All Open (e2eCloseAllOpen): the open sessions by status, and those it must leave alone.
const OPEN = { queueing: sessionIds('e2e4a', 3), processing: sessionIds('e2e4b', 4) };
const NOT_OPEN = { completed: sessionIds('e2e4c', 2), failed: sessionIds('e2e4d', 1) };
/** 85 open sessions, for Close All Open on a fake that serves at most 20 per page. */
const MANY_OPEN = { queueing: sessionIds('e2e5a', 40), processing: sessionIds('e2e5b', 45) };
const FLAKY_IDS = sessionIds('e2e2', 200); // e2eClose200Flaky's: as the workflow's Code node makes them
// Which attempts of which session fail, and how: every 5th session's first attempt (40 of 200), and for every 20th
// also its second one (10 more), cycling through the four faults. That is 50 of 250 close requests (20%), every
// session can succeed on a retry, and the plan is the same whatever order n8n sends in.
const FLAKY_FAULTS = [{ kind: 'http', status: 502 }, { kind: 'drop' }, { kind: 'dropAfter' }, { kind: 'code', code: 1005 }];
const FLAKY_PLAN = new Map(
	FLAKY_IDS.filter((_, i) => i % 5 === 0).map((id, k) => [id, k % 4 ? [FLAKY_FAULTS[k % 4]] : FLAKY_FAULTS.slice(0, 2)]),
);
const planned = (kind) => [...FLAKY_PLAN.values()].flat().filter((fault) => !kind || fault.kind === kind).length;

/** The upload avatar-upload-wait.json asks for, of the video that gets ready. */
const PRESENTER = { url: 'https://static.example/e2e-presenter.mp4', name: 'e2e presenter', type: 2, url_from: 1 };
const KNOWLEDGE_BASE = {
	name: 'e2e Returns Policy',
	prologue: 'Hello! Ask me about returns.',
	prompt: 'You answer questions about returns only.',
	urls: ['https://example.com/returns', 'https://example.com/shipping'],
};
const KNOWLEDGE_BASE_CHANGES = { name: 'e2e Returns and Refunds', prompt: 'You answer questions about returns and refunds.' };

const AGENT_SESSION = 'e2ea00000000000000000001'; // as the prompt in agent-close-session.json says
const AGENT_ANSWER = 'Session e2ea00000000000000000001 is closed; your credit balance is in the tool result.';
// The model closes `sessionId` with the node's tool, reads the credit balance, then answers: the session ends
// closed, the balance was read once, the model read both results, and the agent outputs the model's final text.
const agentScenario = (sessionId, scenario) => ({
	seed: { processing: [sessionId] },
	model: [callTool(/close/i, { sessionId }), callTool(/credit/i), () => text(AGENT_ANSWER)],
	closes: [sessionId],
	requests: { getCreditBalance: 1 },
	items: { 'AI Agent': [{ output: AGENT_ANSWER }] },
	toolResults: { 1: sessionId, 2: 'credit' }, // of Close Session, then of Get Credit Balance
	...scenario,
});

export const SCENARIOS = [
	{
		id: 'exportNodes',
		title: 'e. n8n export:nodes lists the node and its AI tool variant, with every resource, operation and Request Option',
		async command(ctx) {
			const file = join(ctx.tmp, 'nodes.json');
			const result = await ctx.n8n.cli(['export:nodes', `--output=${file}`]);
			const nodes = result.code === 0 ? JSON.parse(readFileSync(file, 'utf8')) : [];
			ctx.nodeTypes = Object.fromEntries(nodes.filter((n) => n.name.startsWith('n8n-nodes-akool.')).map((n) => [n.name, n]));
			return { result, types: ctx.nodeTypes };
		},
		check(t, { result, types }) {
			t.equal(result.code, 0, 'exit code of export:nodes');
			t.equal(Object.keys(types).sort(), [NODE_TYPE, TOOL_TYPE], 'node types of the package exported');
			const expected = offered(loadDescriptions().node); // as the sources declare them
			for (const [type, node] of Object.entries(types))
				t.equal(offered(node), expected, `resources, operations, Request Options of ${type}`);
			t.equal(types[TOOL_TYPE]?.outputs, ['ai_tool'], `outputs of ${TOOL_TYPE}`);
		},
	},
	{
		id: 'n8nWorkflowApi',
		title: 'every n8n-workflow export the packed node uses exists in the n8n-workflow this n8n version loads it with',
		command: inspectN8nWorkflow,
		check(t, { result, used, node }) {
			const stderr = result.code ? `: ${result.stderr.slice(-300)}` : '';
			t.equal(result.code, 0, `exit code of the script that lists n8n-workflow's exports${stderr}`);
			t.ok(used.length, 'n8n-workflow exports used by the packed node', { expected: 'some (is dist/ compiled to CommonJS?)', actual: 0 });
			const missing = used.filter(([, , name]) => node && !node.names.includes(name)).map(([, , name, file]) => `${name} (in ${file})`);
			t.equal([...new Set(missing)], [], `n8n-workflow exports the node uses that n8n-workflow ${node?.version} lacks`);
		},
	},
	{
		id: 'hostN8nWorkflow',
		title: "the installed node loads the host's n8n-workflow: no private copy in its tree, the same file n8n loads",
		command: inspectN8nWorkflow,
		check(t, { copies, result, host, node }) {
			t.equal(copies, [], 'n8n-workflow folders under .n8n/nodes/node_modules (a private copy the node would load)');
			t.ok(host, 'n8n-workflow as n8n resolves it', { actual: result.stderr.slice(-300) });
			t.equal([node?.file, node?.version], [host?.file, host?.version], "file and version of the n8n-workflow the node's require() loads");
		},
	},
	{
		id: 'e2eCreateClose',
		title: 'a. Create Session → Close Session with {{ $json._id }}',
		workflow: 'workflows/create-and-close.json',
		sent: { createSession: { avatar_id: 'dvp_Tristan_cloth2_1080P', duration: 120 } },
		check: (t, run) => void checkCreatedThenClosed(t, run),
	},
	{
		id: 'e2eCloseFour',
		title: 'b. four items, one unknown id, Continue On Fail: 4 in, 4 out, paired, 3 closed',
		...CLOSE_FOUR,
		// The node works on several items at once: make the first one finish last.
		faults: [{ kind: 'delay', ms: 400, route: 'session/close', when: (r) => r.body.id === FOUR_SESSIONS[0] }],
		closes: FOUR_SESSIONS,
	},
	{
		id: 'e2eLifecycle',
		title:
			"4.1 Create → Get ({{ $json._id }}) → Close ({{ $('Create Session').item.json._id }}): Get outputs the session, which ends completed",
		workflow: 'workflows/lifecycle-create-get-close.json',
		sent: { createSession: { avatar_id: 'dvp_Alinna_realisticbg_20241224', duration: 180, stream_type: 'livekit' } },
		routes: [ROUTES.createSession, ROUTES.getSession, ROUTES.closeSession],
		items: { 'Create Session': [{ stream_type: 'livekit' }], 'Get Session': [{ status: STATUS.queueing, statusName: 'queueing' }] },
		check(t, run) {
			const session = checkCreatedThenClosed(t, run);
			const token = session.credentials?.livekit_token;
			t.ok(typeof token === 'string', 'output credentials.livekit_token', { actual: session.credentials, node: 'Create Session' });
			const node = 'Get Session';
			t.equal(run.fake.requestsTo(ROUTES.getSession)[0]?.query?.id, session._id, 'id in the session detail request', node);
			// Nothing changed between the two calls: Get must output the very session Create returned.
			const { statusName, ...detail } = run.items(node)?.[0]?.json ?? {};
			t.equal(detail, session, 'output item (the session, as Create returned it, and its statusName)', node);
		},
	},
	{
		id: 'e2eCloseAllOpen',
		title: '4.2 Close All Open: 3 queueing + 4 processing closed (one summary item), completed and failed untouched',
		workflow: 'workflows/close-all-open.json',
		seed: { ...OPEN, ...NOT_OPEN },
		items: { 'Close All Open Sessions': [{ closed: 7, rounds: 1 }] },
		closes: Object.values(OPEN).flat(),
		untouched: Object.values(NOT_OPEN).flat(),
		check(t, run) {
			const node = 'Close All Open Sessions';
			const closed = (run.items(node)?.[0]?.json.sessions ?? []).map((s) => [s._id, s.previousStatus, s.alreadyClosed]);
			const expected = Object.entries(OPEN).flatMap(([status, ids]) => ids.map((id) => [id, STATUS[status], false]));
			t.equal(sorted(closed), sorted(expected), 'closed sessions: _id, previousStatus, alreadyClosed (any order)', node);
		},
	},
	{
		id: 'e2eAvatarUploadWait',
		title: '4.3 Avatar Upload with Wait for Ready: ready avatar → status 3; a video that fails processing → error item (Continue On Fail)',
		workflow: 'workflows/avatar-upload-wait.json',
		items: {
			'Upload Avatar': [
				{ status: STATUS.completed, avatar_id: 'e2eUploadOk01', error: undefined },
				{ error: [/^Akool could not process the video of avatar "e2e broken video"/, /\(status 4, failed\)/] },
			],
		},
		sent: { uploadAvatar: { avatar_id: 'e2eUploadOk01', ...PRESENTER } },
		check(t, run) {
			const node = 'Upload Avatar';
			const avatarIds = sorted(run.fake.requestsTo(ROUTES.uploadAvatar).map((r) => r.body.avatar_id));
			t.equal(avatarIds, ['e2eUploadBad01', 'e2eUploadOk01'], 'avatar_id of the upload requests (one each)', node);
			const avatar = [...run.fake.state.avatars.values()].find((a) => a.avatar_id === 'e2eUploadOk01');
			t.equal(avatar?.status, STATUS.completed, 'status of the uploaded avatar in the fake server', node);
			const polls = run.fake.requestsTo(ROUTES.getUploadedAvatar).filter((r) => r.query.id === avatar?._id);
			t.equal(polls.length, run.fake.config.avatarReadyAfterPolls, 'status polls for the ready avatar (it is ready after that many)', node);
			t.equal(run.items(node)?.[0]?.json?._id, avatar?._id, '_id of output item 0', node);
		},
	},
	{
		id: 'e2eKnowledgeBase',
		title: '4.4 Knowledge Base create → get → update → delete in one workflow',
		workflow: 'workflows/knowledge-base-lifecycle.json',
		items: {
			'Create Knowledge Base': [KNOWLEDGE_BASE],
			'Get Knowledge Base': [KNOWLEDGE_BASE],
			'Update Knowledge Base': [{ ...KNOWLEDGE_BASE, ...KNOWLEDGE_BASE_CHANGES }],
		},
		routes: ['create', 'get', 'update', 'delete'].map((verb) => ROUTES[`${verb}KnowledgeBase`]),
		check(t, run) {
			const idOf = (verb) => run.items(`${verb} Knowledge Base`)?.[0]?.json._id;
			const id = idOf('Create');
			checkNewId(t, id, 'Create Knowledge Base');
			for (const verb of ['Get', 'Update']) t.equal(idOf(verb), id, '_id of output item 0', `${verb} Knowledge Base`);
			const update = run.fake.requestsTo(ROUTES.updateKnowledgeBase)[0]?.body;
			t.equal(update, { id, ...KNOWLEDGE_BASE_CHANGES }, 'update request (the fields to change only)', 'Update Knowledge Base');
			const deleted = run.items('Delete Knowledge Base')?.map((item) => item.json);
			t.equal(deleted, [{ deleted: true, id }], 'items out', 'Delete Knowledge Base');
			t.equal(run.fake.requestsTo(ROUTES.deleteKnowledgeBase)[0]?.body?.id, id, 'id in the delete request', 'Delete Knowledge Base');
			const left = [...run.fake.state.knowledge.values()].map((k) => k.name);
			t.equal(left, ['Product FAQ'], 'knowledge bases left in the fake server (the seeded one only)');
		},
	},
	{
		id: 'e2eClose200Flaky',
		title:
			'5.6 200 Close items, 20% of requests failing transiently (HTTP 502, drops before/after processing, 1005): all closed exactly once',
		workflow: 'workflows/close-200-flaky.json',
		seed: { processing: FLAKY_IDS },
		before(fake, ctx) {
			/** Which attempt (1, 2, …) at closing its session a request is: the fake records it before matching faults. */
			const attempt = (r) => fake.requestsTo(ROUTES.closeSession).filter((q) => q.body?.id === r.body?.id).length;
			const when = (fault) => (r) => FLAKY_PLAN.get(r.body?.id)?.[attempt(r) - 1] === fault;
			ctx.flakyFaults = FLAKY_FAULTS.map((fault) =>
				fake.addFault({ ...fault, route: 'session/close', times: Infinity, when: when(fault) }),
			);
		},
		items: { 'Close Sessions': FLAKY_IDS.map((sessionId) => ({ sessionId, error: undefined })) },
		completed: FLAKY_IDS,
		requests: { closeSession: 200 + planned() }, // one retry per injected failure
		check(t, run) {
			// Per session, exactly one successful close (code 1000: a retry after a lost answer hears 1219), and as many
			// requests reaching the close handler as planned (the successful one, plus each 'dropAfter' attempt).
			const closes = run.fake.requestsTo(ROUTES.closeSession);
			for (const id of FLAKY_IDS) {
				const closed = closes.filter((r) => r.body.id === id && r.code === 1000).length;
				const calls = 1 + (FLAKY_PLAN.get(id) ?? []).filter((fault) => fault.kind === 'dropAfter').length;
				t.equal([closed, run.fake.state.sessions.get(id)?.closeCalls], [1, calls], `successful closes and close calls of session ${id}`);
			}
			for (const { kind, hits } of run.ctx.flakyFaults) t.equal(hits, planned(kind), `injected ${kind} failures`);
			const heard1219 = closes.filter((r) => r.code === 1219).length;
			t.equal(heard1219, planned('dropAfter'), 'retries that heard 1219 (already closed) after a lost answer');
		},
	},
	{
		id: 'e2eCreateLost',
		title: '5.7 Create Session whose answer is lost after Akool created it: fails "may have created", not resent, one session',
		workflow: 'workflows/create-answer-lost.json',
		faults: [{ route: 'session/create', kind: 'dropAfter' }],
		error: {
			node: 'Create Session',
			message: /^No clear answer from Akool, which may have created the session/,
			description: [/The request was not sent again/, /Session → Get Many/],
		},
		requests: { createSession: 1 },
		check(t, run) {
			const sessions = [...run.fake.state.sessions.values()].map((s) => s.status);
			t.equal(sessions, [STATUS.queueing], 'statuses of the sessions in the fake server (the one the lost request created)');
		},
	},
	{
		id: 'e2eWrongKey',
		title: 'c. wrong API key: the execution fails with code 1101 and the key is never printed or stored in clear',
		...CLOSE_REFUSED,
		credential: 'wrongApiKey',
		auth: true,
		error: { node: 'Close Session', message: 'Akool rejected the credential', description: /Akool code 1101/ },
		stored: 'Akool rejected the credential',
		secrets: ['wrongApiKey'],
	},
	...[
		{ id: 'e2eAuthApiKey', title: 'd. API key: x-api-key only', credential: 'apiKey' },
		{ id: 'e2eAuthBearer', title: 'd. bearer token: Authorization: Bearer only', credential: 'bearerToken' },
		{
			id: 'e2eAuthClient',
			title: 'd. client ID + secret: one getToken call, then Bearer only',
			requests: { getToken: 1 },
			sent: { getToken: { clientId: CLIENT_ID } },
		},
		{ id: 'e2eAuthClientAgain', title: 'd. client ID + secret, second run: the stored token is reused (no getToken)' },
		{
			id: 'e2eAuthClientRenew',
			title: 'd. client ID + secret, token expired (Akool 1101 with HTTP 200): renewed once, request repeated',
			expireTokens: true,
			requests: { getToken: 1, closeSession: [1101, 1000] },
			renewed: true,
		},
		{
			id: 'e2eAuthClientRenew4',
			title: 'd. client ID + secret, token expired, four items at once: every item succeeds after renewal',
			...CLOSE_FOUR,
			expireTokens: true,
			requests: { getToken: 1 }, // one renewal for the whole run
		},
	].map(authScenario),
	{
		id: 'e2eWrongSecret',
		title: '5.8 client ID + wrong secret: getToken refused (1101), the execution fails, the secret is never printed or stored in clear',
		...CLOSE_REFUSED,
		credential: 'wrongClientSecret',
		sent: { getToken: { clientSecret: SECRETS.wrongClientSecret } },
		error: { node: 'Close Session', message: /did not issue a token/ },
		stored: 'did not issue a token',
		secrets: ['wrongClientSecret', 'clientSecret'],
		check(t, run) {
			const answers = codesOf(run.fake.requestsTo(ROUTES.getToken));
			t.equal([...new Set(answers)], [1101], 'answers to getToken (one or more, each 1101)');
		},
	},
	{
		id: 'e2eClient1101Always',
		title:
			'5.8 client ID + secret, Akool answers 1101 to every request: one renewal, then the execution fails; no secret or token in clear',
		...CLOSE_REFUSED,
		credential: 'clientCredentials',
		faults: [{ route: 'session/close', kind: 'code', code: 1101, times: Infinity }],
		requests: { closeSession: [1101, 1101] },
		renewed: true,
		error: { node: 'Close Session', message: 'Akool rejected the credential' },
		stored: 'Akool rejected the credential',
		secrets: ['clientSecret'],
		check(t, run) {
			// A token may be fetched before the first close when none is stored yet (this scenario run alone).
			const firstClose = run.fake.requests.findIndex((r) => r.route === ROUTES.closeSession);
			const renewals = run.fake.requests.slice(firstClose + 1).filter((r) => r.route === ROUTES.getToken);
			t.equal(renewals.length, 1, 'getToken calls after the first close request (one renewal)');
			for (const [name, token] of Object.entries(run.ctx.issuedTokens)) checkSecretNowhere(t, run, token, `issued ${name}`);
		},
	},
	{
		id: 'exCreateClose',
		title: 'example create-and-close-session.json runs',
		workflow: '../../examples/create-and-close-session.json',
		check: (t, run) => void checkCreatedThenClosed(t, run),
	},
	{
		id: 'exNightly',
		title: 'example close-all-open-sessions-nightly.json runs (Schedule Trigger swapped for Manual)',
		workflow: '../../examples/close-all-open-sessions-nightly.json',
		seed: { processing: sessionIds('e2ee', 2), queueing: ['e2ee00000000000000000003'], completed: ['e2ee00000000000000000004'] },
		completed: sessionIds('e2ee', 3),
		untouched: ['e2ee00000000000000000004'],
	},
	{
		id: 'exListClose',
		title: 'example list-and-close-open-sessions.json runs (Get Many, status Processing → Close)',
		workflow: '../../examples/list-and-close-open-sessions.json',
		seed: { processing: sessionIds('e2ef', 2), completed: ['e2ef00000000000000000003'] },
		items: { 'Get Running Sessions': 2, 'Close Session': 2 },
		closes: sessionIds('e2ef', 2),
		untouched: ['e2ef00000000000000000003'],
	},
	{
		id: 'exWebhookSession',
		title: 'example create-session-from-webhook.json runs (Webhook fed by a Manual Trigger + sample request; Respond to Webhook runs)',
		workflow: '../../examples/create-session-from-webhook.json',
		webhook: { avatar_id: 'dvp_Sean_agent_20241224' },
		sent: { createSession: { avatar_id: 'dvp_Sean_agent_20241224', duration: 300 } },
		items: { 'Respond with Session': 1 },
		check(t, run) {
			const session = run.items('Create Session')?.[0]?.json ?? {};
			const created = { expected: 'with _id and credentials', actual: session, node: 'Create Session' };
			t.ok(typeof session._id === 'string' && session.credentials, 'created session', created);
			const { statusCode, body } = run.items('Respond with Session', 1)?.[0]?.json?.response ?? {};
			const sent = { session_id: session._id, stream_type: session.stream_type, credentials: session.credentials };
			const what = 'HTTP status and body ({ session_id, stream_type, credentials }) of the response';
			t.equal({ statusCode, body }, { statusCode: 200, body: sent }, what, 'Respond with Session');
			const sessions = [...run.fake.state.sessions.values()].map((s) => [s._id, s.status]);
			t.equal(sessions, [[session._id, STATUS.queueing]], 'sessions in the fake server (the new one, open for the front end)');
		},
	},
	agentScenario(AGENT_SESSION, {
		id: 'agentCloseSession',
		title: 'AI Agent (v2, fake OpenAI model) with the node as two tools: closes the session it was told, reads the credit balance',
		workflow: 'workflows/agent-close-session.json',
		check(t, run) {
			const { openAi } = run.ctx;
			// What a model needs to use the tools: a name, a description saying what each does, the session ID described.
			const tools = openAi.requests[0]?.body.tools ?? [];
			const [close, balance] = [/close/i, /credit/i].map((name) => tools.find((tool) => name.test(tool.function?.name ?? ''))?.function);
			const actual = tools.map((tool) => tool.function?.name);
			t.ok(close && balance, 'tools the model received', { expected: 'a Close Session and a Get Credit Balance tool', actual });
			t.contains(close?.description ?? '', 'Close a session', 'description of the Close Session tool');
			t.contains(balance?.description ?? '', 'credit', 'description of the Get Credit Balance tool');
			const { type, description } = close?.parameters?.properties?.sessionId ?? {};
			const sessionId = { type, description, required: close?.parameters?.required?.includes('sessionId') };
			const described = { type: 'string', description: 'The ID of the live avatar session to close', required: true };
			t.equal(sessionId, described, 'sessionId parameter of the Close Session tool: type, description, required');
		},
	}),
	// The session id is the one the prompt of the example names.
	agentScenario('6698c9d69cf7b0d61d1b6420', {
		id: 'exAgentTools',
		title: 'example ai-agent-close-session.json runs (its chat model pointed at the fake OpenAI server)',
		workflow: '../../examples/ai-agent-close-session.json',
	}),
	{
		id: 'agentToolError',
		title: "AI Agent: Akool's error (1216, no such session) reaches the model as a tool result it can read, not a crash",
		workflow: 'workflows/agent-close-session.json',
		model: [callTool(/close/i, { sessionId: 'e2ea0000000000000000dead' }), () => text('That session does not exist.')],
		requests: { closeSession: [1216] },
		toolResults: { 1: '1216' }, // Close Session's: it must say what went wrong
	},
	// Akool (or what stands at its address) answering in ways the fake never used to: short pages, redirects to
	// another host, huge Retry-After, lists that ignore `page`, bodies that drip. Each one proved a hang, a loop, a
	// lost session or a leaked key once (issues 11, 15, 17).
	{
		id: 'e2eCloseAllOpenCapped',
		title: '11. Close All Open leaves none of 85 open sessions open when Akool serves at most 20 per page',
		workflow: CLOSE_ALL,
		config: { maxPageSize: 20 },
		seed: MANY_OPEN,
		items: { 'Close All Open Sessions': [{ closed: 85 }] },
		closes: Object.values(MANY_OPEN).flat(),
	},
	{
		id: 'e2eRedirectForeign',
		title: '15. a 307 from the Base URL to another host: not followed, the API key never reaches that host',
		...CLOSE_REFUSED,
		async before(fake, ctx) {
			ctx.foreign ??= await startFakeAkool(); // another host, which records every request (run.mjs closes it)
			ctx.foreign.reset();
			fake.addFault({ route: ROUTES.closeSession, kind: 'redirect', status: 307, location: `${ctx.foreign.url}/steal`, times: Infinity });
		},
		error: { node: 'Close Session', message: /answered with a redirect \(HTTP 307\)/ },
		check: (t, run) => t.equal(run.ctx.foreign.requests.length, 0, 'requests that reached the foreign host'),
	},
	{
		id: 'e2eConcurrencyNaN',
		title: '17.1 Concurrency that evaluates to NaN fails the node at once, naming the field, with no request',
		workflow: CLOSE_ONE,
		parameters: { requestOptions: { concurrency: '={{ Number("ten") }}' } },
		error: { node: 'Close Session', message: /Concurrency must be a whole number from 1 to 50, not NaN/ },
		routes: [],
	},
	{
		id: 'e2eRetryAfterHuge',
		title: '17.2 Retry-After 999999 on every close: Close All Open fails at once, saying how long Akool asked to wait',
		workflow: CLOSE_ALL,
		seed: { processing: sessionIds('e2e5c', 3) },
		faults: [{ route: ROUTES.closeSession, kind: 'http', status: 429, retryAfter: 999999, times: Infinity }],
		error: { node: 'Close All Open Sessions', message: /Could not close 3 open sessions/, description: /Akool answered HTTP 429/ },
		requests: { closeSession: 3 }, // one each: no stall, no retry past the budget
	},
	{
		id: 'e2eListIgnoresPage',
		title: '17.3 a list that ignores page with an endless count: Get Many stops with a clear error after 2 requests',
		workflow: CLOSE_ALL,
		config: { ignorePage: true, countMode: 'endless' },
		seed: { processing: sessionIds('e2e5d', 100) },
		error: { node: 'Close All Open Sessions', message: /page 2 repeats page 1/ },
		requests: { closeSession: 0 },
		check(t, run) {
			const lists = run.fake.requestsTo(ROUTES.listSessions).length;
			t.ok(lists <= 4, 'list requests (bounded)', { expected: 'at most 4 (2 per status)', actual: lists });
		},
	},
	{
		id: 'e2eDripBody',
		title: '17.4 a body dripped one byte at a time: the 1,000 ms Timeout covers the whole answer',
		workflow: CLOSE_ONE,
		parameters: { requestOptions: { timeout: 1000, maxAttempts: 1 } },
		faults: [{ route: ROUTES.closeSession, kind: 'drip', ms: 400, endless: true, times: Infinity }],
		error: { node: 'Close Session', message: /the request timed out/, description: /No complete answer within 1000 ms/ },
	},
	{
		id: 'debugLogNoSecrets',
		title: '15. n8n at debug log level (console and file): the wrong-key and client-secret runs print no secret',
		async command(ctx) {
			const logFile = join(ctx.n8n.folder, '.n8n', 'logs', 'debug.log');
			const extraEnv = { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile };
			const printed = {};
			for (const id of ['e2eWrongKey', 'e2eAuthClient', 'e2eRedirectForeign']) {
				const options = { timeoutMs: EXECUTE_TIMEOUT_MS, extraEnv, label: `debug ${id}` };
				const result = await ctx.n8n.cli(['execute', `--id=${id}`, '--rawOutput'], options);
				printed[`what n8n printed at debug level running ${id}`] = `${result.stdout}\n${result.stderr}`;
			}
			return { printed, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '' };
		},
		check(t, { printed, log }) {
			t.ok(log.includes('debug'), 'debug lines in the log file', { expected: 'some', actual: log.length });
			const texts = { ...printed, "n8n's debug log file": log };
			for (const [name, secret] of secretsOf()) t.equal(whereIs(secret, texts), [], `places at debug level where the ${name} appears`);
		},
	},
	{
		id: 'noSecretsInClear',
		title: 'no credential secret (API keys, bearer token, client secrets, issued tokens) in any n8n output or file of this run',
		command(ctx) {
			const outputs = Object.fromEntries(ctx.n8n.outputs.map((o, i) => [`${o.label} (${i})`, o.text]));
			return secretsOf(ctx.issuedTokens).map(([name, value]) => ({ name, places: whereIs(value, outputs, ctx.n8n.folder) }));
		},
		check(t, found) {
			const names = found.map((f) => f.name);
			const unsearched = ['apiKey', 'wrongApiKey', 'bearerToken', 'clientSecret', 'wrongClientSecret'].filter((n) => !names.includes(n));
			t.equal(unsearched, [], 'secrets not searched for');
			for (const { name, places } of found) t.equal(places, [], `places where the ${name} appears in clear`);
		},
	},
];
