// Writes the figures of a queue-mode run (run.mjs --write-benchmarks) into BENCHMARKS.md, section
// "## Queue mode". Other sections of the file belong to other benchmarks and are left as they are: the
// section is replaced in place when it exists (up to the next "## " heading), appended otherwise.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from '../e2e/lib.mjs';

export const BENCHMARKS_FILE = join(REPO, 'BENCHMARKS.md');
const HEADING = '## Queue mode';

const ms = (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : 'n/a');

export function queueModeSection({ batches, facts, machine, cores, calls, parallel, concurrency, n8nVersion }) {
	const date = new Date().toISOString().slice(0, 10);
	const rows = batches
		.filter((b) => !b.kill)
		.map((b) => {
			const s = b.stats;
			return `| ${b.label} | ${s.ok}/${s.calls} | ${s.perSecond.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${b.byWorker['worker-1']} / ${b.byWorker['worker-2']} | ${b.getToken} |`;
		});
	const [one, two] = batches;
	const crash = batches.find((b) => b.kill);
	const lines = [
		HEADING,
		'',
		`Measured ${date} on ${machine}, with \`npm run test:scale -- --write-benchmarks\`: n8n ${n8nVersion} (Node ${facts.nodeVersion}) in queue mode on loopback, one main (\`n8n start\`, EXECUTIONS_MODE=queue) and \`n8n worker --concurrency=${concurrency}\` processes, ${facts.postgresVersion} and ${facts.redisVersion} from Debian's packages (default settings), all on the same machine, with the fake Akool server (no added latency) in the test process.`,
		'',
		`Workflow: Webhook → Akool Live Avatar, Session → Close (\`{{ $json.body.session_id }}\`) → Respond to Webhook with the Close output. ${calls} calls per batch, each for its own open session, ${parallel} in flight at a time; latency is from sending the call to its answer; calls/s counts answered calls over the batch's wall time.`,
		'',
		'| Setup | Answered | Calls/s | p50 | p95 | Max | Executions worker-1 / worker-2 | getToken calls |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows,
		'',
	];
	const names = ['main', 'worker-1', 'worker-2', 'postgres', 'redis', 'test process'];
	lines.push(
		'CPU milliseconds per call, by process tree (n8n processes with their task runner, PostgreSQL with its backends; the test process runs the fake Akool server and the callers), and how busy the machine was:',
		'',
		`| Setup | ${names.join(' | ')} | Cores busy with these | Load average |`,
		`| --- | ${names.map(() => '---').join(' | ')} | --- | --- |`,
		...batches
			.filter((b) => !b.kill)
			.map((b) => {
				const total = Object.values(b.cpu).reduce((x, y) => x + y, 0);
				return `| ${b.label} | ${names.map((n) => (b.cpu[n] ? Math.round(b.cpu[n] / b.sessions.length) : '–')).join(' | ')} | ${(total / b.cpuWallMs).toFixed(1)} of ${cores} | ${b.load.toFixed(1)} |`;
			}),
		'',
	);
	if (one && two) {
		lines.push(
			`From one worker to two: ${one.stats.perSecond.toFixed(1)} → ${two.stats.perSecond.toFixed(1)} calls/s (×${(two.stats.perSecond / one.stats.perSecond).toFixed(2)}), p50 ${ms(one.stats.p50)} → ${ms(two.stats.p50)}, p95 ${ms(one.stats.p95)} → ${ms(two.stats.p95)}. Every process shares the same ${cores} cores, so a second worker on this machine can only use what main, PostgreSQL and the first worker leave over; on machines of their own, each worker brings its own CPU. The load average before the test started was ${facts.loadBefore.toFixed(1)} (other work on the machine), so compare figures only between runs on a quiet machine.`,
			'',
		);
	}
	if (crash?.held) {
		const h = crash.held;
		const waits = h.callersAfterKillS;
		lines.push(
			`Worker crash (SIGKILL of worker-1 halfway through a second batch of ${crash.stats.calls} with the client-credential workflow): worker-1 held ${h.count} jobs. n8n did not re-queue them (it runs Bull with maxStalledCount 0); once Bull's stalled-job check failed them, main marked the executions ${Object.entries(h.statuses).map(([s, n]) => `${n} × \`${s}\``).join(', ')} (${h.errors.join(' | ') || 'no error recorded'}) and answered their callers ${Object.entries(h.callers).map(([k, n]) => `${n} × ${k}`).join('; ') || 'nothing'}${waits.length ? `, ${Math.min(...waits).toFixed(0)}–${Math.max(...waits).toFixed(0)} s after the kill` : ''}; ${h.answeredBeforeKill} caller(s) had their answer before the kill. worker-2 finished the rest of the queue. ${crash.lostAnswers.injected} Close answers lost on purpose earlier in the batch were retried by the node, which heard 1219 and answered ${crash.lostAnswers.answeredAsClosed} of them as closed. After the callers without a good answer called again (Close with *Succeed If Already Closed*), ${crash.notClosedAtEnd === 0 ? 'every session of the batch was closed' : `${crash.notClosedAtEnd} sessions were still open`}. Close requests per session: ${Object.entries(crash.closeCalls).map(([n, c]) => `${c} × ${n}`).join(', ')}.`,
			'',
		);
	}
	lines.push(`Worker attribution from ${facts.workerColumn.startsWith('the worker logs') ? 'the worker logs ("Worker finished execution <id>"): n8n ' + n8nVersion + ' records no worker in its execution tables' : facts.workerColumn}.`, '');
	return lines.join('\n');
}

function describeBad(bad) {
	if (!bad.length) return 'none';
	const groups = new Map();
	for (const b of bad) {
		const key = b.got.replace(/\s+\{.*$/, (m) => (m.length > 80 ? `${m.slice(0, 80)}…` : m));
		groups.set(key, (groups.get(key) ?? 0) + 1);
	}
	const waits = bad.map((b) => b.ms / 1000);
	return `${[...groups].map(([k, n]) => `${n} × ${k}`).join('; ')}, after ${Math.min(...waits).toFixed(0)}–${Math.max(...waits).toFixed(0)} s`;
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
