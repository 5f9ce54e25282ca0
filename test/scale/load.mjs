// The callers of the queue-mode test: POST {session_id} to a production webhook, `parallel` calls in flight
// at a time, and record for every call its HTTP status, the answer and how long it took.
import { percentile } from '../lib/stats.mjs';

/**
 * Sends one call per session id. Resolves with {results, ms} once every call has an answer, an error or
 * has timed out. `onAnswer(doneCount)` runs after each call ends (the kill switch of the crash batch).
 */
export async function fireCalls({ url, ids, parallel, timeoutMs, onAnswer }) {
	const results = new Array(ids.length);
	let next = 0;
	let done = 0;
	const started = performance.now();
	async function caller() {
		for (;;) {
			const index = next++;
			if (index >= ids.length) return;
			results[index] = await callOnce(url, ids[index], timeoutMs, started);
			done += 1;
			onAnswer?.(done, results[index]);
		}
	}
	await Promise.all(Array.from({ length: Math.min(parallel, ids.length) }, caller));
	return { results, ms: performance.now() - started };
}

async function callOnce(url, id, timeoutMs, t0) {
	const sentAt = performance.now();
	const result = { id, sentAt: sentAt - t0 };
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ session_id: id }),
			signal: AbortSignal.timeout(timeoutMs),
		});
		result.status = response.status;
		const text = await response.text();
		try {
			result.body = JSON.parse(text);
		} catch {
			result.body = text.slice(0, 300);
		}
	} catch (error) {
		result.error =
			error.name === 'TimeoutError'
				? `no answer within ${Math.round(timeoutMs / 1000)} s`
				: `${error.name}: ${error.cause?.code ?? error.message}`;
	}
	result.ms = performance.now() - sentAt;
	result.endedAt = performance.now() - t0;
	result.endedAbs = performance.now();
	return result;
}

/** True when the call was answered 200 with the Close output of its own session. */
export const answeredOwnSession = (r) => r.status === 200 && r.body && typeof r.body === 'object' && r.body.sessionId === r.id;

/** Throughput and latency of a batch (answered calls only for latency). */
export function statsOf({ results, ms }) {
	const ok = results.filter(answeredOwnSession);
	const latencies = ok.map((r) => r.ms);
	return {
		calls: results.length,
		ok: ok.length,
		wallMs: ms,
		perSecond: ok.length / (ms / 1000),
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		max: latencies.length ? Math.max(...latencies) : NaN,
	};
}

/** One line per kind of wrong answer: "12 × HTTP 500 {"message":"Workflow execution failed"}". */
export function summarizeFailures(results) {
	const groups = new Map();
	for (const r of results) {
		if (answeredOwnSession(r)) continue;
		const key = r.error ?? `HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`;
		groups.set(key, (groups.get(key) ?? 0) + 1);
	}
	return [...groups].map(([what, n]) => `${n} × ${what}`);
}
