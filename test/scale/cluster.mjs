// Queue-mode settings of the n8n processes (main, workers, CLI), and what the test reads about them: which
// worker ran which execution, and CPU time by process tree. docs/n8n-offline.md, "Queue mode".
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

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

/** Ids of the executions a worker's log says it finished: "Worker finished execution 123 (job 45)". */
export function finishedIn(logFile) {
	const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
	return new Set(Array.from(text.matchAll(/Worker finished execution (\d+) \(job \d+\)/g), (m) => Number(m[1])));
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;

/**
 * CPU milliseconds used so far by each process tree ({name: pid}: the process, its live descendants such as n8n's task
 * runner, and the children it reaped; a tree that is gone counts 0), and by this process (fake Akool and callers).
 */
export function cpuMsOfTrees(roots) {
	const processes = []; // [pid, ppid, utime + stime + cutime + cstime (waited-for children)]
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			processes.push([Number(pid), Number(fields[1]), [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0)]);
		} catch {
			// the process ended meanwhile
		}
	}
	const ticks = (root) => processes.reduce((sum, [pid, ppid, own]) => sum + (pid === root ? own : ppid === root ? ticks(pid) : 0), 0);
	const { user, system } = process.cpuUsage();
	const trees = Object.entries(roots).map(([name, pid]) => [name, pid ? (ticks(pid) * 1000) / TICKS_PER_SECOND : 0]);
	return { ...Object.fromEntries(trees), 'test process': (user + system) / 1000 };
}
