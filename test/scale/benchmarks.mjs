// The figures of a queue-mode run as markdown: printed at the end of every run; run.mjs --write-benchmarks writes them
// into BENCHMARKS.md as the section "## Queue mode".
import { cpus, release, totalmem } from 'node:os';

import { prose } from '../lib/report.mjs';
import { max, min, table } from '../lib/stats.mjs';
import { listed } from './load.mjs';

const PROCESSES = ['main', 'worker-1', 'worker-2', 'postgres', 'redis', 'test process'];
const CORES = cpus().length;

const ms = (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : 'n/a');
const range = (values) => `${min(values).toFixed(0)}–${max(values).toFixed(0)} s`;
const busyCores = (b) => `${(Object.values(b.cpu).reduce((x, y) => x + y, 0) / b.cpuWallMs).toFixed(1)} of ${CORES}`;
/** CPU milliseconds per call of a batch, by process tree ('–' where the process did not run). */
const cpuPerCall = (b, name) => (b.cpu[name] ? Math.round(b.cpu[name] / b.sessions.length) : '–');

function batchTables(measured) {
	const rows = measured.map(({ label, stats: s, byWorker, getToken }) => {
		const workers = `${byWorker['worker-1']} / ${byWorker['worker-2']}`;
		return [label, `${s.ok}/${s.calls}`, s.perSecond.toFixed(1), ms(s.p50), ms(s.p95), ms(s.max), workers, getToken];
	});
	const cpuRows = measured.map((b) => [b.label, ...PROCESSES.map((n) => cpuPerCall(b, n)), busyCores(b), b.load.toFixed(1)]);
	return [
		table(['Setup', 'Answered', 'Calls/s', 'p50', 'p95', 'Max', 'Executions worker-1 / worker-2', 'getToken calls'], rows),
		prose`CPU milliseconds per call by process tree (n8n with its task runner, PostgreSQL with its backends; the test process:
			fake Akool and the callers), and how busy the machine was:`,
		table(['Setup', ...PROCESSES, 'Cores busy with these', 'Load average'], cpuRows),
	];
}

function scalingText([one, two], loadBefore) {
	const [a, b] = [one?.stats, two?.stats];
	return (
		b &&
		prose`From one worker to two: ${a.perSecond.toFixed(1)} → ${b.perSecond.toFixed(1)} calls/s
			(×${(b.perSecond / a.perSecond).toFixed(2)}), p50 ${ms(a.p50)} → ${ms(b.p50)}, p95 ${ms(a.p95)} → ${ms(b.p95)}. All processes
			share ${CORES} cores here: a second worker only gets what the rest leave over. Load average before the test:
			${loadBefore.toFixed(1)}; compare figures only between runs on a quiet machine.`
	);
}

function crashText({ held: h, lostAnswers: lost, stats, notClosedAtEnd, closeCalls } = {}) {
	if (!h) return '';
	const waits = h.callersAfterKillS.length ? `, ${range(h.callersAfterKillS)} after the kill` : '';
	const closed = notClosedAtEnd === 0 ? 'every session of the batch was closed' : `${notClosedAtEnd} sessions were still open`;
	return prose`Worker crash (SIGKILL of worker-1 halfway through a second client-credential batch of ${stats.calls}): worker-1
		held ${h.count} jobs, not re-queued (Bull's maxStalledCount 0); main marked them ${listed(h.statuses, ', ', (s) => `\`${s}\``)}
		(${h.errors.join(' | ') || 'no error recorded'}) and answered their callers ${listed(h.callers) || 'nothing'}${waits};
		${h.answeredBeforeKill} caller(s) had their answer before the kill; worker-2 ran the rest. ${lost.injected} Close answers lost
		on purpose: retried, heard 1219, ${lost.answeredAsClosed} answered as closed. After the callers without a good answer called
		again (*Succeed If Already Closed*), ${closed}. Close requests per session: ${listed(closeCalls)}.`;
}

export const QUEUE_MODE_HEADING = '## Queue mode';

/** The section of a run's `state` (its batches, processes, load before), measured with `settings`. */
export function queueModeSection({ batches, procs, loadBefore }, { calls, parallel, concurrency, n8n }) {
	const machine = `${CORES} × ${cpus()[0]?.model?.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Linux ${release()}`;
	const parts = [
		QUEUE_MODE_HEADING,
		prose`Measured ${new Date().toISOString().slice(0, 10)} on ${machine} (\`npm run test:scale -- --write-benchmarks\`): n8n
			${n8n.version} (Node ${n8n.node}) in queue mode on loopback, one main and \`n8n worker --concurrency=${concurrency}\`
			processes, ${procs.postgres.version} and ${procs.redis.version} (Debian, default settings), fake Akool in the test process.`,
		prose`Workflow: Webhook → Akool Live Avatar, Session → Close → Respond to Webhook. ${calls} calls per batch, each for its own
			session, ${parallel} in flight; latency: call to answer; calls/s: answered calls over the batch's wall time.`,
		...batchTables(batches.filter((b) => !b.kill)),
		scalingText(batches, loadBefore),
		crashText(batches.find((b) => b.kill)),
		`Executions per worker from the worker logs: n8n ${n8n.version} records no worker in its tables.`,
	];
	return `${parts.filter(Boolean).join('\n\n')}\n`;
}
