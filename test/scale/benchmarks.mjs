// The figures of a queue-mode run as markdown: printed at the end of every run, and written into BENCHMARKS.md,
// section "## Queue mode", with run.mjs --write-benchmarks. Other sections of the file belong to other
// benchmarks and are left as they are: the section is replaced in place when it exists (up to the next "## "
// heading), appended otherwise.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from '../lib/n8n.mjs';
import { prose } from '../lib/report.mjs';
import { table } from '../lib/stats.mjs';

export const BENCHMARKS_FILE = join(REPO, 'BENCHMARKS.md');
const HEADING = '## Queue mode';
const PROCESSES = ['main', 'worker-1', 'worker-2', 'postgres', 'redis', 'test process'];

const ms = (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : 'n/a');
const listed = (counts, format = ([k, n]) => `${n} × ${k}`) => Object.entries(counts).map(format).join(', ');
const range = (values) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} s`;

function batchTables(batches, cores) {
	const measured = batches.filter((b) => !b.kill);
	const rows = measured.map(({ label, stats: s, byWorker, getToken }) => {
		const workers = `${byWorker['worker-1']} / ${byWorker['worker-2']}`;
		return [label, `${s.ok}/${s.calls}`, s.perSecond.toFixed(1), ms(s.p50), ms(s.p95), ms(s.max), workers, getToken];
	});
	const cpuRows = measured.map((b) => {
		const total = Object.values(b.cpu).reduce((x, y) => x + y, 0);
		const perCall = PROCESSES.map((n) => (b.cpu[n] ? Math.round(b.cpu[n] / b.sessions.length) : '–'));
		return [b.label, ...perCall, `${(total / b.cpuWallMs).toFixed(1)} of ${cores}`, b.load.toFixed(1)];
	});
	return [
		table(['Setup', 'Answered', 'Calls/s', 'p50', 'p95', 'Max', 'Executions worker-1 / worker-2', 'getToken calls'], rows),
		'',
		prose`CPU milliseconds per call, by process tree (n8n processes with their task runner, PostgreSQL with its backends; the test
			process runs the fake Akool server and the callers), and how busy the machine was:`,
		'',
		table(['Setup', ...PROCESSES, 'Cores busy with these', 'Load average'], cpuRows),
		'',
	];
}

function scalingText([one, two], { cores, facts }) {
	if (!one || !two) return [];
	const x = (two.stats.perSecond / one.stats.perSecond).toFixed(2);
	return [
		prose`From one worker to two: ${one.stats.perSecond.toFixed(1)} → ${two.stats.perSecond.toFixed(1)} calls/s (×${x}),
			p50 ${ms(one.stats.p50)} → ${ms(two.stats.p50)}, p95 ${ms(one.stats.p95)} → ${ms(two.stats.p95)}. Every process shares the
			same ${cores} cores, so a second worker on this machine can only use what main, PostgreSQL and the first worker leave over; on
			machines of their own, each worker brings its own CPU. The load average before the test started was
			${facts.loadBefore.toFixed(1)} (other work on the machine), so compare figures only between runs on a quiet machine.`,
		'',
	];
}

function crashText(crash) {
	if (!crash?.held) return [];
	const h = crash.held;
	const statuses = listed(h.statuses, ([s, n]) => `${n} × \`${s}\``);
	const waits = h.callersAfterKillS.length ? `, ${range(h.callersAfterKillS)} after the kill` : '';
	const closed = crash.notClosedAtEnd === 0 ? 'every session of the batch was closed' : `${crash.notClosedAtEnd} sessions were still open`;
	return [
		prose`Worker crash (SIGKILL of worker-1 halfway through a second batch of ${crash.stats.calls} with the client-credential
			workflow): worker-1 held ${h.count} jobs. n8n did not re-queue them (it runs Bull with maxStalledCount 0); once Bull's
			stalled-job check failed them, main marked the executions ${statuses} (${h.errors.join(' | ') || 'no error recorded'}) and
			answered their callers ${listed(h.callers) || 'nothing'}${waits}; ${h.answeredBeforeKill} caller(s) had their answer before
			the kill. worker-2 finished the rest of the queue. ${crash.lostAnswers.injected} Close answers lost on purpose earlier in the
			batch were retried by the node, which heard 1219 and answered ${crash.lostAnswers.answeredAsClosed} of them as closed. After
			the callers without a good answer called again (Close with *Succeed If Already Closed*), ${closed}. Close requests per
			session: ${listed(crash.closeCalls, ([n, c]) => `${c} × ${n}`)}.`,
		'',
	];
}

export function queueModeSection({ batches, facts, machine, cores, calls, parallel, concurrency, n8nVersion }) {
	const date = new Date().toISOString().slice(0, 10);
	const fromLogs = facts.workerColumn.startsWith('the worker logs');
	const attribution = fromLogs
		? `the worker logs ("Worker finished execution <id>"): n8n ${n8nVersion} records no worker in its execution tables`
		: facts.workerColumn;
	return [
		HEADING,
		'',
		prose`Measured ${date} on ${machine}, with \`npm run test:scale -- --write-benchmarks\`: n8n ${n8nVersion} (Node
			${facts.nodeVersion}) in queue mode on loopback, one main (\`n8n start\`, EXECUTIONS_MODE=queue) and \`n8n worker
			--concurrency=${concurrency}\` processes, ${facts.postgresVersion} and ${facts.redisVersion} from Debian's packages (default
			settings), all on the same machine, with the fake Akool server (no added latency) in the test process.`,
		'',
		prose`Workflow: Webhook → Akool Live Avatar, Session → Close (\`{{ $json.body.session_id }}\`) → Respond to Webhook with the
			Close output. ${calls} calls per batch, each for its own open session, ${parallel} in flight at a time; latency is from
			sending the call to its answer; calls/s counts answered calls over the batch's wall time.`,
		'',
		...batchTables(batches, cores),
		...scalingText(batches, { cores, facts }),
		...crashText(batches.find((b) => b.kill)),
		`Worker attribution from ${attribution}.`,
		'',
	].join('\n');
}

/** Replaces or appends the "Queue mode" section of BENCHMARKS.md. Returns the file's path. */
export function writeBenchmarks(input) {
	const section = queueModeSection(input);
	let text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : '# Benchmarks\n';
	const start = text.search(/^## Queue mode[ \t]*$/m);
	if (start === -1) {
		text = `${text.trimEnd()}\n\n${section}`;
	} else {
		const rest = text.slice(start + HEADING.length);
		const next = rest.search(/^## /m);
		text = `${text.slice(0, start)}${section}${next === -1 ? '' : `\n${rest.slice(next)}`}`;
	}
	writeFileSync(BENCHMARKS_FILE, `${text.trimEnd()}\n`);
	return BENCHMARKS_FILE;
}
