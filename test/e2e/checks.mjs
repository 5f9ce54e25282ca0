// What the e2e scenarios share: this run's secrets and credentials, and the data fields a scenario is written in:
// arrangement (`seed`, `faults`, `config`, `expireTokens`, `model`; `parameters`, `webhook`: scenarios.mjs' workflowOf)
// and checks (`items`, `sent`, `requests`, `auth`: true, `renewed`, `closes`, `completed`, `untouched`, `routes`,
// `error`, `stored`, `secrets`; one model request per turn of `model`, and `toolResults`: {N: what the last tool result
// in model request N contains}), run before the scenario's own check().
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { toolCalls } from '../lib/fakeOpenAi.mjs';

export const { ROUTES, SESSION_STATUS: STATUS } = createRequire(import.meta.url)('../fake-akool/server.js');

/** Secrets of this run, new every run (the fake Akool server is started with them): name → random bytes. */
const SECRET_BYTES = { apiKey: 8, wrongApiKey: 8, bearerToken: 12, clientSecret: 12, wrongClientSecret: 12, openAiKey: 8 };
export const SECRETS = Object.fromEntries(
	Object.entries(SECRET_BYTES).map(([name, n]) => [name, `e2e-${name}-${randomBytes(n).toString('hex')}`]),
);
/** An identifier, not a secret. */
export const CLIENT_ID = 'test-client-id';
/** [name, value] of every secret of this run, and of `extra` ({name: value}). */
export const secretsOf = (extra = {}) => Object.entries({ ...SECRETS, ...extra });

export const FAKE_AKOOL_OPTIONS = {
	apiKeys: [SECRETS.apiKey],
	clients: [{ clientId: CLIENT_ID, clientSecret: SECRETS.clientSecret }],
	tokens: [SECRETS.bearerToken],
};

const client = (clientSecret) => ({ authMethod: 'clientCredentials', clientId: CLIENT_ID, clientSecret });
/** Credentials imported into every n8n user folder (run.mjs adds the fake server's `baseUrl`). */
export const CREDENTIALS = {
	apiKey: { id: 'e2eApiKey', name: 'Akool (API key)', data: { authMethod: 'apiKey', apiKey: SECRETS.apiKey } },
	wrongApiKey: { id: 'e2eWrongKey', name: 'Akool (wrong API key)', data: { authMethod: 'apiKey', apiKey: SECRETS.wrongApiKey } },
	bearerToken: { id: 'e2eBearer', name: 'Akool (bearer token)', data: { authMethod: 'bearerToken', accessToken: SECRETS.bearerToken } },
	clientCredentials: { id: 'e2eClient', name: 'Akool (client ID and secret)', data: client(SECRETS.clientSecret) },
	wrongClientSecret: { id: 'e2eWrongSecret', name: 'Akool (client ID, wrong secret)', data: client(SECRETS.wrongClientSecret) },
};

/** The fake OpenAI server's credential, for the AI Agent scenarios' chat model. */
export const OPENAI_CREDENTIAL = { id: 'e2eFakeOpenAi', name: 'Fake OpenAI (e2e)' };

/** `count` session ids starting with `prefix` (24 characters, as Akool's), numbered from 1. */
export const sessionIds = (prefix, count) =>
	Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(24 - prefix.length, '0')}`);

/** Sets up the (reset) fake servers as the scenario says, then runs its own before(). */
export async function arrange(scenario, ctx) {
	const { fake } = ctx;
	for (const [status, ids] of Object.entries(scenario.seed ?? {})) fake.addSessions(ids, STATUS[status]);
	if (scenario.config) fake.configure(scenario.config);
	for (const fault of scenario.faults ?? []) fake.addFault(fault);
	if (scenario.expireTokens) fake.expireTokens();
	ctx.openAi.reset(scenario.model);
	await scenario.before?.(fake, ctx);
}

const statusOf = (fake, id) => fake.state.sessions.get(id)?.status;
const closedIds = (fake) => fake.requestsTo(ROUTES.closeSession).map((r) => r.body.id);
export const sorted = (list) => [...list].sort();
/** The Akool codes the fake answered `requests` with. */
export const codesOf = (requests) => requests.map((r) => r.code);
const seededStatus = (scenario, id) => STATUS[Object.keys(scenario.seed).find((status) => scenario.seed[status].includes(id))];
const routesOf = (requests) => requests.map((r) => r.route);
const pick = (object, keys) => Object.fromEntries(keys.map((key) => [key, object?.[key]]));

/** `expected` as a value (equal), a RegExp (matches) or a list of them (each): what a scenario's data checks compare. */
function match(t, actual, expected, what, node) {
	if (Array.isArray(expected) && expected.some((e) => e instanceof RegExp)) return expected.forEach((e) => match(t, actual, e, what, node));
	if (expected instanceof RegExp) t.ok(expected.test(actual ?? ''), what, { expected: `to match ${expected}`, actual, node });
	else t.equal(actual, expected, what, node);
}

/** A node's output: a count, or one object of expected fields per item (each item paired with its input). */
export function checkItems(t, run, node, expected) {
	const items = run.items(node) ?? [];
	t.equal(items.length, expected.length ?? expected, 'items out', node);
	if (typeof expected === 'number') return;
	expected.forEach((fields, i) => {
		t.equal(items[i]?.pairedItem?.item, i, `pairedItem of output item ${i}`, node);
		for (const [key, value] of Object.entries(fields)) match(t, items[i]?.json?.[key], value, `${key} of output item ${i}`, node);
	});
}

/** The checks a scenario gives as data (see the top of this file); run.mjs runs them before its own check(). */
export function checkExpected(t, run, scenario) {
	const { fake } = run;
	for (const [node, expected] of Object.entries(scenario.items ?? {})) checkItems(t, run, node, expected);
	for (const [route, body] of Object.entries(scenario.sent ?? {})) {
		const sent = fake.requestsTo(ROUTES[route]).map((r) => pick(r.body, Object.keys(body)));
		t.equal(
			sent.find((fields) => isDeepStrictEqual(fields, body)) ?? sent,
			body,
			`${Object.keys(body)} sent to Akool (${route}), by any request`,
		);
	}
	for (const [route, expected] of Object.entries(scenario.requests ?? {})) {
		const requests = fake.requestsTo(ROUTES[route]);
		if (typeof expected === 'number') t.equal(requests.length, expected, `requests to ${route}`);
		else t.equal(codesOf(requests), expected, `Akool codes the ${route} requests were answered with`);
	}
	if (scenario.auth) checkAuthHeaders(t, fake, CREDENTIALS[scenario.credential ?? 'apiKey'].data);
	if (scenario.renewed) {
		const [first, again] = fake.requestsTo(ROUTES.closeSession).map((r) => r.headers.authorization);
		t.ok(again && again !== first, 'token of the repeated close request', { expected: 'a new token', actual: again && 'the same one' });
	}
	if (scenario.closes) t.equal(sorted(closedIds(fake)), sorted(scenario.closes), 'ids in the close requests (any order)');
	for (const id of scenario.completed ?? scenario.closes ?? []) t.equal(statusOf(fake, id), STATUS.completed, `status of session ${id}`);
	for (const id of scenario.untouched ?? []) {
		t.equal(statusOf(fake, id), seededStatus(scenario, id), `status of session ${id} (as seeded: it must stay so)`);
		t.equal(fake.state.sessions.get(id)?.closeCalls, 0, `close calls for session ${id} that reached the fake's handler`);
	}
	if (scenario.routes) t.equal(routesOf(fake.requests), scenario.routes, 'requests, in order');
	if (scenario.error) {
		const { node, message, description } = scenario.error;
		t.equal(run.error?.node?.name, node, 'node named in the execution error');
		match(t, run.error?.message, message, 'execution error message', node);
		if (description) match(t, run.error?.description, description, 'execution error description', node);
	}
	if (scenario.stored) {
		// The database must hold this run's execution, else a search for secrets in it proves nothing.
		const databases = n8nFiles(run.ctx.n8n.folder).filter((file) => file.includes('database.sqlite'));
		const found = databases.some((file) => readFileSync(file).includes(scenario.stored));
		t.ok(found, 'stored execution data in the database', { expected: `${scenario.stored} in database.sqlite`, actual: 'not found' });
	}
	for (const name of scenario.secrets ?? []) checkSecretNowhere(t, run, SECRETS[name], name);
	if (scenario.model) t.equal(run.ctx.openAi.requests.length, scenario.model.length, 'requests the model received (one per turn)');
	for (const [i, part] of Object.entries(scenario.toolResults ?? {}))
		t.contains(run.ctx.openAi.toolResults(i).at(-1)?.content ?? '', part, `last tool result the model read, in its request ${i}`);
	if (run.ctx.openAi.requests.length) checkNothingSecretSentToModel(t, run.ctx.openAi);
}

/** Every request to the API (not getToken) carried exactly the credential's auth header: its `apiKey`, else a Bearer token. */
function checkAuthHeaders(t, fake, { apiKey, accessToken }) {
	const requests = fake.requests.filter((r) => r.route !== ROUTES.getToken);
	t.ok(requests.length > 0, 'requests to the Akool API', { expected: 'at least one', actual: 0 });
	const authorization = accessToken ? `Bearer ${accessToken}` : /^Bearer \S+$/;
	const expected = { 'x-api-key': apiKey, authorization: apiKey ? undefined : authorization };
	requests.forEach(({ route, headers }, i) => {
		for (const [name, value] of Object.entries(expected)) match(t, headers[name], value, `request ${i + 1} (${route}): ${name} header`);
	});
}

/** The `_id` a node output for what it created: a string, not empty. */
export const checkNewId = (t, id, node) =>
	t.ok(typeof id === 'string' && id !== '', 'output _id', { expected: 'a new id', actual: id, node });

/** The session Create Session made (one item), which Close Session then closed and output. Returns it. */
export function checkCreatedThenClosed(t, run) {
	const created = run.items('Create Session') ?? [];
	t.equal(created.length, 1, 'items out', 'Create Session');
	const session = created[0]?.json ?? {};
	checkNewId(t, session._id, 'Create Session');
	t.equal(closedIds(run.fake), [session._id], 'ids in the close requests', 'Close Session');
	t.equal(statusOf(run.fake, session._id), STATUS.completed, 'status of the created session');
	checkItems(t, run, 'Close Session', [{ sessionId: session._id, error: undefined }]);
	return session;
}

/** Files of n8n's user folder (database included), without the installed packages. */
function n8nFiles(userFolder) {
	const root = join(userFolder, '.n8n');
	const paths = readdirSync(root, { recursive: true }).filter((path) => !/^nodes([/]|$)/.test(path));
	return paths.map((path) => join(root, path)).filter((path) => statSync(path).isFile());
}

/** Where `secret` appears: under the label of a text ({label: text}) that holds it, or in a file of `userFolder`. */
export function whereIs(secret, texts, userFolder) {
	const inTexts = Object.keys(texts).filter((label) => texts[label].includes(secret));
	return [...inTexts, ...(userFolder ? n8nFiles(userFolder).filter((file) => readFileSync(file).includes(secret)) : [])];
}

/** A secret must not appear in what n8n printed for this run, nor in any file of n8n's user folder. */
export function checkSecretNowhere(t, { result, execution, ctx }, value, name) {
	const printed = { stdout: result.stdout, stderr: result.stderr, 'execution data': JSON.stringify(execution ?? {}) };
	t.equal(whereIs(value, printed, ctx.n8n.folder), [], `places where the ${name} appears in clear`);
}

/** Keeps the tokens the fake issued, so that the last scenarios can check they were never stored in clear. */
export function rememberIssuedTokens(fake, issuedTokens) {
	for (const r of fake.requests) {
		const token = /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1];
		if (token && token !== SECRETS.bearerToken) issuedTokens[`token ${token.slice(0, 8)}…`] = token;
	}
}

/** A model turn that calls the tool whose name (as n8n gave it) matches `pattern`, with `args`. */
export function callTool(pattern, args = {}) {
	return (body) => toolCalls([{ name: body.tools?.map((tool) => tool.function?.name).find((name) => pattern.test(name ?? '')), args }]);
}

/** No Akool secret in anything the model received; its own API key only in its Authorization header. */
function checkNothingSecretSentToModel(t, openAi) {
	const received = {
		'request bodies': openAi.requests.map((r) => r.raw).join('\n'),
		'request headers but its Authorization': JSON.stringify(openAi.requests.map((r) => ({ ...r.headers, authorization: undefined }))),
	};
	for (const [name, value] of secretsOf()) t.equal(whereIs(value, received), [], `what the model received holding the ${name}`);
}
