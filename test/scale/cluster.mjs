// Queue-mode settings of the n8n processes (main, workers, CLI), and what the test reads about them: which
// worker ran which execution, and CPU time by process tree. docs/n8n-offline.md, "Queue mode".
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Environment shared by main, workers and the CLI: Postgres, Redis, queue mode. */
export function clusterEnv({ postgresPort, redisPort, extra = {} }) {
	return {
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
	};
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
