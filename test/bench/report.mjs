// The markdown report of `npm run bench`, a function of the results: a header, the Targets table (rows of TARGETS, named
// by the sections with their figures), the sections (SECTIONS, those with results), NOTES.md.
import { cpus, release, totalmem } from 'node:os';

import { prose } from '../lib/report.mjs';
import { fmtKB, fmtMB, fmtPct, fmtS, fmtUs, fmtX, max, median, min, spread, table } from '../lib/stats.mjs';
import { HTTP_REQUEST_VERSION } from './workflows.mjs';

export const SECTION_HEADING = '## Akool node vs HTTP Request node (`npm run bench`)';

/** Each target, of its section's figures `x`: [what is wanted, the figure measured, whether it is met, the margin in words]. */
const TARGETS = {
	equalConcurrency: (x, limit = 1.0) => [
		`Equal concurrency ${x.c}: Akool wall time ≤ ${limit.toFixed(1)}× HTTP Request's`,
		fmtX(x.ratio),
		x.ratio <= limit,
		x.ratio <= limit ? `${fmtPct(limit - x.ratio)} faster` : `${fmtPct(x.ratio - limit)} slower than the HTTP Request node`,
	],
	floor: (x, limit = 1.25) => [
		`Unthrottled at the default concurrency (${x.dc}): within ${limit}× of the floor ${fmtS(x.floorMs)}`,
		fmtX(x.ratio),
		x.ratio <= limit,
		`${fmtPct(Math.abs(limit - x.ratio))} of the floor ${x.ratio <= limit ? 'to spare' : 'over'}`,
	],
	throttled: (x, limit = 0.8) => [
		`Throttled server (R = ${x.rate}/s): 0 failed items and ≥ ${fmtPct(limit)} of R`,
		`${x.failed} failed, ${fmtPct(x.share)} of R`,
		x.failed === 0 && x.share >= limit,
		prose`${x.failed === 0 ? 'no failures' : `${x.failed} failed items`}, ${fmtPct(Math.abs(x.share - limit))} of R
			${x.share >= limit ? 'above the target' : 'short'}; HTTP Request at its default: ${x.httpFailed} of ${x.n} failed`,
	],
	cpuOverhead: (c, limit = 0.1) => [
		`Node overhead per item beyond the helper < ${fmtPct(limit)} of the helper's cost`,
		`${fmtPct(c.overheadRatio)} (${fmtUs(c.overheadUsPerItem)} of ${fmtUs(c.helperCpuUsPerItem)})`,
		c.overheadRatio < limit,
		c.overheadRatio < limit
			? `${fmtPct(limit - c.overheadRatio)} below`
			: `${fmtPct(c.overheadRatio - limit)} over; own code ${ofHelper(c, ownCode(c))}, parameters ${ofHelper(c, c.paramsCpuUsPerItem)}`,
	],
	memoryLinear: (x) => ['Memory linear in items', x.measured, !x.superlinear, x.growth],
	tarball: (p, limit = 60_000) => [
		`Packed tarball: 0 runtime dependencies, under ${fmtKB(limit)}`,
		`${p.runtimeDependencies.length} dependencies, ${fmtKB(p.bytes)}`,
		p.runtimeDependencies.length === 0 && p.bytes < limit,
		p.bytes < limit ? `${fmtKB(limit - p.bytes)} to spare` : `${fmtKB(p.bytes - limit)} over`,
	],
};

function targetRow([key, x]) {
	const [wanted, measured, met, detail] = TARGETS[key](x);
	return [wanted, measured, `${met ? '**met**' : '**missed**'} (${detail})`];
}

/** A figure of each run of a branch; over: its median and range over the runs, formatted. */
const each = (runs, name, pick) => runs.map((r) => pick(r[name]));
const over = (runs, name, pick, format) => spread(each(runs, name, pick), format);
const count = (v) => v.toFixed(0);
const perSecond = (x) => (x.ok / x.ms) * 1000;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const items = (n) => `${n.toLocaleString('en-US')} items`;

function unthrottled({ unthrottled: { runs, branches } }, o, dc) {
	const L = o.latency;
	const rows = branches.map(({ name, kind, concurrency }) => {
		const floor = (o.n * L) / concurrency;
		return [
			name,
			kind === 'http' && concurrency === o.n ? `all ${o.n}` : concurrency,
			`${median(each(runs, name, (x) => x.peakInFlight))} / ${median(each(runs, name, (x) => (x.requests * L) / x.ms)).toFixed(1)}`,
			over(runs, name, (x) => x.ms, fmtS),
			fmtS(floor),
			over(runs, name, (x) => x.ms / floor, fmtX),
			`${median(each(runs, name, (x) => x.ok))} / ${median(each(runs, name, (x) => x.failed))}`,
		];
	});
	const ratios = ([a, h]) => runs.map((r) => r[a.name].ms / r[h.name].ms);
	const pairs = o.concurrency.map((c) => ['akool', 'http'].map((kind) => branches.find((b) => b.kind === kind && b.concurrency === c)));
	const floorMs = (o.n * L) / dc;
	const targets = pairs.map((pair, i) => ['equalConcurrency', { c: o.concurrency[i], ratio: median(ratios(pair)) }]);
	targets.push(['floor', { dc, floorMs, ratio: median(runs.map((r) => r[branches[0].name].ms / floorMs)) }]);
	const header = ['Node, settings', 'Concurrency', 'In flight at the server: peak / mean', 'Wall time', `Floor N×${L} ms÷concurrency`];
	const ratioRows = [...pairs, branches.slice(0, 2)].map((pair) => [`${pair[0].name} ÷ ${pair[1].name}`, spread(ratios(pair), fmtX)]);
	const blocks = [
		`### 1. ${o.n} Close items, ${L} ms server latency, no rate limit (${plural(runs.length, 'run')})`,
		table([...header, '× floor', 'Items ok / failed'], rows),
		table(['Ratio (per execution, then median)', 'Wall-time ratio'], ratioRows),
		prose`*In flight at the server*: peak = most arrivals within one ${L} ms latency; mean = requests × ${L} ms ÷ wall time
			(Little's law). The HTTP Request node has no concurrency setting: unbatched, it starts every request at once; Batching starts
			*batch size* requests every *interval* ms without waiting for answers (interval 0 turns it off). *c* per ${L} ms keeps about
			*c* in flight (open loop); the Akool node starts an item only when one of its *c* slots is free (closed loop).`,
	];
	return { blocks, targets };
}

function throttled(R, o) {
	const { runs, branches } = R.throttled;
	const limit = `a server allowing R = ${o.rate} requests/s (answers code 1005 above it)`;
	const capacity = (name) =>
		R.unthrottled?.branches.some((x) => x.name === name) ? over(R.unthrottled.runs, name, perSecond, (v) => `${v.toFixed(0)}/s`) : '–';
	const rows = branches.map(({ name }) => [
		name,
		capacity(name),
		over(runs, name, (x) => x.ok, count),
		over(runs, name, (x) => x.failed, count),
		over(runs, name, (x) => x.ms, fmtS),
		over(runs, name, perSecond, (v) => `${v.toFixed(1)}/s`),
		over(runs, name, (x) => perSecond(x) / o.rate, fmtPct),
		over(runs, name, (x) => x.requests, count),
	]);
	const header = ['Node, settings', 'Same node unthrottled (section 1)', 'Completed', 'Failed', 'Wall time', 'Throughput', 'Share of R'];
	const described = (e) => `\`${e.error ? `${e.error}${e.akoolCode ? ` (code ${e.akoolCode})` : ''}` : JSON.stringify(e)}\``;
	const errors = (name) => [...new Set(runs.filter((r) => r[name].firstError).map((r) => described(r[name].firstError)))];
	const blocks = [
		`### 2. ${o.n} Close items against ${limit}, ${o.latency} ms latency (${plural(runs.length, 'run')})`,
		table([...header, 'Requests sent (incl. refused)'], rows),
		...branches.filter(({ name }) => errors(name).length).map(({ name }) => `First failed item of ${name}: ${errors(name).join('; ')}`),
		prose`Each node has its own fake server (a fresh per-second window). An HTTP Request item fails when its body's code is not
			1000 (the node itself counts HTTP 200 + code 1005 as success). Throughput = completed items ÷ the node's wall time.`,
	];
	const [a, h] = branches.map((b) => b.name);
	const [failed, httpFailed] = [a, h].map((name) => median(each(runs, name, (x) => x.failed)));
	const share = median(each(runs, a, (x) => perSecond(x) / o.rate));
	return { blocks, targets: [['throttled', { rate: o.rate, n: o.n, failed, httpFailed, share }]] };
}

function sweep({ sweep: s }, o, dc) {
	const rows = s.unthrottled.map((u) => {
		const t = s.throttled.find((x) => x.concurrency === u.concurrency);
		const cells = t ? [`${t.ok} / ${t.failed}`, fmtS(t.ms), fmtPct(t.perSecond / s.rate)] : ['n/a', 'n/a', 'n/a'];
		return [u.concurrency === dc ? `${u.concurrency} (default)` : u.concurrency, fmtS(u.ms), fmtX(u.ms / u.floorMs), ...cells];
	});
	const header = ['Concurrency', 'Unthrottled wall', '× floor', 'Throttled ok / failed', 'Throttled wall', 'Share of R'];
	const title = `### Concurrency sweep (in process, ${s.n} items, ${s.latency} ms latency; throttled at R = ${s.rate}/s), one run each`;
	return { blocks: [title, table(header, rows)] };
}

/** CPU µs per item of the node's own code (instant-helper run minus parameter reads), and a share of the helper's. */
const ownCode = (c) => c.stubNodeCpuUsPerItem - c.paramsCpuUsPerItem;
const ofHelper = (c, us) => `${fmtPct(us / c.helperCpuUsPerItem)} of the helper`;
const CPU_ROWS = [
	['The node, Close, default Request Options', (c) => fmtUs(c.nodeCpuUsPerItem)],
	["n8n's `httpRequestWithAuthentication` alone, the node's requests, 5 at a time", (c) => fmtUs(c.helperCpuUsPerItem)],
	[
		'Node overhead beyond the helper (per repetition, then median)',
		(c) => `${fmtUs(c.overheadUsPerItem)} = ${fmtPct(c.overheadRatio)} of the helper`,
	],
	['… its range over repetitions', (c) => `${fmtPct(c.overheadRatioMin)}–${fmtPct(c.overheadRatioMax)}`],
	["… n8n resolving the node's per-item parameters alone", (c) => fmtUs(c.paramsCpuUsPerItem)],
	['The node with an instant helper (no HTTP): its own code plus those parameter reads', (c) => fmtUs(c.stubNodeCpuUsPerItem)],
	["… so the node's own code", (c) => `${fmtUs(ownCode(c))} = ${ofHelper(c, ownCode(c))}`],
	['… and the rest of the overhead, only with real HTTP (GC, timers, sockets)', (c) => fmtUs(c.overheadUsPerItem - c.stubNodeCpuUsPerItem)],
];

function cpu({ cpu: c }) {
	const title = `### 3. CPU per item in process (${c.n} items × ${c.reps} repetitions, 0 ms latency, fake server in another process)`;
	const rows = CPU_ROWS.map(([what, value]) => [what, value(c)]);
	return { blocks: [title, table(['Measured', 'CPU per item (median)'], rows)], targets: [['cpuOverhead', c]] };
}

function memory({ memory: m }, o) {
	const sizes = o.memSizes;
	const [first, last] = [sizes[0], sizes.at(-1)];
	const variants = [...new Set(m.map((x) => x.variant))];
	const labelOf = (v) => m.find((x) => x.variant === v).label;
	const of = (v, size) => m.filter((x) => x.variant === v && x.size === size);
	const rss = (v, size) => median(of(v, size).map((x) => x.peakRssKb));
	/** Bytes of RSS per item between two sizes. */
	const slope = (v, from, to) => ((rss(v, to) - rss(v, from)) * 1024) / (to - from);
	const rssCell = (v, size) => (of(v, size).length ? fmtMB(rss(v, size)) : '–');
	const okCell = (r) => (r.length ? `${median(r.map((x) => x.ok))} ok, ${fmtS(median(r.map((x) => x.ms)))}` : '–');
	const rows = variants.map((v) => [labelOf(v), ...sizes.map((s) => rssCell(v, s)), kB(slope(v, first, last))]);
	const okRows = variants.filter((v) => v !== 'baseline').map((v) => [labelOf(v), ...sizes.map((s) => okCell(of(v, s)))]);
	const stepsOf = (v) => sizes.slice(1).map((s, i) => slope(v, sizes[i], s));
	const steps = stepsOf('akool');
	const title = `### 4. Memory: peak RSS of the n8n process (\`n8n execute\`, VmHWM from /proc sampled every 20 ms), 0 ms latency`;
	const blocks = [
		`${title}, 1 run each`,
		table(['Workflow', ...sizes.map(items), `Growth per item ${first}→${last}`], rows),
		table(['Items ok, node wall time', ...sizes.map(items)], okRows),
		prose`Above the baseline the Akool node adds ${sizes.map((s) => fmtMB(rss('akool', s) - rss('baseline', s))).join(', ')} at
			${sizes.map((s) => s.toLocaleString('en-US')).join(', ')} items. Growth per item, step by step: Akool
			${steps.map(kB).join(', ')}; baseline ${stepsOf('baseline').map(kB).join(', ')}. RSS includes n8n itself
			(~${fmtMB(rss('baseline', first))} with ${first} items and no requests), every node's output and the execution's JSON;
			V8 frees memory lazily: tens of MB of noise.`,
	];
	// Linear: the node's memory grows no faster per item in the last step than in the first.
	const superlinear = steps.length > 1 && steps.at(-1) > 1.5 * Math.max(steps[0], 1024) + 1024;
	const linear = superlinear ? 'grows faster than linearly' : 'no faster than linear';
	const growth = steps.length > 1 ? `per-item growth ${steps.map(kB).join(' then ')}: ${linear}` : 'two sizes only: linearity not checked';
	const perItem = `${kB(slope('akool', first, last))} per item from ${first} to ${last}`;
	const measured = `${fmtMB(rss('akool', last))} peak at ${items(last)}; ${perItem}`;
	return { blocks, targets: [['memoryLinear', { measured, superlinear, growth }]] };
}

function packaged({ package: p }) {
	const dependencies = p.runtimeDependencies.length ? p.runtimeDependencies.join(', ') : '0';
	const row = [`${fmtKB(p.bytes)} (${p.bytes} bytes)`, fmtKB(p.unpackedBytes), p.files, dependencies, JSON.stringify(p.peerDependencies)];
	const header = ['Packed tarball', 'Unpacked', 'Files', 'Runtime dependencies', 'Peer dependencies'];
	return { blocks: ['### Package', table(header, [row])], targets: [['tarball', p]] };
}

/** The sections in the report's order, by the results each needs. */
const SECTIONS = { unthrottled, throttled, sweep, cpu, memory, package: packaged };

function introduction(R, o, command) {
	const samples = R.loadSamples;
	const loads = prose`${min(samples).toFixed(2)}–${max(samples).toFixed(2)} (1-minute load average sampled before and after every
		execution; median ${median(samples).toFixed(2)})`;
	return [
		`${SECTION_HEADING}${o.quick ? ' — quick run (small N, 1 run; indicative only)' : ''}`,
		'<!-- Generated by test/bench/run.mjs (npm run bench) down to the end marker; other sections are left alone. -->',
		prose`The Akool Live Avatar node against n8n's HTTP Request node sending the same Close with the same \`akoolApi\` credential,
			in real n8n, against \`test/fake-akool\`. Generated by \`test/bench/run.mjs\`: run it again rather than edit.`,
		[
			`- **Date:** ${R.date}`,
			`- **Command:** \`${command}\``,
			prose`- **Machine:** ${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB
			memory, Linux ${release()}`,
			`- **Load during the run:** ${loads}; \`uptime\` before: \`${R.uptimeBefore}\`; after: \`${R.uptimeAfter}\``,
			prose`- **Software:** n8n ${o.n8n} on Node ${R.n8nNode}, package installed from its \`npm pack\` tarball; HTTP Request node
			v${HTTP_REQUEST_VERSION}; in-process parts on Node ${process.versions.node} with n8n-core ${R.coreVersion}`,
			`- **Total time:** ${fmtS(R.totalMs)}`,
		].join('\n'),
		prose`Times are each node's own \`executionTime\` (\`n8n execute --rawOutput\`). The nodes run one after the other in one
			execution, in alternating order from run to run; ratios are taken per execution, then their median. Cells: the median and,
			in brackets, the range over runs.`,
	];
}

/** The report of results `R`, measured with options `o` by `command`. */
export function report(R, o, command) {
	const parts = Object.entries(SECTIONS).flatMap(([key, section]) => (R[key] ? [section(R, o, R.defaultConcurrency ?? 5)] : []));
	const targets = parts.flatMap((part) => part.targets ?? []).map(targetRow);
	const blocks = [...introduction(R, o, command), '### Targets', table(['Target', 'Measured', 'Result'], targets)];
	blocks.push(...parts.flatMap((part) => part.blocks), R.notes.trim(), '<!-- end of npm run bench -->');
	return blocks.join('\n\n');
}
