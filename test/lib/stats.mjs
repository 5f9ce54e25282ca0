// Small statistics and formatting helpers of the benchmark and the queue-mode test.

/** The median of the finite numbers (the mean of the two middle ones for an even count), undefined when none. */
export function median(values) {
	const v = values.filter(Number.isFinite).sort((a, b) => a - b);
	return v.length ? (v[(v.length - 1) >> 1] + v[v.length >> 1]) / 2 : undefined;
}

/** The p-th percentile (0..100) of numbers, nearest rank. */
export function percentile(values, p) {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

export const min = (values) => Math.min(...values.filter(Number.isFinite));
export const max = (values) => Math.max(...values.filter(Number.isFinite));

/** Median and range of a list, e.g. "4.52 s (4.41–4.80)". */
export function spread(values, format) {
	const m = median(values);
	if (m === undefined) return 'n/a';
	return values.length < 2 ? format(m) : `${format(m)} (${format(min(values))}–${format(max(values))})`;
}

const orNa = (format) => (value) => (Number.isFinite(value) ? format(value) : 'n/a');
export const fmtS = orNa((ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
export const fmtX = orNa((ratio) => `${ratio.toFixed(2)}×`);
export const fmtPct = orNa((ratio) => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`);
export const fmtMB = orNa((kb) => `${(kb / 1024).toFixed(0)} MB`);
export const fmtUs = orNa((us) => `${us.toFixed(0)} µs`);
export const fmtKB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

// The most requests in flight at the server at once, estimated from arrival times: every request stays there
// `latencyMs` (the fake server's added latency), so it is the most arrivals within one latency.
export function peakInFlight(arrivals, latencyMs) {
	if (!arrivals?.length || !(latencyMs > 0)) return undefined;
	const t = [...arrivals].sort((a, b) => a - b);
	let best = 0;
	let start = 0;
	for (let end = 0; end < t.length; end++) {
		while (t[end] - t[start] >= latencyMs) start++;
		best = Math.max(best, end - start + 1);
	}
	return best;
}

export function table(header, rows) {
	const line = (cells) => `| ${cells.map((c) => String(c ?? '').replace(/\|/g, '\\|')).join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
