// Queue-mode test: `npm run test:scale` (or `node test/scale/run.mjs`).
//
// Runs the node the way a scaled-out n8n runs it, on loopback: PostgreSQL and Redis from Debian's packages
// (installed with apt-get when missing, data in a temporary folder, stopped afterwards), one `n8n start` with
// EXECUTIONS_MODE=queue and two `n8n worker` processes (n8n 2.41.1, cached by test/lib/install.mjs), each
// with its own user folder and the packed package in its .n8n/nodes, and the fake Akool server in this
// process. Active workflows: Webhook → Akool Live Avatar, Session → Close ({{ $json.body.session_id }}) →
// Respond to Webhook with the Close output.
//
// Batches (each: SCALE_CALLS distinct open sessions on the fake server, SCALE_PARALLEL calls in flight):
//   1. one worker,  API-key credential            → throughput and latency with one worker
//   2. two workers, API-key credential            → the same with two; executions spread over both
//   3. two workers, client ID + secret credential → token exchange across processes (getToken count)
//   4. two workers, the same credential again; a few Close answers are lost on the way back (the node must
//      retry and count "already closed" as closed); worker-1 is SIGKILLed halfway; callers left without a
//      good answer send their call again to a workflow whose Close has "Succeed If Already Closed"
// Then: a repeated call for an already closed session (what a caller's retry sees), and pg_dump of n8n's
// database, a Redis dump and every process log searched for the API key, client secret and tokens.
//
//   --calls 300 --parallel 20 --worker-concurrency 10   calls per batch, in flight, per worker
//   --write-benchmarks   write the figures into BENCHMARKS.md, section "Queue mode"
//   --keep               keep the temporary folder (logs, user folders, dump); on failure the logs are kept
//   --tarball x.tgz      test this packed package instead of building and packing the work tree
//
// Prints each step and check, the figures, and last `N passed, M failed`; a failure names the process (main,
// worker-1, worker-2, postgres, redis, fake, runner) and the step, with the tails of the logs.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import { NEWEST_N8N, SUPPORTED_N8N, ensureN8n } from '../lib/install.mjs';
import { REPO, buildAndPack, freePorts, installPackage, killRunning, logTail, userFolder } from '../lib/n8n.mjs';
import { reporter, say, seconds, sleep, prose } from '../lib/report.mjs';
import { clusterEnv, cpuMsOfTrees, executionsIn } from './cluster.mjs';
import { answeredOwnSession, fireCalls, statsOf, summarizeFailures } from './load.mjs';
import { ensurePackages, startPostgres, startRedis } from './services.mjs';
import { closeViaWebhookWorkflow } from './workflows.mjs';
import { queueModeSection, writeBenchmarks } from './benchmarks.mjs';

const { startFakeAkool, ROUTES, SESSION_STATUS } = createRequire(import.meta.url)('../fake-akool/server.js');
const { values: opts } = parseArgs({
	options: {
		calls: { type: 'string', default: '300' },
		parallel: { type: 'string', default: '20' },
		'worker-concurrency': { type: 'string', default: '10' },
		'write-benchmarks': { type: 'boolean' },
		keep: { type: 'boolean' },
		tarball: { type: 'string' },
	},
});
const N8N_VERSION = NEWEST_N8N;
const CALLS = Number(opts.calls);
const PARALLEL = Number(opts.parallel);
const WORKER_CONCURRENCY = Number(opts['worker-concurrency']);
const ENCRYPTION_KEY = `scale-encryption-${randomBytes(8).toString('hex')}`;
const CLOSE_ROUTE = ROUTES.closeSession;
const GET_TOKEN_ROUTE = ROUTES.getToken;
const CLOSED = SESSION_STATUS.completed;
const scale = reporter('scale');

/** Secrets of this run, new every run, so that finding one anywhere means it leaked from this run. */
const SECRETS = {
	apiKey: `scale-api-key-${randomBytes(12).toString('hex')}`,
	clientId: `scale-client-${randomBytes(6).toString('hex')}`,
	clientSecret: `scale-client-secret-${randomBytes(12).toString('hex')}`,
};
const CREDENTIALS = {
	apiKey: { id: 'scaleApiKey', name: 'Akool (API key, scale test)', data: { authMethod: 'apiKey', apiKey: SECRETS.apiKey } },
	client: {
		id: 'scaleClient',
		name: 'Akool (client ID and secret, scale test)',
		data: { authMethod: 'clientCredentials', clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret },
	},
};
const WORKFLOWS = {
	apiKey: { id: 'scaleCloseApiKey', path: 'akool-scale-close-apikey', credential: 'apiKey' },
	client: { id: 'scaleCloseClient', path: 'akool-scale-close-client', credential: 'client' },
	retry: { id: 'scaleCloseRetry', path: 'akool-scale-close-retry', credential: 'client', succeedIfAlreadyClosed: true },
};

// ---- run state ----------------------------------------------------------------------------------------

const root = mkdtempSync(join(tmpdir(), 'akool-scale-'));
chmodSync(root, 0o711); // the postgres user must reach its data folder inside
const logsDir = join(root, 'logs');
mkdirSync(logsDir);
const LOGS = {
	main: join(logsDir, 'main.log'),
	'worker-1': join(logsDir, 'worker-1.log'),
	'worker-2': join(logsDir, 'worker-2.log'),
	postgres: join(logsDir, 'postgres.log'),
	redis: join(logsDir, 'redis.log'),
	cli: join(logsDir, 'n8n-cli.log'),
};
const state = {
	started: Date.now(),
	timings: [],
	procs: {}, // name → n8n process
	pg: undefined,
	redis: undefined,
	fake: undefined,
	batches: [],
	facts: {},
};

/** A setup step: times it; when it throws, the error says which step and which process. */
async function step(name, processName, fn) {
	const t0 = Date.now();
	say(`▶ ${name}`);
	try {
		const result = await fn();
		state.timings.push([name, Date.now() - t0]);
		return result;
	} catch (error) {
		error.step ??= name;
		error.process ??= processName;
		throw error;
	}
}

/** A check of `step` concerning process `processName`: one line, counted; the run goes on. */
const check = (condition, stepName, processName, what) => scale.check(condition, `[${processName}] ${stepName}: ${what}`);
const problem = (stepName, processName, what) => check(false, stepName, processName, what);

// ---- cluster ------------------------------------------------------------------------------------------

/** The user folder of main, a worker or the CLI (main's folder, its own broker port). */
async function n8nOf(name) {
	const { ports } = state;
	const extra = {};
	if (name === 'main') extra.N8N_PORT = String(ports.main);
	if (name.startsWith('worker')) extra.QUEUE_HEALTH_CHECK_PORT = String(ports[`${name}-health`]);
	const env = clusterEnv({ postgresPort: ports.postgres, redisPort: ports.redis, extra });
	const folder = state.userFolders[name === 'cli' ? 'main' : name];
	return userFolder({ install: state.install, folder, encryptionKey: ENCRYPTION_KEY, env, brokerPort: ports[`${name}-broker`] });
}

async function startProcess(name) {
	const args = name === 'main' ? ['start'] : ['worker', `--concurrency=${WORKER_CONCURRENCY}`];
	const proc = (await n8nOf(name)).start(args, { name, logFile: LOGS[name] });
	state.procs[name] = proc;
	return proc;
}

/** main: "Editor is now accessible" (/healthz answers before the production webhooks are registered). */
async function waitReady(proc) {
	const ready = proc.name === 'main' ? /Editor is now accessible/ : /n8n worker is now ready/;
	return await proc.waitForLog(ready, 240_000, `start-up (${ready.source})`).catch((error) => {
		throw Object.assign(error, { process: proc.name });
	});
}

async function importCredentialsAndWorkflows() {
	const credentials = Object.values(CREDENTIALS).map((c) => ({ ...c, data: { ...c.data, baseUrl: state.fake.url } }));
	const workflows = Object.values(WORKFLOWS).map((w) => {
		const credential = CREDENTIALS[w.credential];
		return closeViaWebhookWorkflow({ ...w, credential: { id: credential.id, name: credential.name } });
	});
	const cli = await n8nOf('cli');
	try {
		await cli.importAll({ credentials, workflows }); // the first call migrates the database
		// `import:workflow --activeState=fromJson` refuses to activate ("User attempted to activate a workflow
		// without permissions"): import, then publish each workflow (2.x; `update:workflow --active` is deprecated).
		await Promise.all(workflows.map((w) => cli.cliOrThrow(['publish:workflow', `--id=${w.id}`])));
	} catch (error) {
		throw Object.assign(error, { process: 'main' });
	} finally {
		for (const o of cli.outputs) writeFileSync(LOGS.cli, `$ n8n ${o.label}\n${o.text}\n`, { flag: 'a' });
	}
	const active = await state.pg.sql(`SELECT id FROM workflow_entity WHERE active AND "activeVersionId" IS NOT NULL ORDER BY id`);
	const activeIds = active.trim().split('\n').filter(Boolean);
	const expected = Object.values(WORKFLOWS)
		.map((w) => w.id)
		.sort();
	if (activeIds.join() !== expected.join()) {
		const what = `active workflows after import: ${activeIds.join(', ') || 'none'}; expected ${expected.join(', ')}`;
		throw Object.assign(new Error(what), { process: 'main' });
	}
}

// ---- database and logs --------------------------------------------------------------------------------

const maxExecutionId = async () => Number((await state.pg.sql('SELECT coalesce(max(id), 0) FROM execution_entity')).trim());

/** Executions with from < id <= to: [{id, status, mode, workflowId, startedAt, stoppedAt}]. */
async function executionsBetween(from, to) {
	const out = await state.pg.sql(
		prose`SELECT id, status, mode, "workflowId", coalesce("startedAt"::text, ''), coalesce("stoppedAt"::text, '') FROM
			execution_entity WHERE id > ${from} AND id <= ${to} ORDER BY id`,
	);
	return out
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [id, status, mode, workflowId, startedAt, stoppedAt] = line.split('\t');
			return { id: Number(id), status, mode, workflowId, startedAt, stoppedAt };
		});
}

/** Waits until the batch's executions are no longer new/running (workers save after they answer). */
async function settledExecutions(from, to, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await executionsBetween(from, to);
		const busy = rows.filter((r) => r.status === 'new' || r.status === 'running');
		if (!busy.length || Date.now() > deadline) return { rows, busy };
		await sleep(500);
	}
}

/** Which worker ran which execution: n8n 2.41.1 keeps no record of it in the database, the worker logs do. */
function workerOfExecutions() {
	const finished = {};
	const started = {};
	for (const name of ['worker-1', 'worker-2']) {
		const text = existsSync(LOGS[name]) ? readFileSync(LOGS[name], 'utf8') : '';
		finished[name] = executionsIn(text, 'finished');
		started[name] = executionsIn(text, 'started');
	}
	return { finished, started };
}

/**
 * For executions from < id <= to: the session id of the call that started it (found in its stored data
 * among `sessionIds`) and the error it ended with, read with n8n's own data format (flatted).
 */
async function executionDetails(from, to, sessionIds) {
	const flatted = createRequire(join(state.install.dir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const out = await state.pg.sql(`SELECT "executionId", data FROM execution_data WHERE "executionId" > ${from} AND "executionId" <= ${to}`);
	const details = new Map();
	for (const line of out.split('\n')) {
		const tab = line.indexOf('\t');
		if (tab === -1) continue;
		const id = Number(line.slice(0, tab));
		const raw = line.slice(tab + 1);
		const sessionId = [...raw.matchAll(/[0-9a-f]{24}/g)].map((m) => m[0]).find((candidate) => sessionIds.has(candidate));
		let error;
		try {
			const data = flatted.parse(raw);
			const e = data?.resultData?.error;
			if (e) error = `${e.message ?? e.name}${e.node?.name ? ` (node "${e.node.name}")` : ''}`;
		} catch {
			error = 'unreadable execution data';
		}
		details.set(id, { sessionId, error });
	}
	return details;
}

/** CPU milliseconds used so far by each process of the cluster and by this process (fake Akool + callers). */
function cpuNow() {
	const trees = cpuMsOfTrees({
		main: state.procs.main?.pid,
		'worker-1': state.procs['worker-1']?.exited ? undefined : state.procs['worker-1']?.pid,
		'worker-2': state.procs['worker-2']?.exited ? undefined : state.procs['worker-2']?.pid,
		postgres: state.pg?.pid(),
		redis: state.redis?.pid,
	});
	const self = process.cpuUsage();
	return { ...trees, 'test process': (self.user + self.system) / 1000 };
}

const cpuDelta = (before, after) => Object.fromEntries(Object.keys(after).map((k) => [k, Math.max(0, after[k] - (before[k] ?? 0))]));

const countBy = (items, key) => items.reduce((acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc), {});

// ---- batches ------------------------------------------------------------------------------------------

const webhookUrl = (workflow) => `http://127.0.0.1:${state.ports.main}/webhook/${WORKFLOWS[workflow].path}`;

/** New open sessions on the fake server: their ids. */
const openSessions = (count) => state.fake.addSessions(count).map((s) => s._id);

/**
 * One batch: `calls` fresh sessions closed through `workflow`. Checks the answers, the fake server's sessions,
 * n8n's execution records and which worker ran them. `onAnswer` runs after each call (the crash batch kills a worker from it).
 */
async function runBatch(options) {
	try {
		return await runBatchUnguarded(options);
	} catch (error) {
		error.step ??= `batch "${options.label}"`;
		throw error;
	}
}

async function runBatchUnguarded({ label, workflow, workers, expectWorkers, onAnswer, timeoutMs = 60_000, sessions, strict = true }) {
	sessions ??= openSessions(CALLS);
	const path = new URL(webhookUrl(workflow)).pathname;
	say(`▶ batch "${label}": ${sessions.length} calls, ${PARALLEL} at a time, ${workers} worker(s), POST ${path}`);
	const fake = state.fake;
	const before = {
		getToken: fake.counters.getToken,
		requests: fake.requests.length,
		id: await maxExecutionId(),
		cpu: cpuNow(),
		at: Date.now(),
	};
	const fired = await fireCalls({ url: webhookUrl(workflow), ids: sessions, parallel: PARALLEL, timeoutMs, onAnswer });
	const idAfter = await maxExecutionId();
	const { rows, busy } = await settledExecutions(before.id, idAfter, strict ? 30_000 : 5_000);
	const batch = {
		...{ label, workflow, workers, sessions, stats: statsOf(fired), results: fired.results },
		...{ executionIds: [before.id, idAfter], executions: rows, getToken: fake.counters.getToken - before.getToken },
		...{ cpu: cpuDelta(before.cpu, cpuNow()), cpuWallMs: Date.now() - before.at, load: loadavg()[0] },
		requests: fake.requests.slice(before.requests),
	};
	state.batches.push(batch);
	const { stats } = batch;
	say(`  ${stats.ok}/${stats.calls} answered with their own session id in ${seconds(stats.wallMs)}: ${stats.perSecond.toFixed(1)} calls/s`);
	say(`  CPU per call: ${cpuPerCallText(batch)} (load average ${batch.load.toFixed(1)})`);
	// Which worker ran what (from the worker logs: the database has no column for it).
	const { finished } = workerOfExecutions();
	batch.byWorker = Object.fromEntries(Object.entries(finished).map(([name, ids]) => [name, rows.filter((r) => ids.has(r.id)).length]));
	batch.rejectedAuth = batch.requests.filter((r) => r.route !== GET_TOKEN_ROUTE && [1101, 1102].includes(r.code)).length;
	if (strict) checkBatch(batch, busy, expectWorkers);
	return batch;
}

/** Every caller got its own session's Close output, every session closed once, every execution recorded and a success. */
function checkBatch(batch, busy, expectWorkers) {
	const { sessions, executions: rows } = batch;
	const stepName = `batch "${batch.label}"`;
	const wrong = batch.results.filter((r) => !answeredOwnSession(r) || r.body.alreadyClosed);
	const got = summarizeFailures(wrong).join('; ') || 'alreadyClosed: true';
	check(
		!wrong.length,
		stepName,
		'main',
		prose`${wrong.length} of ${sessions.length} callers did not get their own session's Close
		output: ${got}`,
	);
	const session = (id) => state.fake.state.sessions.get(id);
	const notClosedOnce = sessions.filter((id) => session(id).status !== CLOSED || session(id).closeCalls !== 1);
	const examples = notClosedOnce.slice(0, 3).map((id) => `${id}: status ${session(id).status}, ${session(id).closeCalls} close calls`);
	check(!notClosedOnce.length, stepName, 'fake', `${notClosedOnce.length} sessions not closed exactly once, e.g. ${examples.join('; ')}`);
	check(rows.length === sessions.length, stepName, 'main', `${rows.length} executions recorded in Postgres for ${sessions.length} calls`);
	const statuses = JSON.stringify(countBy(rows, (r) => r.status));
	const ran = batch.workers > 1 ? 'worker-1/worker-2' : 'worker-1';
	check(!busy.length && rows.every((r) => r.status === 'success'), stepName, ran, `execution statuses ${statuses}, expected all success`);
	const attributed = Object.values(batch.byWorker).reduce((a, b) => a + b, 0);
	const inLogs = `${attributed} of ${rows.length} executions found in the worker logs ("Worker finished execution")`;
	check(attributed === rows.length, stepName, 'worker-1/worker-2', inLogs);
	for (const name of expectWorkers) check(batch.byWorker[name] > 0, stepName, name, `${name} ran none of the batch's executions`);
	check(batch.rejectedAuth === 0, stepName, 'fake', `${batch.rejectedAuth} API requests rejected as unauthorized (1101/1102)`);
}

/**
 * n8n 2.41.1 activates published workflows asynchronously (its publication outbox and reconciler), after
 * "Editor is now accessible": until then a production webhook answers 404 "not registered". Waits until
 * every webhook of the test is registered in the database (webhook_entity).
 */
async function waitForWebhooks() {
	const paths = Object.values(WORKFLOWS)
		.map((w) => `'${w.path}'`)
		.join(', ');
	const t0 = Date.now();
	for (;;) {
		const count = Number((await state.pg.sql(`SELECT count(*) FROM webhook_entity WHERE "webhookPath" IN (${paths})`)).trim());
		if (count === Object.keys(WORKFLOWS).length) break;
		if (Date.now() - t0 > 120_000)
			throw Object.assign(new Error(`${count} of ${Object.keys(WORKFLOWS).length} production webhooks registered 120 s after start-up`), {
				process: 'main',
			});
		await sleep(500);
	}
	state.facts.webhooksAfterReadyMs = Date.now() - t0;
	say(`  registered ${seconds(state.facts.webhooksAfterReadyMs)} after "Editor is now accessible"`);
}

/** "main 31 ms, worker-1 40 ms, ...; 1.7 of 2 cores busy" for a batch. */
function cpuPerCallText(batch) {
	const total = Object.values(batch.cpu).reduce((a, b) => a + b, 0);
	const parts = Object.entries(batch.cpu)
		.filter(([, v]) => v > 0)
		.map(([k, v]) => `${k} ${Math.round(v / batch.sessions.length)} ms`);
	return `${parts.join(', ')}; ${(total / batch.cpuWallMs).toFixed(1)} of ${cpus().length} cores busy with these`;
}

/** A few calls before measuring, so that the first measured calls do not pay for cold caches. */
async function warmUp(workflow, count) {
	const ids = openSessions(count);
	// The database knows the webhook a moment before main's in-memory registry: retry a 404 for a while.
	const deadline = Date.now() + 30_000;
	let first;
	do {
		first = (await fireCalls({ url: webhookUrl(workflow), ids: ids.slice(0, 1), parallel: 1, timeoutMs: 60_000 })).results[0];
		if (first.status === 404) await sleep(500);
	} while (first.status === 404 && Date.now() < deadline);
	const { results } = await fireCalls({
		url: webhookUrl(workflow),
		ids: ids.slice(1),
		parallel: Math.min(PARALLEL, count),
		timeoutMs: 60_000,
	});
	results.unshift(first);
	const bad = results.filter((r) => !answeredOwnSession(r));
	if (bad.length) {
		const error = new Error(`warm-up calls to ${webhookUrl(workflow)} failed: ${summarizeFailures(bad).join('; ')}`);
		error.process = 'main';
		throw error;
	}
}

const outcomeOf = (r) => r.error ?? `HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 100)}`;
const CRASH_LABEL = '2 workers, client ID + secret, worker-1 killed halfway';
const CRASH_STEP = `batch "${CRASH_LABEL}"`;

/**
 * Batch 4: the client-credential batch again, a few Close answers lost on the way back, and worker-1
 * SIGKILLed when half of the calls have their answer. Then the callers without a good answer call again.
 */
async function crashBatch() {
	const sessions = openSessions(CALLS);
	// Lose the answer of the first Close of every 25th session of the first third (done long before the
	// kill): Akool closed the session, the worker hears a connection reset. The node must retry, hear 1219
	// "already closed" and count it as closed, without "Succeed If Already Closed".
	const lostAnswer = new Set(sessions.filter((_, i) => i < CALLS / 3 && i % 25 === 12));
	const pending = new Set(lostAnswer);
	state.fake.addFault({ kind: 'dropAfter', route: CLOSE_ROUTE, times: Infinity, when: (r) => pending.delete(r.body?.id) });
	const kill = { at: undefined };
	// n8n tells the callers of a dead worker's jobs only after Bull's stalled-job check: 1.5–2.5 min here.
	const options = { label: CRASH_LABEL, workflow: 'client', workers: 2, expectWorkers: [], sessions, strict: false, timeoutMs: 240_000 };
	const batch = await runBatch({ ...options, onAnswer: (done) => killWorker1Halfway(done, kill, sessions) });
	batch.kill = kill;
	if (!check(Boolean(kill.at), CRASH_STEP, 'runner', 'worker-1 was never killed')) return batch;
	// Let n8n finish whatever it does with the dead worker's jobs (Bull's stalled-job check, main's error path).
	const { rows, busy } = await settledExecutions(batch.executionIds[0], batch.executionIds[1], 120_000);
	batch.executions = rows;
	batch.stillBusy = busy.map((r) => r.id);
	check(!batch.stillBusy.length, CRASH_STEP, 'main', `executions still new/running 120 s after the batch: ${batch.stillBusy.join(', ')}`);
	const details = await executionDetails(batch.executionIds[0], batch.executionIds[1], new Set(sessions));
	const stalledCallers = heldJobs(batch, kill, details);
	lostAnswers(batch, lostAnswer, stalledCallers, details);
	const bad = await callersCallAgain(batch);
	checkClosedOnce(batch, sessions, new Set([...lostAnswer, ...bad.map((r) => r.id)]));
	return batch;
}

function killWorker1Halfway(done, kill, sessions) {
	if (kill.at || done < Math.floor(CALLS / 2)) return;
	kill.at = performance.now();
	const { started, finished } = workerOfExecutions();
	kill.heldAtKill = [...started['worker-1']].filter((id) => !finished['worker-1'].has(id));
	kill.closedAtKill = new Set(sessions.filter((id) => state.fake.state.sessions.get(id).status === CLOSED));
	const worker1 = state.procs['worker-1'];
	worker1.kill();
	say(
		`  SIGKILL worker-1 (pid ${worker1.pid}, its process group) after ${done} answers; it was running ${kill.heldAtKill.length} executions`,
	);
}

/**
 * The jobs the dead worker held: executions no worker's log finished. Their callers are told by main, once
 * Bull's stalled-job check fails the job, with {"message":"Error in workflow"}; a caller whose Respond to
 * Webhook ran before the kill has its answer already. Returns those callers.
 */
function heldJobs(batch, kill, details) {
	const { started, finished } = workerOfExecutions();
	const rows = batch.executions;
	batch.byWorker = Object.fromEntries(Object.entries(finished).map(([name, ids]) => [name, rows.filter((r) => ids.has(r.id)).length]));
	const heldRows = rows.filter((r) => !finished['worker-1'].has(r.id) && !finished['worker-2'].has(r.id));
	const told = (r) => r.body?.message === 'Error in workflow' || r.error;
	const stalledCallers = batch.results.filter((r) => !answeredOwnSession(r) && r.endedAbs > kill.at && told(r));
	const sessionClosed = (r) => state.fake.state.sessions.get(r.id).status === CLOSED;
	const h = (batch.held = {
		count: heldRows.length,
		running: heldRows.filter((r) => started['worker-1'].has(r.id)).length,
		statuses: countBy(heldRows, (r) => r.status),
		errors: [...new Set(heldRows.map((r) => details.get(r.id)?.error).filter(Boolean))],
		callers: countBy(stalledCallers, outcomeOf),
		callersAfterKillS: stalledCallers.map((r) => (r.endedAbs - kill.at) / 1000),
		answeredBeforeKill: heldRows.length - stalledCallers.length,
		sessionsClosed: stalledCallers.filter(sessionClosed).length,
		sessionsOpen: stalledCallers.filter((r) => !sessionClosed(r)).length,
	});
	batch.finishedByWorker2AfterKill = rows.filter((r) => finished['worker-2'].has(r.id)).length;
	say(
		prose`  jobs worker-1 held: ${h.count} (${h.running} running by its log); n8n status: ${JSON.stringify(h.statuses)};
			${h.errors.join(' | ') || 'no error recorded'}`,
	);
	if (stalledCallers.length)
		say(
			`  their callers: ${Object.entries(h.callers)
				.map(([k, n]) => `${n} × ${k}`)
				.join('; ')}`,
		);
	return stalledCallers;
}

/** The lost answers (all in the first third, before the kill): answered as closed after the node's retry. */
function lostAnswers(batch, lostAnswer, stalledCallers, details) {
	const lost = batch.results.filter((r) => lostAnswer.has(r.id));
	const lostOk = lost.filter((r) => answeredOwnSession(r) && !r.body.alreadyClosed);
	const lostToKill = lost.filter((r) => stalledCallers.includes(r)); // still on worker-1 when it was killed
	const closeCalls = countBy(lost, (r) => `${state.fake.state.sessions.get(r.id).closeCalls}`);
	batch.lostAnswers = { injected: lostAnswer.size, answeredAsClosed: lostOk.length, caughtByKill: lostToKill.length, closeCalls };
	say(`  Close answers lost on purpose: ${lostAnswer.size}; answered as closed after a retry heard 1219: ${lostOk.length}`);
	const lostBad = lost.filter((r) => !lostOk.includes(r) && !lostToKill.includes(r));
	if (!lostBad.length) return;
	const errorOf = (r) => [...details.values()].find((d) => d.sessionId === r.id)?.error ?? 'unknown error';
	const errors = [...new Set(lostBad.map(errorOf))].join(' | ');
	problem(
		CRASH_STEP,
		'worker-1/worker-2',
		`${lostBad.length} callers whose Close answer was lost got ${summarizeFailures(lostBad).join('; ')}: ${errors}`,
	);
}

/** Callers without a good answer call again, to the workflow whose Close succeeds if already closed. */
async function callersCallAgain(batch) {
	const bad = batch.results.filter((r) => !answeredOwnSession(r) || r.body.alreadyClosed);
	const closed = (id) => state.fake.state.sessions.get(id).status === CLOSED;
	batch.badCallers = bad.map((r) => ({ id: r.id, got: outcomeOf(r), ms: r.ms, closedBeforeRetry: closed(r.id) }));
	say(`  callers without a good answer: ${bad.length} (${summarizeFailures(bad).join('; ') || 'none'})`);
	if (!bad.length) return bad;
	say(`▶ ${bad.length} callers call again (POST ${new URL(webhookUrl('retry')).pathname}, Close with "Succeed If Already Closed")`);
	const again = await fireCalls({ url: webhookUrl('retry'), ids: bad.map((r) => r.id), parallel: PARALLEL, timeoutMs: 60_000 });
	const alreadyClosed = (r) => Boolean(r.body?.alreadyClosed);
	batch.retried = again.results.map((r) => ({ id: r.id, ok: answeredOwnSession(r), alreadyClosed: alreadyClosed(r), got: outcomeOf(r) }));
	const retryBad = again.results.filter((r) => !answeredOwnSession(r));
	check(
		!retryBad.length,
		CRASH_STEP,
		'worker-2',
		`${retryBad.length} callers still without a good answer after calling again: ${summarizeFailures(retryBad).join('; ')}`,
	);
	return bad;
}

/**
 * Every session of the batch ends closed; more than one close request only where an answer was lost (the
 * retry) or a caller called again (`expectedTwice`), never more than two.
 */
function checkClosedOnce(batch, sessions, expectedTwice) {
	const calls = (id) => state.fake.state.sessions.get(id).closeCalls;
	const notClosed = sessions.filter((id) => state.fake.state.sessions.get(id).status !== CLOSED);
	batch.notClosedAtEnd = notClosed.length;
	check(
		!notClosed.length,
		CRASH_STEP,
		'fake',
		`${notClosed.length} sessions of the batch are not closed: ${notClosed.slice(0, 5).join(', ')}`,
	);
	batch.closeCalls = countBy(sessions, (id) => `${calls(id)}`);
	const surprising = sessions.filter((id) => calls(id) > 2 || (calls(id) === 2 && !expectedTwice.has(id)));
	const examples = surprising.slice(0, 5).map((id) => `${id} × ${calls(id)}`);
	check(
		!surprising.length,
		CRASH_STEP,
		'worker-1/worker-2',
		`${surprising.length} sessions got unexpected repeated close requests: ${examples.join(', ')}`,
	);
}

/** What a caller's retry sees for a session that is already closed, with and without the option. */
async function repeatedCallProbe() {
	const stepName = 'repeated call for a closed session';
	const [id] = openSessions(1);
	const call = async (workflow) => (await fireCalls({ url: webhookUrl(workflow), ids: [id], parallel: 1, timeoutMs: 60_000 })).results[0];
	const first = await call('client');
	const second = await call('client');
	const third = await call('retry');
	const probe = {
		first: first.error ?? `HTTP ${first.status} ${JSON.stringify(first.body)}`,
		second: second.error ?? `HTTP ${second.status} ${JSON.stringify(second.body)}`,
		third: third.error ?? `HTTP ${third.status} ${JSON.stringify(third.body)}`,
		closeCalls: state.fake.state.sessions.get(id).closeCalls,
	};
	say(
		`  close: ${probe.first}\n  same call again (default Close): ${probe.second}\n  again with "Succeed If Already Closed": ${probe.third}`,
	);
	check(answeredOwnSession(first) && !first.body.alreadyClosed, stepName, 'worker-2', `first close answered ${probe.first}`);
	check(
		answeredOwnSession(third) && third.body.alreadyClosed === true,
		stepName,
		'worker-2',
		`a repeated call through "Succeed If Already Closed" answered ${probe.third}`,
	);
	state.facts.repeatedCall = probe;
}

// ---- secrets ------------------------------------------------------------------------------------------

async function searchSecrets() {
	const stepName = 'search for secrets';
	const dumpFile = join(root, 'n8n.pg_dump.sql');
	const rdbFile = join(root, 'redis.rdb');
	await state.pg.dump(dumpFile).catch((error) => {
		error.process = 'postgres';
		throw error;
	});
	await state.redis.dump(rdbFile).catch((error) => {
		error.process = 'redis';
		throw error;
	});
	// Tokens the fake issued and n8n used: every Bearer token seen on an API request.
	const tokens = new Set(
		state.fake.requests.map((r) => /^Bearer\s+(.+)$/i.exec(r.headers.authorization ?? '')?.[1]).filter((t) => t && t.startsWith('tok_')),
	);
	const secrets = [
		['API key', SECRETS.apiKey],
		['client secret', SECRETS.clientSecret],
		...[...tokens].map((t, i) => [`issued token #${i + 1}`, t]),
	];
	const places = [
		['pg_dump of the n8n database', dumpFile],
		['Redis dump (RDB)', rdbFile],
		...Object.entries(LOGS).map(([name, file]) => [`${name} log`, file]),
	];
	const found = [];
	for (const [where, file] of places) {
		if (!existsSync(file)) continue;
		const content = readFileSync(file);
		for (const [what, secret] of secrets) if (content.includes(Buffer.from(secret))) found.push(`${what} in the ${where}`);
	}
	const credentialRow = await state.pg.sql(`SELECT data FROM credentials_entity WHERE id = '${CREDENTIALS.client.id}'`);
	state.facts.secrets = {
		searched: places.filter(([, f]) => existsSync(f)).map(([w, f]) => `${w} (${Math.round(readFileSync(f).length / 1024)} KB)`),
		secrets: secrets.length,
		tokens: tokens.size,
		found,
		clientCredentialEncrypted: credentialRow.trim().length > 0 && !credentialRow.includes('clientSecret'),
	};
	say(
		prose`  searched ${state.facts.secrets.searched.join(', ')} for the API key, the client secret and ${tokens.size} issued
			token(s): ${found.length ? found.join('; ') : 'none found'}`,
	);
	const owner = (f) => (f.includes('pg_dump') ? 'postgres' : f.includes('Redis') ? 'redis' : f.split(' log')[0]);
	for (const f of found) problem(stepName, owner(f), `secret found: ${f}`);
	check(!found.length, stepName, 'runner', `no API key, client secret or issued token in the database dump, the Redis dump or any log`);
}

// ---- report -------------------------------------------------------------------------------------------

function machine() {
	const cpu = cpus();
	return `${cpu.length} × ${cpu[0]?.model?.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Linux ${release()}`;
}

/** The figures, as BENCHMARKS.md's "Queue mode" section has them (--write-benchmarks writes them there). */
function figures() {
	return {
		batches: state.batches,
		facts: state.facts,
		machine: machine(),
		cores: cpus().length,
		calls: CALLS,
		parallel: PARALLEL,
		concurrency: WORKER_CONCURRENCY,
		n8nVersion: N8N_VERSION,
	};
}

function report() {
	const f = state.facts;
	say(`\n${queueModeSection(figures())}`);
	if (f.repeatedCall)
		say(
			prose`repeated call for a closed session: default Close → ${f.repeatedCall.second}; with "Succeed If Already Closed" →
				${f.repeatedCall.third}`,
		);
	if (f.secrets)
		say(
			prose`secrets: ${f.secrets.found.length ? `FOUND ${f.secrets.found.join('; ')}` : `none of ${f.secrets.secrets} found`} in
				${f.secrets.searched.length} places`,
		);
	say(`getToken calls in all: ${state.fake.counters.getToken}`);
	say(`durations: ${state.timings.map(([l, t]) => `${l} ${seconds(t)}`).join(', ')}`);
}

function printLogTails() {
	for (const [name, file] of Object.entries(LOGS)) {
		if (!existsSync(file)) continue;
		say(`\n----- ${name}: last lines of ${relative(root, file)}`);
		say(logTail(file, 30).replace(/^/gm, '  | '));
	}
}

// ---- cleanup ------------------------------------------------------------------------------------------

let cleanedUp = false;
async function cleanup({ keepLogs }) {
	if (cleanedUp) return;
	cleanedUp = true;
	await Promise.all(Object.values(state.procs).map((p) => p.stop(15_000)));
	await state.redis?.stop().catch(() => undefined);
	await state.pg?.stop().catch(() => undefined);
	await state.fake?.close().catch(() => undefined);
	if (opts.keep) {
		say(`\nkept ${root}`);
		return;
	}
	if (keepLogs) {
		for (const entry of readdirSync(root)) if (entry !== 'logs') rmSync(join(root, entry), { recursive: true, force: true });
		say(`\nlogs kept in ${logsDir}`);
		return;
	}
	rmSync(root, { recursive: true, force: true });
}

function cleanupSync() {
	for (const p of Object.values(state.procs)) p.kill();
	killRunning();
	state.redis?.stopSync();
	state.pg?.stopSync();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		state.interrupted = true;
		say(`\n${signal}: stopping the cluster`);
		cleanup({ keepLogs: true }).finally(() => {
			process.exit(130);
		});
	});
}
process.on('exit', cleanupSync);

// ---- main ---------------------------------------------------------------------------------------------

/** Packages, tarball, n8n, ports, PostgreSQL, Redis, user folders, the fake server; imports. */
async function setUp() {
	say(`queue-mode test: n8n ${N8N_VERSION}, main + 2 workers, PostgreSQL, Redis; temporary folder ${root}`);
	// What else keeps the CPU busy: the figures are only comparable between quiet runs.
	state.facts.loadBefore = loadavg()[0];
	say(`  load average before start: ${state.facts.loadBefore.toFixed(2)} on ${cpus().length} cores`);
	const spec = SUPPORTED_N8N.find((s) => s.version === N8N_VERSION);
	const [packages, tarball] = await Promise.all([
		step('install PostgreSQL and Redis if missing', 'postgres/redis', () => ensurePackages((l) => say(`  ${l}`))),
		// --tarball tests a given tarball (a release candidate, the published package) instead of this tree.
		opts.tarball ?? step('build and pack the package', 'runner', async () => (await buildAndPack(join(root, 'pack'))).tarball),
		step(`n8n ${N8N_VERSION} (cached in ~/.cache/n8n-nodes-akool)`, 'runner', async () => {
			state.install = ensureN8n(N8N_VERSION);
		}),
	]);
	state.facts.installedPackages = packages.installed;
	state.facts.nodeVersion = spec.node;
	if (packages.installed.length) say(`  installed ${packages.installed.join(', ')} in ${seconds(packages.ms)}`);

	const [pgPort, redisPort, mainPort, ...more] = await freePorts(9);
	state.ports = {
		postgres: pgPort,
		redis: redisPort,
		main: mainPort,
		'main-broker': more[0],
		'worker-1-broker': more[1],
		'worker-2-broker': more[2],
		'cli-broker': more[3],
		'worker-1-health': more[4],
		'worker-2-health': more[5],
	};
	say(
		`  ports: ${Object.entries(state.ports)
			.map(([k, v]) => `${k} ${v}`)
			.join(', ')}`,
	);
	state.userFolders = { main: join(root, 'main'), 'worker-1': join(root, 'worker-1'), 'worker-2': join(root, 'worker-2') };

	await Promise.all([
		step('start PostgreSQL', 'postgres', async () => {
			state.pg = await startPostgres({ dir: join(root, 'postgres'), port: pgPort, logFile: LOGS.postgres, database: 'n8n' });
			state.facts.postgresVersion = state.pg.version.replace(/^postgres \(PostgreSQL\) /, 'PostgreSQL ');
		}),
		step('start Redis', 'redis', async () => {
			state.redis = await startRedis({ dir: join(root, 'redis'), port: redisPort, logFile: LOGS.redis });
			state.facts.redisVersion = state.redis.version.replace(/^Redis server v=(\S+).*/, 'Redis $1');
		}),
		step('install the packed package into each user folder (main, worker-1, worker-2)', 'runner', () =>
			Promise.all(Object.values(state.userFolders).map((folder) => installPackage(folder, tarball))),
		),
		step('start the fake Akool server', 'fake', async () => {
			state.fake = await startFakeAkool({
				apiKeys: [SECRETS.apiKey],
				clients: [{ clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret }],
			});
		}),
	]);

	await step('import credentials and workflows (migrates the database; activates the workflows)', 'main', importCredentialsAndWorkflows);
}

async function main() {
	await setUp();

	const columns = (
		await state.pg.sql(`SELECT column_name FROM information_schema.columns WHERE table_name = 'execution_entity' ORDER BY ordinal_position`)
	)
		.trim()
		.split('\n');
	const workerColumns = columns.filter((c) => /worker|host/i.test(c));
	state.facts.workerColumn = workerColumns.length
		? `execution_entity has ${workerColumns.join(', ')}, but the worker logs are used`
		: prose`the worker logs ("Worker finished execution <id>"): n8n ${N8N_VERSION}'s execution_entity (${columns.join(', ')}) and
			execution_metadata record no worker`;

	await step('start main and worker-1', 'main', async () => {
		const mainProc = await startProcess('main');
		const worker1 = await startProcess('worker-1');
		const [mainMs, workerMs] = await Promise.all([waitReady(mainProc), waitReady(worker1)]);
		say(`  main ready in ${seconds(mainMs)}, worker-1 in ${seconds(workerMs)}`);
	});
	await step('wait for the production webhooks', 'main', waitForWebhooks);
	await step('warm-up calls', 'main', () => warmUp('apiKey', 10));

	await runBatch({ label: '1 worker, API key', workflow: 'apiKey', workers: 1, expectWorkers: ['worker-1'] });

	await step('start worker-2', 'worker-2', async () => {
		const worker2 = await startProcess('worker-2');
		say(`  worker-2 ready in ${seconds(await waitReady(worker2))}`);
	});
	await step('warm-up calls', 'main', () => warmUp('apiKey', 20));
	await runBatch({ label: '2 workers, API key', workflow: 'apiKey', workers: 2, expectWorkers: ['worker-1', 'worker-2'] });

	const clientBatch = await runBatch({
		label: '2 workers, client ID + secret',
		workflow: 'client',
		workers: 2,
		expectWorkers: ['worker-1', 'worker-2'],
	});
	check(
		clientBatch.getToken >= 1 && clientBatch.getToken <= 2 * WORKER_CONCURRENCY,
		`batch "${clientBatch.label}"`,
		'worker-1/worker-2',
		prose`${clientBatch.getToken} getToken calls for the first client-credential batch (expected 1 to ${2 * WORKER_CONCURRENCY}:
			at most one per execution that started before the first token was stored)`,
	);

	const crash = await crashBatch().catch((error) => {
		error.step ??= 'batch "2 workers, client ID + secret, worker-1 killed halfway"';
		throw error;
	});
	check(
		crash.getToken === 0,
		`batch "${crash.label}"`,
		'worker-1/worker-2',
		`${crash.getToken} getToken calls in the second client-credential batch (the stored token should be reused)`,
	);

	await step('repeated call for a closed session', 'main', repeatedCallProbe);
	await step('search the database, Redis and the logs for secrets', 'postgres', searchSecrets);
	report();
	if (opts['write-benchmarks']) say(`\nwrote the "Queue mode" section of ${relative(REPO, writeBenchmarks(figures()))}`);
}

try {
	await main();
} catch (error) {
	if (state.interrupted) await new Promise(() => {}); // the signal handler cleans up and exits
	problem(error.step ?? 'unknown', error.process ?? 'runner', `FAILED: ${error.stack ?? error}`);
}
if (scale.failed()) printLogTails();
await cleanup({ keepLogs: scale.failed() > 0 });
scale.finish();
