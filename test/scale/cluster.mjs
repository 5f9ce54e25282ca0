// The n8n processes of the queue-mode test: one `n8n start` (main, EXECUTIONS_MODE=queue) and `n8n worker`
// processes, each with its own user folder (the packed package installed in its .n8n/nodes, as a queue-mode
// deployment installs it on every process), the same encryption key, Postgres and Redis. Each process runs
// in its own process group, with stdout and stderr in a log file, so that it can be killed as a whole
// (n8n starts task-runner children) and its log read afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';

import { n8nEnv } from '../e2e/lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Environment shared by main, workers and the CLI: Postgres, Redis, queue mode (n8n-notes.md). */
export function clusterEnv({ userFolder, encryptionKey, brokerPort, postgresPort, redisPort, extra = {} }) {
	return n8nEnv({
		userFolder,
		encryptionKey,
		brokerPort,
		extra: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgresPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HIDE_USAGE_PAGE: 'true',
			...extra,
		},
	});
}

/**
 * Starts one n8n process (`args`: ['start'] or ['worker', '--concurrency=10']) logging to `logFile`.
 * `name` is how failures and the report call it (main, worker-1, ...).
 */
export function startN8nProcess({ name, install, args, env, logFile }) {
	const out = openSync(logFile, 'a');
	const child = spawn(install.nodeBin, [install.n8nBin, ...args], { env, stdio: ['ignore', out, out], detached: true });
	closeSync(out);
	const proc = {
		name,
		pid: child.pid,
		logFile,
		exited: undefined,
		killedOnPurpose: false,
		startedAt: Date.now(),
		log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
		logSize: () => (existsSync(logFile) ? statSync(logFile).size : 0),
		/** The log from byte `offset` on. */
		logFrom: (offset) => {
			const text = existsSync(logFile) ? readFileSync(logFile) : Buffer.alloc(0);
			return text.subarray(offset).toString('utf8');
		},
		/** Resolves once `pattern` appears in the log; rejects if the process exits first or time runs out. */
		async waitForLog(pattern, timeoutMs, what = String(pattern)) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				if (pattern.test(proc.log())) return Date.now() - proc.startedAt;
				if (proc.exited) throw new Error(`${name} exited (${proc.exited.code ?? proc.exited.signal}) before ${what}`);
				if (Date.now() > deadline) throw new Error(`${name}: no ${what} within ${Math.round(timeoutMs / 1000)} s`);
				await sleep(250);
			}
		},
		/** SIGKILL to the whole process group, at once: what a crashed machine or an OOM kill does. */
		kill() {
			proc.killedOnPurpose = true;
			signalGroup(child.pid, 'SIGKILL');
		},
		/** SIGTERM (n8n shuts down gracefully), then SIGKILL to the group after `graceMs`. */
		async stop(graceMs = 15_000) {
			if (!proc.exited) {
				const gone = new Promise((r) => child.once('exit', r));
				signalGroup(child.pid, 'SIGTERM');
				await Promise.race([gone, sleep(graceMs)]);
			}
			signalGroup(child.pid, 'SIGKILL'); // task runners and anything else left in the group
		},
		stopSync() {
			signalGroup(child.pid, 'SIGKILL');
		},
	};
	child.on('exit', (code, signal) => {
		proc.exited = { code, signal, at: Date.now() };
	});
	return proc;
}

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// the group is gone already
	}
}

/** Tail of a log file, for failure reports. */
export function tailOf(file, lines = 40) {
	if (!existsSync(file)) return '(no log file)';
	const text = readFileSync(file, 'utf8').trimEnd();
	return text ? text.split('\n').slice(-lines).join('\n') : '(empty)';
}

/** Execution ids a worker's log says it finished: "Worker finished execution 123 (job 45)". */
export function executionsIn(logText, verb) {
	const ids = new Set();
	for (const m of logText.matchAll(new RegExp(`Worker ${verb} execution (\\d+) \\(job (\\d+)\\)`, 'g'))) ids.add(Number(m[1]));
	return ids;
}

// ---- CPU accounting (Linux /proc) ----------------------------------------------------------------------

let clockTicks;
const ticksPerSecond = () => (clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100);

/** pid → {ppid, ticks} for every process, ticks = utime + stime + cutime + cstime (waited-for children). */
function processTable() {
	const table = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
			table.set(Number(entry), { ppid: Number(fields[1]), ticks });
		} catch {
			// the process ended meanwhile
		}
	}
	return table;
}

/**
 * CPU milliseconds used so far by each named process tree ({name: pid}): the process, its live descendants
 * (n8n's task runner, PostgreSQL's backends) and the children it has reaped. A tree that is gone counts 0.
 */
export function cpuMsOfTrees(roots) {
	const table = processTable();
	const children = new Map();
	for (const [pid, { ppid }] of table) {
		if (!children.has(ppid)) children.set(ppid, []);
		children.get(ppid).push(pid);
	}
	const treeTicks = (pid) => (table.get(pid)?.ticks ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + treeTicks(child), 0);
	return Object.fromEntries(Object.entries(roots).map(([name, pid]) => [name, pid ? (treeTicks(pid) * 1000) / ticksPerSecond() : 0]));
}
