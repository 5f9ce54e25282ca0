// Queue-mode test (`npm run test:scale`; docs/SCALING.md): PostgreSQL and Redis (services.mjs), `n8n start` in queue mode
// and two `n8n worker` on loopback, fake Akool in this process. BATCHES of --calls webhook calls (--parallel in flight)
// each close their own session; in the last, a few Close answers are lost and worker-1 is SIGKILLed halfway. Then a
// repeated call, and a search of the database, a Redis dump and every log for the run's secrets.
//   --calls 300 --parallel 20 --worker-concurrency 10 --write-benchmarks (BENCHMARKS.md "Queue mode") --keep (temp folder)
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import { NEWEST_N8N, SUPPORTED_N8N, ensureN8n } from '../lib/install.mjs';
import { buildAndPack, freePorts, installPackage, logTail, onStop, poll, prepareWorkflow, readJson, userFolder } from '../lib/n8n.mjs';
import { series } from '../lib/pool.mjs';
import { prose, reporter, say, seconds } from '../lib/report.mjs';
import { writeSection } from '../lib/benchmarksFile.mjs';
import { QUEUE_MODE_HEADING, queueModeSection } from './benchmarks.mjs';
import { answeredOwnSession, countBy, cpuMsOfTrees, fireCalls, outcomeOf, statsOf, summarizeFailures } from './load.mjs';
import { ensurePackages, startPostgres, startRedis } from './services.mjs';

const { startFakeAkool, ROUTES, SESSION_STATUS } = createRequire(import.meta.url)('../fake-akool/server.js');
const [str, flag] = [(value) => ({ type: 'string', default: value }), { type: 'boolean' }];
const OPTIONS = { calls: str('300'), parallel: str('20'), 'worker-concurrency': str('10'), keep: flag, 'write-benchmarks': flag };
const { values: opts } = parseArgs({ options: OPTIONS });
const [CALLS, PARALLEL, WORKER_CONCURRENCY] = [opts.calls, opts.parallel, opts['worker-concurrency']].map(Number);
const N8N = SUPPORTED_N8N.find((s) => s.version === NEWEST_N8N); // {version, node}
const WORKERS = ['worker-1', 'worker-2'];
const BOTH = WORKERS.join('/');
const CLOSED = SESSION_STATUS.completed;
const scale = reporter('scale');

// Secrets of this run, new every run, so that finding one anywhere means it leaked from this run.
const hex = (bytes) => randomBytes(bytes).toString('hex');
const ENCRYPTION_KEY = `scale-encryption-${hex(8)}`;
const [apiKey, client] = [`scale-api-key-${hex(12)}`, { clientId: `scale-client-${hex(6)}`, clientSecret: `scale-secret-${hex(12)}` }];
const CREDENTIALS = {
	apiKey: { id: 'scaleApiKey', name: 'Akool (API key, scale test)', data: { authMethod: 'apiKey', apiKey } },
	client: { id: 'scaleClient', name: 'Akool (client ID and secret, scale test)', data: { authMethod: 'clientCredentials', ...client } },
};
const WORKFLOWS = {
	apiKey: { id: 'scaleCloseApiKey', path: 'akool-scale-close-apikey', credential: 'apiKey' },
	client: { id: 'scaleCloseClient', path: 'akool-scale-close-client', credential: 'client' },
	retry: { id: 'scaleCloseRetry', path: 'akool-scale-close-retry', credential: 'client', succeedIfAlreadyClosed: true },
};
const FIRST = prose`for the first client-credential batch (expected 1 to ${2 * WORKER_CONCURRENCY}: at most one per execution that
	started before the first token was stored)`;
const REUSED = 'in the second client-credential batch (the stored token should be reused)';
/** Each closes --calls fresh sessions through `workflow`; each of `workers` runs some; getToken calls: `tokens` [min, max, what]. */
const BATCHES = {
	oneWorker: { label: '1 worker, API key', workflow: 'apiKey', workers: ['worker-1'] },
	twoWorkers: { label: '2 workers, API key', workflow: 'apiKey', workers: WORKERS },
	client: { label: '2 workers, client ID + secret', workflow: 'client', workers: WORKERS, tokens: [1, 2 * WORKER_CONCURRENCY, FIRST] },
	crash: { label: '2 workers, client ID + secret, worker-1 killed halfway', workflow: 'client', workers: WORKERS, tokens: [0, 0, REUSED] },
};
const CRASH_STEP = `batch "${BATCHES.crash.label}"`;

const root = mkdtempSync(join(tmpdir(), 'akool-scale-'));
chmodSync(root, 0o711); // the postgres user must reach its data folder inside
const logsDir = join(root, 'logs');
mkdirSync(logsDir);
const LOGS = Object.fromEntries(['main', ...WORKERS, 'postgres', 'redis', 'n8n-cli'].map((name) => [name, join(logsDir, `${name}.log`)]));
/** procs: the cluster's processes by name (n8n's and the services); batches, loadBefore: for the report. */
const state = { procs: {}, batches: [] };
const sql = (query) => state.procs.postgres.rows(query);
const sqlValue = async (query) => (await sql(query))[0]?.[0];

/** Marks a failure with the process and the step it belongs to, unless marked already (the innermost mark wins). */
const blame = (processName, stepName) => (error) =>
	Promise.reject(Object.assign(error, { process: error.process ?? processName, step: error.step ?? stepName }));

function step(name, processName, fn) {
	say(`▶ ${name}`);
	return fn().catch(blame(processName, name));
}

/** The checks of step `stepName`, each [the process concerned, ok, what]: one line each, counted; the run goes on. */
const checks = (stepName, rows) => rows.forEach(([processName, ok, what]) => scale.check(ok, `[${processName}] ${stepName}: ${what}`));

/** The user folder of main, a worker or the CLI (main's, its own broker port), in queue mode (docs/n8n-offline.md). */
function n8nOf(name) {
	const { ports } = state;
	const env = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(ports.postgres),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(ports.redis),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HIDE_USAGE_PAGE: 'true',
		...({ main: { N8N_PORT: String(ports.main) }, cli: {} }[name] ?? { QUEUE_HEALTH_CHECK_PORT: String(ports[`${name}-health`]) }),
	};
	const folder = join(root, name === 'cli' ? 'main' : name);
	return userFolder({ install: state.install, folder, encryptionKey: ENCRYPTION_KEY, env, brokerPort: ports[`${name}-broker`] });
}

/** Starts main or a worker; resolves once it is ready (main's /healthz answers before its webhooks are registered). */
async function startN8n(name) {
	const args = name === 'main' ? ['start'] : ['worker', `--concurrency=${WORKER_CONCURRENCY}`];
	const proc = (state.procs[name] = (await n8nOf(name)).start(args, { name, logFile: LOGS[name] }));
	const ready = name === 'main' ? /Editor is now accessible/ : /n8n worker is now ready/;
	say(`  ${name} ready in ${seconds(await proc.waitForLog(ready, 240_000, `start-up (${ready.source})`).catch(blame(name)))}`);
}

function closeSessionWorkflow({ id, path, credential, succeedIfAlreadyClosed }) {
	const template = readJson(new URL('workflows/close-session.json', import.meta.url));
	const { id: credentialId, name } = CREDENTIALS[credential];
	const options = { id, name: `${template.name} (${path})`, credential: { id: credentialId, name }, manualTrigger: false };
	const [webhook, close] = (options.workflow = prepareWorkflow(template, options)).nodes;
	Object.assign(webhook, { webhookId: randomUUID(), parameters: { ...webhook.parameters, path } });
	if (succeedIfAlreadyClosed) close.parameters.options = { succeedIfAlreadyClosed: true };
	return options.workflow;
}

async function importCredentialsAndWorkflows() {
	const credentials = Object.values(CREDENTIALS).map((c) => ({ ...c, data: { ...c.data, baseUrl: state.fake.url } }));
	const workflows = Object.values(WORKFLOWS).map(closeSessionWorkflow);
	const cli = await n8nOf('cli');
	try {
		await cli.importAll({ credentials, workflows }); // the first call migrates the database
		// `import:workflow --activeState=fromJson` refuses to activate ("User attempted to activate a workflow
		// without permissions"): import, then publish each workflow (2.x; `update:workflow --active` is deprecated).
		await Promise.all(workflows.map((w) => cli.cliOrThrow(['publish:workflow', `--id=${w.id}`])));
	} finally {
		writeFileSync(LOGS['n8n-cli'], cli.outputs.map((o) => `$ n8n ${o.label}\n${o.text}\n`).join(''));
	}
}

/** n8n 2.41.1 activates published workflows after "Editor is now accessible" (till then a webhook answers 404). */
async function waitForWebhooks() {
	const paths = Object.values(WORKFLOWS).map((w) => `'${w.path}'`);
	const count = async () => Number(await sqlValue(`SELECT count(*) FROM webhook_entity WHERE "webhookPath" IN (${paths})`));
	const registered = await poll(count, { done: (n) => n === paths.length, timeoutMs: 120_000, timedOut: (n) => n });
	if (registered !== paths.length) throw new Error(`${registered} of ${paths.length} production webhooks registered 120 s after start-up`);
}

const maxExecutionId = async () => Number(await sqlValue('SELECT coalesce(max(id), 0) FROM execution_entity'));
const isBusy = (row) => row.status === 'new' || row.status === 'running';

/** Executions with from < id <= to, once none is new or running (workers save after they answer) or after `timeoutMs`. */
async function settledExecutions([from, to], timeoutMs) {
	const query = `SELECT id, status FROM execution_entity WHERE id > ${from} AND id <= ${to} ORDER BY id`;
	const rows = async () => (await sql(query)).map(([id, status]) => ({ id: Number(id), status }));
	const settled = await poll(rows, { done: (list) => !list.some(isBusy), timeoutMs, timedOut: (list) => list });
	return { rows: settled, busy: settled.filter(isBusy) };
}

/** Execution id → the worker whose log says "Worker finished execution <id> (job …)": n8n 2.41.1 records no worker. */
function workerOfExecution() {
	const text = (name) => (existsSync(LOGS[name]) ? readFileSync(LOGS[name], 'utf8') : '');
	const finished = (name) => Array.from(text(name).matchAll(/Worker finished execution (\d+) \(job \d+\)/g), (m) => [Number(m[1]), name]);
	return new Map(WORKERS.flatMap(finished));
}

const executionsByWorker = (rows, worker = workerOfExecution()) =>
	Object.fromEntries(WORKERS.map((name) => [name, rows.filter((r) => worker.get(r.id) === name).length]));

/** The error each execution from < id <= to ended with, read with n8n's own data format (flatted). */
async function executionErrors([from, to]) {
	const flatted = createRequire(join(state.install.dir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const errorOf = (data) => {
		const e = flatted.parse(data).resultData?.error;
		return e && `${e.message ?? e.name}${e.node?.name ? ` (node "${e.node.name}")` : ''}`;
	};
	const query = `SELECT "executionId", data FROM execution_data WHERE "executionId" > ${from} AND "executionId" <= ${to}`;
	return new Map((await sql(query)).map(([id, data]) => [Number(id), errorOf(data)]));
}

const cpuNow = () => cpuMsOfTrees(Object.fromEntries(Object.entries(state.procs).map(([name, proc]) => [name, !proc.exited && proc.pid])));

const webhookUrl = (workflow) => `http://127.0.0.1:${state.ports.main}/webhook/${WORKFLOWS[workflow].path}`;
const openSessions = (count) => state.fake.addSessions(count).map((s) => s._id);
const session = (id) => state.fake.state.sessions.get(id);
const call = (workflow, ids, { timeoutMs = 60_000, onAnswer } = {}) =>
	fireCalls({ url: webhookUrl(workflow), ids, parallel: PARALLEL, timeoutMs, onAnswer });

async function warmUp(count) {
	const [first, ...more] = openSessions(count);
	const callFirst = async () => (await call('apiKey', [first])).results[0];
	// The database knows the webhook a moment before main's in-memory registry: retry a 404 for a while.
	const firstAnswer = await poll(callFirst, { done: (r) => r.status !== 404, timeoutMs: 30_000, timedOut: (r) => r });
	const bad = [firstAnswer, ...(await call('apiKey', more)).results].filter((r) => !answeredOwnSession(r));
	if (bad.length) throw new Error(`warm-up calls to ${webhookUrl('apiKey')} failed: ${summarizeFailures(bad)}`);
}

async function runBatch({ workflow, workers, sessions = openSessions(CALLS), onAnswer, timeoutMs = 60_000, settleMs = 30_000, ...spec }) {
	const { fake } = state;
	const before = { getToken: fake.counters.getToken, requests: fake.requests.length, id: await maxExecutionId(), cpu: cpuNow() };
	const t0 = Date.now();
	const fired = await call(workflow, sessions, { timeoutMs, onAnswer });
	const executionIds = [before.id, await maxExecutionId()];
	const { rows, busy } = await settledExecutions(executionIds, settleMs);
	const cpu = Object.entries(cpuNow()).map(([name, used]) => [name, Math.max(0, used - (before.cpu[name] ?? 0))]);
	const batch = {
		...spec,
		...{ workers, sessions, executionIds, executions: rows, busy, results: fired.results, stats: statsOf(fired) },
		...{ cpu: Object.fromEntries(cpu), cpuWallMs: Date.now() - t0, load: loadavg()[0], byWorker: executionsByWorker(rows) },
		...{ getToken: fake.counters.getToken - before.getToken, requests: fake.requests.slice(before.requests) },
	};
	state.batches.push(batch);
	return batch;
}

/** Every caller got its own session's Close output, every session closed once, every execution recorded, a success, attributed. */
function batchChecks(batch) {
	const { workers, sessions, executions: rows, busy, results, byWorker, requests } = batch;
	const wrong = results.filter((r) => !answeredOwnSession(r) || r.body.alreadyClosed);
	const got = summarizeFailures(wrong) || 'alreadyClosed: true';
	const notOnce = sessions.map(session).filter((s) => s.status !== CLOSED || s.closeCalls !== 1);
	const examples = notOnce.slice(0, 3).map((s) => `${s._id}: status ${s.status}, ${s.closeCalls} close calls`);
	const attributed = Object.values(byWorker).reduce((a, b) => a + b, 0);
	const inLogs = `${attributed} of ${rows.length} executions found in the worker logs ("Worker finished execution")`;
	const rejected = requests.filter((r) => r.route !== ROUTES.getToken && [1101, 1102].includes(r.code)).length;
	const succeeded = !busy.length && rows.every((r) => r.status === 'success');
	const statuses = JSON.stringify(countBy(rows, (r) => r.status));
	return [
		['main', !wrong.length, `${wrong.length} of ${sessions.length} callers did not get their own session's Close output: ${got}`],
		['fake', !notOnce.length, `${notOnce.length} sessions not closed exactly once, e.g. ${examples.join('; ')}`],
		['main', rows.length === sessions.length, `${rows.length} executions recorded in Postgres for ${sessions.length} calls`],
		[workers.join('/'), succeeded, `execution statuses ${statuses}, expected all success`],
		[BOTH, attributed === rows.length, inLogs],
		...workers.map((name) => [name, byWorker[name] > 0, `${name} ran none of the batch's executions`]),
		['fake', rejected === 0, `${rejected} API requests rejected as unauthorized (1101/1102)`],
		...(batch.tokens ? [tokenCheck(batch)] : []),
	];
}

function tokenCheck({ tokens: [min, max, what], getToken }) {
	return [BOTH, getToken >= min && getToken <= max, `${getToken} getToken calls ${what}`];
}

/**
 * The last batch: the client-credential batch again, a few Close answers lost on the way back, worker-1
 * SIGKILLed once half of the calls have their answer; then the callers without a good answer call again.
 */
async function crashBatch() {
	const sessions = openSessions(CALLS);
	// Lose the answer of the first Close of every 25th session of the first third (long before the kill): Akool
	// closed the session, the worker hears a connection reset. The node must retry, hear 1219 "already closed" and
	// count it as closed, without "Succeed If Already Closed".
	const lost = new Set(sessions.filter((_, i) => i < CALLS / 3 && i % 25 === 12));
	const pending = new Set(lost);
	state.fake.addFault({ kind: 'dropAfter', route: ROUTES.closeSession, times: Infinity, when: (r) => pending.delete(r.body?.id) });
	const kill = {};
	const onAnswer = (done) => {
		if (kill.at || done < Math.floor(CALLS / 2)) return;
		kill.at = performance.now();
		state.procs['worker-1'].kill();
		say(`  SIGKILL worker-1 (pid ${state.procs['worker-1'].pid}, its process group) after ${done} answers`);
	};
	// n8n tells the callers of a dead worker's jobs only after Bull's stalled-job check (1.5–2.5 min here), then settles them.
	const batch = await runBatch({ ...BATCHES.crash, kill, sessions, onAnswer, timeoutMs: 240_000, settleMs: 120_000 });
	const killed = ['runner', Boolean(kill.at), 'worker-1 was never killed'];
	checks(CRASH_STEP, [killed, ...(kill.at ? await afterCrash(batch, lost) : []), tokenCheck(batch)]);
}

/** The crash batch's checks once n8n settled the dead worker's jobs and the callers without a good answer called again. */
async function afterCrash(batch, lost) {
	const stalledCallers = heldJobs(batch, await executionErrors(batch.executionIds));
	// The lost answers (all before the kill) are answered as closed after the node's retry, but for one still on worker-1
	// when it was killed: that is the crash's to answer.
	const lostResults = batch.results.filter((r) => lost.has(r.id));
	const asClosed = lostResults.filter((r) => answeredOwnSession(r) && !r.body.alreadyClosed);
	batch.lostAnswers = { injected: lost.size, answeredAsClosed: asClosed.length };
	const badLost = lostResults.filter((r) => !asClosed.includes(r) && !stalledCallers.includes(r));
	const again = batch.results.filter((r) => !answeredOwnSession(r) || r.body.alreadyClosed).map((r) => r.id);
	const still = again.length ? (await call('retry', again)).results.filter((r) => !answeredOwnSession(r)) : [];
	// Every session ends closed; two close requests only where an answer was lost or a caller called again.
	const twice = new Set([...lost, ...again]);
	const calls = (id) => session(id).closeCalls;
	const open = batch.sessions.filter((id) => session(id).status !== CLOSED);
	const surprising = batch.sessions.filter((id) => calls(id) > 2 || (calls(id) === 2 && !twice.has(id)));
	Object.assign(batch, { notClosedAtEnd: open.length, closeCalls: countBy(batch.sessions, calls) });
	const examples = surprising.slice(0, 5).map((id) => `${id} × ${calls(id)}`);
	return [
		['main', !batch.busy.length, `executions still new/running 120 s after the batch: ${batch.busy.map((r) => r.id).join(', ')}`],
		...(badLost.length ? [[BOTH, false, `${badLost.length} callers whose Close answer was lost got ${summarizeFailures(badLost)}`]] : []),
		['worker-2', !still.length, `${still.length} callers still without a good answer after calling again: ${summarizeFailures(still)}`],
		['fake', !open.length, `${open.length} sessions of the batch are not closed: ${open.slice(0, 5).join(', ')}`],
		[BOTH, !surprising.length, `${surprising.length} sessions got unexpected repeated close requests: ${examples}`],
	];
}

/**
 * The jobs the dead worker held (no worker's log finished them). Once Bull's stalled-job check fails one, main tells
 * its caller {"message":"Error in workflow"}, unless Respond to Webhook ran before the kill. Returns the callers told.
 */
function heldJobs(batch, errors) {
	const finished = workerOfExecution();
	const held = batch.executions.filter((r) => !finished.has(r.id));
	const told = (r) => r.body?.message === 'Error in workflow' || r.error;
	const stalledCallers = batch.results.filter((r) => !answeredOwnSession(r) && r.endedAt > batch.kill.at && told(r));
	batch.held = {
		count: held.length,
		statuses: countBy(held, (r) => r.status),
		errors: [...new Set(held.map((r) => errors.get(r.id)).filter(Boolean))],
		callers: countBy(stalledCallers, outcomeOf),
		callersAfterKillS: stalledCallers.map((r) => (r.endedAt - batch.kill.at) / 1000),
		answeredBeforeKill: held.length - stalledCallers.length,
	};
	return stalledCallers;
}

async function repeatedCall() {
	const [id] = openSessions(1);
	const answers = await series(['client', 'client', 'retry'], async (workflow) => (await call(workflow, [id])).results[0]);
	const [first, second, third] = answers.map(outcomeOf);
	say(`  close: ${first}\n  same call again (default Close): ${second}\n  again with "Succeed If Already Closed": ${third}`);
	const closed = (answer, already) => answeredOwnSession(answer) && answer.body.alreadyClosed === already;
	checks('repeated call for a closed session', [
		['worker-2', closed(answers[0], false), `first close answered ${first}`],
		['worker-2', closed(answers[2], true), `a repeated call through "Succeed If Already Closed" answered ${third}`],
	]);
}

async function searchSecrets() {
	const places = [
		['postgres', 'pg_dump of the n8n database', join(root, 'n8n.pg_dump.sql')],
		['redis', 'Redis dump (RDB)', join(root, 'redis.rdb')],
		...Object.entries(LOGS).map(([name, file]) => [name, `${name} log`, file]),
	];
	for (const [name, , file] of places.slice(0, 2)) await state.procs[name].dump(file).catch(blame(name));
	// Tokens the fake issued and n8n used: every Bearer token seen on an API request.
	const bearer = (r) => /^Bearer\s+(tok_.+)$/i.exec(r.headers.authorization ?? '')?.[1];
	const tokens = [...new Set(state.fake.requests.map(bearer).filter(Boolean))].map((t, i) => [`issued token #${i + 1}`, t]);
	const secrets = [['API key', apiKey], ['client secret', client.clientSecret], ...tokens];
	const searched = places.filter(([, , file]) => existsSync(file));
	const found = searched.flatMap(([owner, where, file]) => {
		const content = readFileSync(file);
		return secrets.filter(([, secret]) => content.includes(secret)).map(([what]) => [owner, `${what} in the ${where}`]);
	});
	const none = ['runner', !found.length, 'no API key, client secret or issued token in the database dump, the Redis dump or any log'];
	checks('search for secrets', [...found.map(([owner, what]) => [owner, false, `secret found: ${what}`]), none]);
}

async function setUp() {
	say(`queue-mode test: n8n ${N8N.version}, main + 2 workers, PostgreSQL, Redis; temporary folder ${root}`);
	state.loadBefore = loadavg()[0]; // other work on the machine: the figures compare only between quiet runs
	const [, { tarball }] = await Promise.all([
		step('install PostgreSQL and Redis if missing', 'postgres/redis', () => ensurePackages((line) => say(`  ${line}`))),
		step('build and pack the package', 'runner', () => buildAndPack(join(root, 'pack'))),
		step(`n8n ${N8N.version} (cached in ~/.cache/n8n-nodes-akool)`, 'runner', async () => (state.install = ensureN8n(N8N.version))),
	]);
	const portNames = ['postgres', 'redis', 'main', 'main-broker', 'cli-broker', ...WORKERS.flatMap((w) => [`${w}-broker`, `${w}-health`])];
	const ports = await freePorts(portNames.length);
	state.ports = Object.fromEntries(portNames.map((name, i) => [name, ports[i]]));
	const service = (name, start, options) => async () =>
		(state.procs[name] = await start({ dir: join(root, name), port: state.ports[name], logFile: LOGS[name], ...options }));
	await Promise.all([
		step('start PostgreSQL', 'postgres', service('postgres', startPostgres, { database: 'n8n' })),
		step('start Redis', 'redis', service('redis', startRedis)),
		step('install the packed package into each user folder (main, worker-1, worker-2)', 'runner', () =>
			Promise.all(['main', ...WORKERS].map((name) => installPackage(join(root, name), tarball))),
		),
		step('start the fake Akool server', 'fake', async () => (state.fake = await startFakeAkool({ apiKeys: [apiKey], clients: [client] }))),
	]);
	await step('import credentials and workflows (migrates the database; activates the workflows)', 'main', importCredentialsAndWorkflows);
}

async function main() {
	await setUp();
	const measure = async (spec) => checks(`batch "${spec.label}"`, batchChecks(await runBatch(spec)));
	const steps = [
		['start main and worker-1', 'main', () => Promise.all(['main', 'worker-1'].map(startN8n))],
		['wait for the production webhooks', 'main', waitForWebhooks],
		['warm-up calls', 'main', () => warmUp(10)],
		[`batch "${BATCHES.oneWorker.label}"`, 'runner', () => measure(BATCHES.oneWorker)],
		['start worker-2', 'worker-2', () => startN8n('worker-2')],
		['warm-up calls', 'main', () => warmUp(20)],
		[`batch "${BATCHES.twoWorkers.label}"`, 'runner', () => measure(BATCHES.twoWorkers)],
		[`batch "${BATCHES.client.label}"`, 'runner', () => measure(BATCHES.client)],
		[CRASH_STEP, 'runner', crashBatch],
		['repeated call for a closed session', 'main', repeatedCall],
		['search the database, Redis and the logs for secrets', 'postgres', searchSecrets],
	];
	for (const [name, processName, fn] of steps) await step(name, processName, fn);
	const section = queueModeSection(state, { calls: CALLS, parallel: PARALLEL, concurrency: WORKER_CONCURRENCY, n8n: N8N });
	say(`\n${section}getToken calls in all: ${state.fake.counters.getToken}`);
	if (opts['write-benchmarks']) say(`\nwrote the "Queue mode" section of ${basename(writeSection(QUEUE_MODE_HEADING, section))}`);
}

// Stops everything at once (SIGKILL: nothing is left to save); removes the temporary folder, but for --keep or the
// logs of a run that failed or was stopped before its end. Synchronous: the exit handler runs it on any other exit.
const stopAll = onStop((why) => {
	for (const proc of Object.values(state.procs)) proc.kill();
	if (opts.keep) return say(`\nkept ${root}`);
	const keepLogs = why || scale.failed() > 0;
	const doomed = keepLogs ? readdirSync(root).filter((entry) => entry !== 'logs') : ['.'];
	for (const entry of doomed) rmSync(join(root, entry), { recursive: true, force: true, maxRetries: 5 });
	if (keepLogs) say(`\nlogs kept in ${logsDir}`);
});
process.on('exit', () => stopAll('exit'));

try {
	await main();
} catch (error) {
	checks(error.step ?? 'unknown', [[error.process ?? 'runner', false, `FAILED: ${error.stack ?? error}`]]);
}
for (const [name, file] of Object.entries(LOGS).filter(([, log]) => scale.failed() && existsSync(log)))
	say(`\n----- ${name}: last lines of ${relative(root, file)}\n${logTail(file, 30).replace(/^/gm, '  | ')}`);
stopAll();
scale.finish();
process.exit();
