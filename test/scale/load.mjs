// The callers of the queue-mode test: POST {session_id} to a production webhook, `parallel` calls in flight,
// each call's HTTP status, answer and duration recorded; and what a batch measured, CPU time included.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

import { pool } from '../lib/pool.mjs';
import { max, percentile } from '../lib/stats.mjs';

/** One call per session id; resolves with {results, ms}. `onAnswer(doneCount)` after each (the crash batch's kill switch). */
export async function fireCalls({ url, ids, parallel, timeoutMs, onAnswer }) {
	let done = 0;
	const started = performance.now();
	const call = (id) => callOnce(url, id, timeoutMs).finally(() => onAnswer?.(++done));
	return { results: await pool(ids, parallel, call), ms: performance.now() - started };
}

async function callOnce(url, id, timeoutMs) {
	const sentAt = performance.now();
	const result = { id };
	try {
		const headers = { 'content-type': 'application/json' };
		const body = JSON.stringify({ session_id: id });
		const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
		result.status = response.status;
		const text = await response.text();
		result.body = text.startsWith('{') ? JSON.parse(text) : text.slice(0, 300);
	} catch (error) {
		const timedOut = error.name === 'TimeoutError';
		result.error = timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `${error.name}: ${error.cause?.code ?? error.message}`;
	}
	return Object.assign(result, { ms: performance.now() - sentAt, endedAt: performance.now() });
}

/** True when the call was answered 200 with the Close output of its own session. */
export const answeredOwnSession = (r) => r.status === 200 && typeof r.body === 'object' && r.body?.sessionId === r.id;

/** What a call got: its error, or e.g. `HTTP 500 {"message":"Error in workflow"}`. */
export const outcomeOf = (r) => r.error ?? `HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`;

export const countBy = (items, key) => items.reduce((counts, item) => ((counts[key(item)] = (counts[key(item)] ?? 0) + 1), counts), {});

/** "12 × a, 3 × b" from {a: 12, b: 3}; `name` writes each a and b. */
export const listed = (counts, separator = ', ', name = String) =>
	Array.from(Object.entries(counts), ([what, n]) => `${n} × ${name(what)}`).join(separator);

/** One part per kind of wrong answer: "12 × HTTP 500 {"message":"Workflow execution failed"}; 1 × …". */
export const summarizeFailures = (results) => listed(countBy(results.filter(notAnswered), outcomeOf), '; ');
const notAnswered = (r) => !answeredOwnSession(r);

export function statsOf({ results, ms: wallMs }) {
	const latencies = results.filter(answeredOwnSession).map((r) => r.ms);
	const [p50, p95, perSecond] = [percentile(latencies, 50), percentile(latencies, 95), latencies.length / (wallMs / 1000)];
	return { calls: results.length, ok: latencies.length, perSecond, wallMs, p50, p95, max: max(latencies) };
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
