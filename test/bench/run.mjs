// `npm run bench`: the Akool node against n8n's HTTP Request node, in real n8n (results: BENCHMARKS.md).
//
// Builds and packs this package, installs the tarball into a fresh user folder of the cached n8n 2.41.1
// (test/lib/install.mjs), starts fake Akool servers in this process (test/fake-akool/server.js) and runs
// workflows with `n8n execute`. Times come from n8n's execution data (each measured node's executionTime),
// never from process start-up. Sections:
//   unthrottled  N Close items, `latency` ms per request, no rate limit: the Akool node and the HTTP Request
//                node (same credential as a predefined credential type) at their defaults and at equal
//                concurrency, against the floor N × latency ÷ concurrency; several runs, ratios pair by pair.
//   throttled    N items against a server that allows R requests per second and answers 1005 above it.
//   cpu          in process (n8n-core's real request helper, no n8n server): CPU per item of the node beyond
//                the helper's own cost (test/bench/inprocess.mjs).
//   sweep        in process: the node at concurrency 1…20, unthrottled and throttled (for the default).
//   memory       peak RSS of the n8n process executing 1,000 … 10,000 items, against a baseline.
//   package      packed tarball size and runtime dependencies.
// Prints a markdown report; the full run writes it to BENCHMARKS.md. Exit code 0 unless the benchmark
// itself crashes: timings never fail a build.
//
//   npm run bench                       full run (8–15 min on 2 shared cores), writes its section of BENCHMARKS.md
//   npm run bench -- --quick            small N, 1 run, prints only (what CI runs)
//   options: --n 1000 --runs 4 --throttled-runs 3 --latency 20 --rate 100 --rate-answer 1005|429
//            --concurrency 5,10 --mem-sizes 1000,4000,10000 --mem-runs 1 --cpu-n 2000 --cpu-reps 5
//            --only unthrottled,throttled,cpu,sweep,memory,package --skip-build --n8n 2.41.1
//            --out <file> (write the report there) --no-write --json <file> (raw results) --keep
//            --tarball <file> (benchmark that tarball, e.g. a patched scratch copy, instead of building)
//            --render <results.json> (no measuring: the report of a run saved with --json)
// test/bench/NOTES.md, when present, is appended to the report (the hand-written analysis).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { ensureN8n } from '../lib/install.mjs';
import { REPO, buildAndPack, installPackage, tail, userFolder } from '../lib/n8n.mjs';
import { logger, say, prose } from '../lib/report.mjs';
import { fmtKB, fmtMB, fmtPct, fmtS, fmtUs, fmtX, max, median, min, peakInFlight, spread, table } from '../lib/stats.mjs';
import { akoolClose, branchPrefix, chainWorkflow, httpClose, HTTP_REQUEST_VERSION, noOp, sessionId } from './workflows.mjs';

const require = createRequire(import.meta.url);
const { startFakeAkool } = require('../fake-akool/server.js');

// ---- options ------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const STRING_OPTIONS = ['n', 'runs', 'throttled-runs', 'latency', 'rate', 'rate-answer', 'concurrency', 'mem-sizes', 'mem-runs'];
const { values: given } = parseArgs({
	args: argv,
	options: {
		...Object.fromEntries(
			[...STRING_OPTIONS, 'cpu-n', 'cpu-reps', 'only', 'n8n', 'out', 'json', 'tarball', 'render'].map((o) => [o, { type: 'string' }]),
		),
		...Object.fromEntries(['quick', 'skip-build', 'no-write', 'keep'].map((o) => [o, { type: 'boolean' }])),
	},
});
const QUICK = Boolean(given.quick);
/** An option's value, else its default for a quick or a full run. */
const value = (name, quick, full = quick) => given[name] ?? (QUICK ? quick : full);
const list = (name, quick, full) =>
	String(value(name, quick, full))
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
const OPTS = {
	quick: QUICK,
	n: Number(value('n', 100, 1000)),
	runs: Number(value('runs', 1, 4)),
	throttledRuns: Number(value('throttled-runs', 1, 3)),
	latency: Number(value('latency', 20)),
	rate: Number(value('rate', 50, 100)),
	rateAnswer: String(value('rate-answer', '1005')),
	concurrency: list('concurrency', '5', '5,10').map(Number),
	memSizes: list('mem-sizes', '200,1000', '1000,4000,10000').map(Number),
	memRuns: Number(value('mem-runs', 1)),
	cpuN: Number(value('cpu-n', 300, 2000)),
	cpuReps: Number(value('cpu-reps', 1, 5)),
	only: list('only', 'unthrottled,throttled,cpu,memory,package', 'unthrottled,throttled,cpu,sweep,memory,package'),
	skipBuild: Boolean(given['skip-build']),
	tarball: given.tarball,
	n8n: String(value('n8n', '2.41.1')),
	out: given['no-write'] ? undefined : (given.out ?? (QUICK ? undefined : join(REPO, 'BENCHMARKS.md'))),
	json: given.json,
	keep: Boolean(given.keep),
	render: given.render,
};
const wants = (section) => OPTS.only.includes(section);
const log = logger('bench');
let RENDER_COMMAND;
const COMMAND_RUN =
	process.env.npm_lifecycle_event === 'bench'
		? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`
		: `node test/bench/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}`;

const API_KEY = 'test-api-key'; // the fake server's default key; not a secret
const TARGETS = { equalConcurrency: 1.0, floor: 1.25, throttledShare: 0.8, cpuOverhead: 0.1, tarballBytes: 60_000 };

// ---- machine load -------------------------------------------------------------------------------------

const loadSamples = [];
const sampleLoad = () => loadSamples.push(loadavg()[0]);
const uptime = () => {
	try {
		return execFileSync('uptime', { encoding: 'utf8' }).trim();
	} catch {
		return `load average: ${loadavg()
			.map((l) => l.toFixed(2))
			.join(', ')}`;
	}
};

// ---- package ------------------------------------------------------------------------------------------

/** The benchmarked tarball (packed from this tree, or --tarball) and what it holds. */
async function packageInfo(dest) {
	let info;
	let tarball;
	if (OPTS.tarball) {
		// A given tarball (e.g. a patched scratch copy): list it without packing anything.
		tarball = resolve(OPTS.tarball);
		const listing = execFileSync('tar', ['-tzvf', tarball], { encoding: 'utf8' }).trim().split('\n');
		const files = listing.map((l) => ({
			path: l
				.split(/\s+/)
				.slice(5)
				.join(' ')
				.replace(/^package\//, ''),
			size: Number(l.split(/\s+/)[2]),
		}));
		info = { size: statSync(tarball).size, unpackedSize: files.reduce((sum, f) => sum + f.size, 0), files };
	} else {
		({ tarball, info } = await buildAndPack(dest, { skipBuild: OPTS.skipBuild }));
	}
	const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
	const runtimeDependencies = [...Object.keys(pkg.dependencies ?? {}), ...(pkg.bundleDependencies ?? pkg.bundledDependencies ?? [])];
	const peerDependencies = pkg.peerDependencies ?? {};
	return { tarball, bytes: info.size, unpackedBytes: info.unpackedSize, files: info.files.length, runtimeDependencies, peerDependencies };
}

// ---- fake servers -------------------------------------------------------------------------------------

/** Resets a fake server, opens the sessions of `branches` and records request arrivals per branch. */
function prepareFake(fake, branches) {
	fake.reset();
	const [template] = fake.addSessions(1);
	fake.state.sessions.delete(template._id);
	for (const { prefix, count } of branches) {
		for (let i = 0; i < count; i++) {
			const id = sessionId(prefix, i);
			fake.state.sessions.set(id, { ...template, _id: id, closeCalls: 0 });
		}
	}
	const arrivals = {};
	fake.addFault({
		kind: 'delay',
		ms: 0,
		route: 'session/close',
		times: Infinity,
		when: (request) => {
			const id = request.body?.id;
			if (typeof id === 'string') (arrivals[id.slice(0, 8)] ??= []).push(performance.now());
			return false; // observe only
		},
	});
	return arrivals;
}

const closedIn = (fake, prefix) => {
	let closed = 0;
	for (const [id, s] of fake.state.sessions) if (id.startsWith(prefix) && s.status === 3) closed++;
	return closed;
};

/** Items a node finished: the Akool node's have no `error`; the HTTP Request node's carry Akool's code 1000. */
const succeeded = (kind, item) => (kind === 'akool' ? item.json?.error === undefined : item.json?.code === 1000);

// ---- sections -----------------------------------------------------------------------------------------

let DEFAULT_CONCURRENCY = 5;

/** The branches of the unthrottled comparison, in forward order. */
function unthrottledBranches(fast, credential) {
	const branches = [];
	let k = 0;
	const add = (name, kind, concurrency, node) => branches.push({ name, kind, concurrency, node, prefix: branchPrefix(++k), count: OPTS.n });
	add(`Akool, default (concurrency ${DEFAULT_CONCURRENCY})`, 'akool', DEFAULT_CONCURRENCY, akoolClose({ credential }));
	add('HTTP Request, default (no batching)', 'http', OPTS.n, httpClose({ baseUrl: fast.url, credential }));
	for (const c of OPTS.concurrency) {
		if (c !== DEFAULT_CONCURRENCY) add(`Akool, concurrency ${c}`, 'akool', c, akoolClose({ credential, concurrency: c }));
		add(
			`HTTP Request, batching ${c} per ${OPTS.latency} ms`,
			'http',
			c,
			httpClose({ baseUrl: fast.url, credential, batch: { batchSize: c, batchInterval: OPTS.latency } }),
		);
	}
	return branches;
}

function throttledBranches(servers, credentials) {
	const perBatch = Math.max(1, Math.round(OPTS.rate / 10));
	return [
		{ name: `Akool, default (concurrency ${DEFAULT_CONCURRENCY})`, kind: 'akool', node: akoolClose({ credential: credentials[0] }) },
		{ name: 'HTTP Request, default (no batching)', kind: 'http', node: httpClose({ baseUrl: servers[1].url, credential: credentials[1] }) },
		{
			name: `HTTP Request, batching ${perBatch} per 100 ms (tuned to R)`,
			kind: 'http',
			node: httpClose({ baseUrl: servers[2].url, credential: credentials[2], batch: { batchSize: perBatch, batchInterval: 100 } }),
		},
	].map((b, i) => ({ ...b, server: servers[i], prefix: branchPrefix(100 + i), count: OPTS.n }));
}

function memoryBranches(mem, credential) {
	const variants = [
		{ variant: 'baseline', label: 'n8n baseline (Code → No Operation)', kind: 'noop', node: noOp() },
		{ variant: 'akool', label: `Akool, default (concurrency ${DEFAULT_CONCURRENCY})`, kind: 'akool', node: akoolClose({ credential }) },
		{ variant: 'http', label: 'HTTP Request, default (no batching)', kind: 'http', node: httpClose({ baseUrl: mem.url, credential }) },
	];
	const out = [];
	const ends = [OPTS.memSizes[0], OPTS.memSizes.at(-1)];
	OPTS.memSizes.forEach((size, s) =>
		variants.forEach((v, i) => {
			// The HTTP Request node is the reference at the smallest and largest size only (it saves minutes).
			if (v.variant === 'http' && !ends.includes(size)) return;
			out.push({
				...v,
				size,
				id: `benchMem${v.variant}${size}`,
				name: `Measured ${v.variant}`,
				prefix: branchPrefix(200 + s * 10 + i),
				count: size,
			});
		}),
	);
	return out;
}

/** What one node did in an execution: wall time (n8n's executionTime) and output items. */
function nodeRun(execution, name) {
	const run = execution?.data?.resultData?.runData?.[name]?.[0];
	return run && { ms: run.executionTime, items: run.data?.main?.[0] ?? [] };
}

/** Runs one workflow execution; returns the execution and per-branch results. */
async function executeBranches(n8n, id, branches, servers) {
	const arrivals = new Map();
	for (const server of new Set(servers)) {
		arrivals.set(
			server,
			prepareFake(
				server,
				branches.filter((b) => (b.server ?? servers[0]) === server),
			),
		);
	}
	sampleLoad();
	const result = await n8n.execute(id, { sampleMemory: true, timeoutMs: 600_000 });
	sampleLoad();
	if (!result.execution) throw new Error(`n8n execute --id=${id} printed no execution (exit ${result.code}):\n${tail(result)}`);
	const error = result.execution.data?.resultData?.error;
	if (error) throw new Error(`execution ${id} failed in node "${error.node?.name}": ${error.message}`);
	const out = {};
	for (const b of branches) {
		const run = nodeRun(result.execution, b.name);
		if (!run) throw new Error(`execution ${id}: no run data for node "${b.name}"`);
		const server = b.server ?? servers[0];
		const ok = b.kind === 'noop' ? run.items.length : run.items.filter((item) => succeeded(b.kind, item)).length;
		out[b.name] = {
			ms: run.ms,
			items: run.items.length,
			ok,
			failed: b.count - ok,
			closed: b.kind === 'noop' ? undefined : closedIn(server, b.prefix),
			requests: (arrivals.get(server)[b.prefix] ?? []).length,
			peakInFlight: peakInFlight(arrivals.get(server)[b.prefix], server.config.latencyMs),
			firstError: run.items.find((item) => !succeeded(b.kind, item))?.json,
		};
	}
	return { result, out };
}

async function unthrottledSection(n8n, fast, branches) {
	const runs = [];
	for (let r = 0; r < OPTS.runs; r++) {
		const id = r % 2 ? 'benchFastReverse' : 'benchFastForward';
		const { out } = await executeBranches(n8n, id, branches, [fast]);
		runs.push(out);
		log(`unthrottled run ${r + 1}/${OPTS.runs}: ${branches.map((b) => `${b.name} ${fmtS(out[b.name].ms)}`).join(', ')}`);
	}
	return runs;
}

async function throttledSection(n8n, branches) {
	const runs = [];
	for (let r = 0; r < OPTS.throttledRuns; r++) {
		const id = r % 2 ? 'benchThrottledReverse' : 'benchThrottledForward';
		const { out } = await executeBranches(
			n8n,
			id,
			branches,
			branches.map((b) => b.server),
		);
		runs.push(out);
		log(
			prose`throttled run ${r + 1}/${OPTS.throttledRuns}:
				${branches.map((b) => `${b.name} ${out[b.name].ok} ok ${out[b.name].failed} failed ${fmtS(out[b.name].ms)}`).join(', ')}`,
		);
	}
	return runs;
}

async function memorySection(n8n, mem, branches) {
	const results = [];
	for (let r = 0; r < OPTS.memRuns; r++) {
		for (const b of branches) {
			const { result, out } = await executeBranches(n8n, b.id, [b], [mem]);
			results.push({ ...b, node: undefined, run: r, peakRssKb: result.peakRssKb, ...out[b.name] });
			log(
				`memory ${b.variant} ${b.size}: peak RSS ${fmtMB(result.peakRssKb)}, node ${fmtS(out[b.name].ms)}, ${out[b.name].ok}/${b.count} ok`,
			);
		}
	}
	return results;
}

/** Runs inprocess.mjs on the dist of the benchmarked tarball (with the harness compiled into it); its JSON. */
async function runInProcess(args, distDir) {
	const script = join(REPO, 'test/bench/inprocess.mjs');
	const child = spawn(process.execPath, ['--expose-gc', script, ...args, '--dist', distDir], {
		cwd: REPO,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let stdout = '';
	child.stdout.on('data', (c) => (stdout += c));
	const code = await new Promise((resolvePromise, reject) => child.on('error', reject).on('close', resolvePromise));
	try {
		if (code !== 0) throw new Error(`exit ${code}`);
		return JSON.parse(stdout.trim().split('\n').pop());
	} catch (error) {
		throw new Error(`inprocess.mjs ${args.join(' ')} failed (${error.message}): ${stdout.slice(-2000)}`);
	}
}

// ---- report -------------------------------------------------------------------------------------------

function verdict(met, detail) {
	return `${met ? '**met**' : '**missed**'} (${detail})`;
}

/** Median and range over runs of `pick(result of branch name)`, formatted. */
const over = (runs, name, pick, format) =>
	spread(
		runs.map((r) => pick(r[name])),
		format,
	);
const count = (v) => v.toFixed(0);
const perSecond = (x) => (x.ok / x.ms) * 1000;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function unthrottledReport(R, push, targets) {
	const L = OPTS.latency;
	const { runs, branches } = R.unthrottled;
	push(`### 1. ${OPTS.n} Close items, ${L} ms server latency, no rate limit (${plural(runs.length, 'run')})`, '');
	const rows = branches.map((b) => {
		const floor = (OPTS.n * L) / b.concurrency;
		const mean = median(runs.map((r) => (r[b.name].requests * L) / r[b.name].ms));
		return [
			b.name,
			b.kind === 'http' && b.concurrency === OPTS.n ? `all ${OPTS.n}` : b.concurrency,
			`${median(runs.map((r) => r[b.name].peakInFlight))} / ${mean.toFixed(1)}`,
			over(runs, b.name, (x) => x.ms, fmtS),
			fmtS(floor),
			over(runs, b.name, (x) => x.ms / floor, fmtX),
			`${median(runs.map((r) => r[b.name].ok))} / ${median(runs.map((r) => r[b.name].failed))}`,
		];
	});
	const floorHeader = `Floor N×${L} ms÷concurrency`;
	const header = [
		'Node, settings',
		'Concurrency',
		'In flight at the server: peak / mean',
		'Wall time',
		floorHeader,
		'× floor',
		'Items ok / failed',
	];
	push(table(header, rows), '');
	push(table(['Ratio (per execution, then median)', 'Wall-time ratio'], unthrottledTargets(runs, branches, targets)), '');
	push(
		`*Concurrency* is what each node is set to; *in flight at the server* counts the requests the fake server held at once (peak: most ` +
			prose`arrivals within one ${L} ms latency; mean: requests × ${L} ms ÷ wall time, Little's law). The HTTP Request node has no
				concurrency ` +
			`setting: without batching it starts every item's request at once; Options → Batching (items per batch, batch interval) starts ` +
			prose`*batch size* requests, sleeps *interval* ms, starts the next batch without waiting for answers, and an interval of 0
				turns batching ` +
			`off altogether (\`HttpRequestV3.node.js\`: \`if (itemIndex > 0 && batchSize >= 0 && batchInterval > 0)\`). So "batch interval 0" ` +
			`gives no concurrency limit at all; the closest equal setting is *c* requests per ${L} ms (the server latency), which keeps about ` +
			`*c* requests in flight while never waiting for them (open loop), whereas the Akool node starts an item only when one of its *c* ` +
			`slots is free (closed loop).`,
		'',
	);
}

/** The equal-concurrency and floor targets; returns the rows of the ratio table. */
function unthrottledTargets(runs, branches, targets) {
	const ratioRows = [];
	const ratioOf = (a, h) => runs.map((r) => r[a.name].ms / r[h.name].ms);
	for (const c of OPTS.concurrency) {
		const [a, h] = ['akool', 'http'].map((kind) => branches.find((b) => b.kind === kind && b.concurrency === c));
		const m = median(ratioOf(a, h));
		ratioRows.push([`${a.name} ÷ ${h.name}`, spread(ratioOf(a, h), fmtX)]);
		const met = m <= TARGETS.equalConcurrency;
		const detail = met ? `${fmtPct(1 - m)} faster` : `${fmtPct(m - 1)} slower than the HTTP Request node`;
		const target = `Equal concurrency ${c}: Akool wall time ≤ ${TARGETS.equalConcurrency.toFixed(1)}× HTTP Request's`;
		targets.push([target, fmtX(m), verdict(met, detail)]);
	}
	const [akoolDefault, httpDefault] = branches;
	ratioRows.push([`${akoolDefault.name} ÷ ${httpDefault.name}`, spread(ratioOf(akoolDefault, httpDefault), fmtX)]);
	const floorMs = (OPTS.n * OPTS.latency) / DEFAULT_CONCURRENCY;
	const floorRatio = median(runs.map((r) => r[akoolDefault.name].ms / floorMs));
	const met = floorRatio <= TARGETS.floor;
	const detail = met
		? `${fmtPct(TARGETS.floor - floorRatio)} of the floor to spare`
		: `${fmtPct(floorRatio - TARGETS.floor)} of the floor over`;
	const target = `Unthrottled at the default concurrency (${DEFAULT_CONCURRENCY}): within ${TARGETS.floor}× of the floor ${fmtS(floorMs)}`;
	targets.push([target, fmtX(floorRatio), verdict(met, detail)]);
	return ratioRows;
}

function throttledReport(R, push, targets) {
	const { runs, branches } = R.throttled;
	const answer = OPTS.rateAnswer === '429' ? 'HTTP 429' : 'code 1005';
	const limit = `a server allowing R = ${OPTS.rate} requests/s (answers ${answer} above it)`;
	push(`### 2. ${OPTS.n} Close items against ${limit}, ${OPTS.latency} ms latency (${plural(runs.length, 'run')})`, '');
	const capacity = (name) =>
		R.unthrottled?.branches.some((x) => x.name === name) ? over(R.unthrottled.runs, name, perSecond, (v) => `${v.toFixed(0)}/s`) : '–';
	const rows = branches.map(({ name }) => [
		name,
		capacity(name),
		over(runs, name, (x) => x.ok, count),
		over(runs, name, (x) => x.failed, count),
		over(runs, name, (x) => x.ms, fmtS),
		over(runs, name, perSecond, (v) => `${v.toFixed(1)}/s`),
		over(runs, name, (x) => perSecond(x) / OPTS.rate, fmtPct),
		over(runs, name, (x) => x.requests, count),
	]);
	const header = ['Node, settings', 'Same node unthrottled (section 1)', 'Completed', 'Failed', 'Wall time', 'Throughput', 'Share of R'];
	push(table([...header, 'Requests sent (incl. refused)'], rows), '');
	const described = (e) => (e.error ? `${e.error}${e.akoolCode ? ` (code ${e.akoolCode})` : ''}` : JSON.stringify(e));
	for (const { name } of branches) {
		const errors = [
			...new Set(
				runs
					.map((r) => r[name].firstError)
					.filter(Boolean)
					.map(described),
			),
		];
		if (errors.length) push(`First failed item of ${name}: ${errors.map((e) => `\`${e}\``).join('; ')}`, '');
	}
	push(
		`Each node has its own fake server, so that every one starts with a fresh per-second window. The HTTP Request node counts Akool's ` +
			`HTTP 200 + code 1005 answer as a success; here an item counts as failed when its body's code is not 1000. Failed Akool items ` +
			`come out with Continue On Fail. Throughput = completed items ÷ the node's wall time.`,
		'',
	);
	const [a, h] = branches;
	const failed = median(runs.map((r) => r[a.name].failed));
	const share = median(runs.map((r) => perSecond(r[a.name]) / OPTS.rate));
	const enough = share >= TARGETS.throttledShare;
	const shareText = enough
		? `${fmtPct(share - TARGETS.throttledShare)} of R above the target`
		: `${fmtPct(TARGETS.throttledShare - share)} of R short`;
	const httpFailed = `HTTP Request at its default: ${median(runs.map((r) => r[h.name].failed))} of ${OPTS.n} failed`;
	const detail = `${failed === 0 ? 'no failures' : `${failed} failed items`}, ${shareText}; ${httpFailed}`;
	const target = `Throttled server (R = ${OPTS.rate}/s): 0 failed items and ≥ ${fmtPct(TARGETS.throttledShare)} of R`;
	targets.push([target, `${failed} failed, ${fmtPct(share)} of R`, verdict(failed === 0 && enough, detail)]);
}

function sweepReport(R, push) {
	const s = R.sweep;
	push(`### Concurrency sweep (in process, ${s.n} items, ${s.latency} ms latency; throttled at R = ${s.rate}/s), one run each`, '');
	const rows = s.unthrottled.map((u) => {
		const t = s.throttled.find((x) => x.concurrency === u.concurrency);
		return [
			u.concurrency === DEFAULT_CONCURRENCY ? `${u.concurrency} (default)` : u.concurrency,
			fmtS(u.ms),
			fmtX(u.ms / u.floorMs),
			t ? `${t.ok} / ${t.failed}` : 'n/a',
			t ? fmtS(t.ms) : 'n/a',
			t ? fmtPct(t.perSecond / s.rate) : 'n/a',
		];
	});
	push(table(['Concurrency', 'Unthrottled wall', '× floor', 'Throttled ok / failed', 'Throttled wall', 'Share of R'], rows), '');
}

function cpuReport(R, push, targets) {
	const c = R.cpu;
	push(`### 3. CPU per item in process (${c.n} items × ${c.reps} repetitions, 0 ms latency, fake server in another process)`, '');
	push(
		table(
			['Measured', 'CPU per item (median)'],
			[
				['The node, Close, default Request Options', fmtUs(c.nodeCpuUsPerItem)],
				["n8n's `httpRequestWithAuthentication` alone, same credential and request options, 5 at a time", fmtUs(c.helperCpuUsPerItem)],
				[
					'Node overhead beyond the helper (per repetition, then median)',
					prose`${fmtUs(c.overheadUsPerItem)} = ${fmtPct(c.overheadRatio)} of the helper (range
						${fmtPct(c.overheadRatioMin)}–${fmtPct(c.overheadRatioMax)})`,
				],
				[
					"… n8n resolving the node's per-item parameters alone (session id expression `{{ $json._id }}`, Options, Request Options)",
					fmtUs(c.paramsCpuUsPerItem),
				],
				['The node with an instant helper (no HTTP): its own code plus those parameter reads', fmtUs(c.stubNodeCpuUsPerItem)],
				[
					"… so the node's own code (instant-helper run minus parameter reads)",
					prose`${fmtUs(c.stubNodeCpuUsPerItem - c.paramsCpuUsPerItem)} =
						${fmtPct((c.stubNodeCpuUsPerItem - c.paramsCpuUsPerItem) / c.helperCpuUsPerItem)} of the helper`,
				],
				[
					'… and the rest of the overhead, only present with real HTTP (GC, timers, connection handling)',
					fmtUs(c.overheadUsPerItem - c.stubNodeCpuUsPerItem),
				],
			],
		),
		'',
	);
	targets.push([
		`Node overhead per item beyond the helper < ${fmtPct(TARGETS.cpuOverhead)} of the helper's cost`,
		`${fmtPct(c.overheadRatio)} (${fmtUs(c.overheadUsPerItem)} of ${fmtUs(c.helperCpuUsPerItem)})`,
		verdict(
			c.overheadRatio < TARGETS.cpuOverhead,
			c.overheadRatio < TARGETS.cpuOverhead
				? `${fmtPct(TARGETS.cpuOverhead - c.overheadRatio)} below`
				: prose`${fmtPct(c.overheadRatio - TARGETS.cpuOverhead)} over; the node's own code alone is
					${fmtPct((c.stubNodeCpuUsPerItem - c.paramsCpuUsPerItem) / c.helperCpuUsPerItem)} of the helper, n8n's parameter
					resolution ${fmtPct(c.paramsCpuUsPerItem / c.helperCpuUsPerItem)}`,
		),
	]);
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const items = (n) => `${n.toLocaleString('en-US')} items`;

function memoryReport(R, push, targets) {
	const m = R.memory;
	const sizes = OPTS.memSizes;
	const [first, last] = [sizes[0], sizes.at(-1)];
	const runs = OPTS.memRuns > 1 ? `, median of ${OPTS.memRuns} runs` : ', 1 run each';
	push(`### 4. Memory: peak RSS of the n8n process (\`n8n execute\`, VmHWM from /proc sampled every 20 ms), 0 ms latency${runs}`, '');
	const variants = [...new Set(m.map((x) => x.variant))];
	const labelOf = (v) => m.find((x) => x.variant === v).label;
	const of = (v, size) => m.filter((x) => x.variant === v && x.size === size);
	const rss = (v, size) => median(of(v, size).map((x) => x.peakRssKb));
	/** Bytes of RSS per item between two sizes. */
	const slope = (v, from, to) => ((rss(v, to) - rss(v, from)) * 1024) / (to - from);
	const rows = variants.map((v) => [
		labelOf(v),
		...sizes.map((s) => (rss(v, s) === undefined ? '–' : fmtMB(rss(v, s)))),
		kB(slope(v, first, last)),
	]);
	push(table(['Workflow', ...sizes.map(items), `Growth per item ${first}→${last}`], rows), '');
	const okCell = (r) => (r.length ? `${median(r.map((x) => x.ok))} ok, ${fmtS(median(r.map((x) => x.ms)))}` : '–');
	const okRows = variants.filter((v) => v !== 'baseline').map((v) => [labelOf(v), ...sizes.map((s) => okCell(of(v, s)))]);
	push(table(['Items ok, node wall time', ...sizes.map(items)], okRows), '');
	// Linear: the node's memory above the baseline grows no faster per item in the last step than in the first.
	const stepsOf = (v) => sizes.slice(1).map((s, i) => slope(v, sizes[i], s));
	const steps = stepsOf('akool');
	push(
		prose`Above the baseline the Akool node adds ${sizes.map((s) => fmtMB(rss('akool', s) - rss('baseline', s))).join(', ')} at
			${sizes.map((s) => s.toLocaleString('en-US')).join(', ')} items. Growth per item, step by step: Akool
			${steps.map(kB).join(', ')}; baseline ${stepsOf('baseline').map(kB).join(', ')}. RSS includes n8n itself
			(~${fmtMB(rss('baseline', first))} with ${first} items and no requests), its copy of every node's output items, and the JSON
			of the whole execution that \`n8n execute --rawOutput\` prints and saves; V8 returns memory lazily, so single RSS values carry
			tens of MB of noise.`,
		'',
	);
	const superlinear = steps.length > 1 && steps.at(-1) > 1.5 * Math.max(steps[0], 1024) + 1024;
	const growth = `per-item growth ${steps.map(kB).join(' then ')}: ${superlinear ? 'grows faster than linearly' : 'no faster than linear'}`;
	const perItem = `${kB(slope('akool', first, last))} per item from ${first} to ${last}`;
	const measured = `${fmtMB(rss('akool', last))} peak at ${items(last)}; ${perItem}`;
	targets.push([
		'Memory linear in items',
		measured,
		verdict(!superlinear, steps.length > 1 ? growth : 'two sizes only: linearity not checked'),
	]);
}

function packageReport(R, push, targets) {
	const p = R.package;
	push('### Package', '');
	push(
		table(
			['Packed tarball', 'Unpacked', 'Files', 'Runtime dependencies', 'Peer dependencies'],
			[
				[
					`${fmtKB(p.bytes)} (${p.bytes} bytes)`,
					fmtKB(p.unpackedBytes),
					p.files,
					p.runtimeDependencies.length ? p.runtimeDependencies.join(', ') : '0',
					JSON.stringify(p.peerDependencies),
				],
			],
		),
		'',
	);
	targets.push([
		`Packed tarball: 0 runtime dependencies, under ${fmtKB(TARGETS.tarballBytes)}`,
		`${p.runtimeDependencies.length} dependencies, ${fmtKB(p.bytes)}`,
		verdict(
			p.runtimeDependencies.length === 0 && p.bytes < TARGETS.tarballBytes,
			p.bytes < TARGETS.tarballBytes
				? `${fmtKB(TARGETS.tarballBytes - p.bytes)} to spare`
				: `${fmtKB(p.bytes - TARGETS.tarballBytes)} over`,
		),
	]);
}

function report(R) {
	const lines = [];
	const targets = [];
	const push = (...xs) => lines.push(...xs);
	const machine = prose`${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}),
		${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Linux ${release()}`;
	const loads = loadSamples.length
		? prose`${min(loadSamples).toFixed(2)}–${max(loadSamples).toFixed(2)} (1-minute load average sampled before and after every
			execution; median ${median(loadSamples).toFixed(2)})`
		: 'n/a';

	push(`${SECTION_HEADING}${OPTS.quick ? ' — quick run (small N, 1 run; indicative only)' : ''}`, '', SECTION_START, '');
	push(
		prose`The Akool Live Avatar node against n8n's own HTTP Request node sending the same Close request with the same \`akoolApi\`
			credential (as a predefined credential type), in real n8n, against the fake Akool server of \`test/fake-akool\`. Generated
			by \`test/bench/run.mjs\`; do not edit by hand, run it again.`,
		'',
	);
	push(`- **Date:** ${R.date}`);
	push(`- **Command:** \`${RENDER_COMMAND ?? COMMAND_RUN}\``);
	push(`- **Machine:** ${machine}`);
	push(`- **Load during the run:** ${loads}; \`uptime\` before: \`${R.uptimeBefore}\`; after: \`${R.uptimeAfter}\``);
	push(
		prose`- **Software:** n8n ${OPTS.n8n} on Node ${R.n8nNode} (the e2e suite's cached install, package installed from its \`npm
			pack\` tarball as n8n installs community packages); HTTP Request node v${HTTP_REQUEST_VERSION} (its default version in this
			n8n); in-process parts on Node ${process.versions.node} with n8n-core ${R.coreVersion}`,
	);
	push(`- **Total time:** ${fmtS(R.totalMs)}`, '');
	push(
		prose`Times are the measured node's own \`executionTime\` from n8n's execution data (\`n8n execute --rawOutput\`), not process
			start-up. Each measured node gets its items from its own Code node and the pairs run one after the other in one execution,
			in alternating order from run to run; ratios are computed within each execution (pair by pair) and then the median is taken,
			so that machine noise shared by both cancels. Cells show the median and, in brackets, the range over runs.`,
		'',
	);

	if (R.unthrottled) unthrottledReport(R, push, targets);
	if (R.throttled) throttledReport(R, push, targets);
	if (R.sweep) sweepReport(R, push, targets);
	if (R.cpu) cpuReport(R, push, targets);
	if (R.memory?.length) memoryReport(R, push, targets);
	if (R.package) packageReport(R, push, targets);

	const head = ['### Targets', '', table(['Target', 'Measured', 'Result'], targets), ''];
	const firstSection = lines.findIndex((l) => l.startsWith('### '));
	lines.splice(firstSection === -1 ? lines.length : firstSection, 0, ...head);
	if (R.notes) lines.push(R.notes.trim(), '');
	lines.push(SECTION_END);
	return lines.join('\n');
}

/**
 * BENCHMARKS.md is shared with other benchmarks (e.g. test/scale's "## Queue mode"): this one owns the
 * lines from its "## " heading to its end marker and replaces only those, in place, or appends them.
 */
const SECTION_HEADING = '## Akool node vs HTTP Request node (`npm run bench`)';
const SECTION_START = '<!-- Generated by test/bench/run.mjs (npm run bench) down to the end marker; other sections are left alone. -->';
const SECTION_END = '<!-- end of npm run bench -->';

function writeSection(file, markdown) {
	let text;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		text = '# Benchmarks\n\n';
	}
	const lines = text.split('\n');
	const start = lines.findIndex((l) => l.startsWith(SECTION_HEADING));
	if (start === -1) {
		text = `${text.replace(/\n*$/, '\n\n')}${markdown}\n`;
	} else {
		let end = lines.findIndex((l, i) => i > start && l === SECTION_END);
		if (end === -1) {
			// No end marker (edited by hand?): up to the next "## " heading, as the other writers do.
			end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
			end = end === -1 ? lines.length - 1 : end - 1;
		}
		lines.splice(start, end - start + 1, ...markdown.split('\n'));
		text = lines.join('\n');
	}
	writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

// ---- main ---------------------------------------------------------------------------------------------

/** --render <results.json>: the report of an earlier run (saved with --json), e.g. after editing NOTES.md. */
function render() {
	const saved = JSON.parse(readFileSync(OPTS.render, 'utf8'));
	const { options, loadSamples: samples = [], command, ...R } = saved;
	Object.assign(OPTS, { ...options, out: OPTS.out === undefined ? undefined : (given.out ?? join(REPO, 'BENCHMARKS.md')) });
	loadSamples.push(...samples);
	if (command) RENDER_COMMAND = command;
	R.notes = readNotes();
	DEFAULT_CONCURRENCY = R.defaultConcurrency ?? DEFAULT_CONCURRENCY;
	const markdown = report(R);
	say(markdown);
	if (OPTS.out) writeSection(OPTS.out, markdown);
}

/** The sections measured in real n8n: unthrottled, throttled, memory. */
async function inN8n(R, pkg, root, servers) {
	const install = ensureN8n(OPTS.n8n);
	R.n8nNode = execFileSync(install.nodeBin, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
	const start = async (options) => servers[servers.push(await startFakeAkool({ recordRequests: false, ...options })) - 1];
	const fast = await start({ latencyMs: OPTS.latency });
	const mem = await start({ latencyMs: 0 });
	const limited = [];
	for (let i = 0; i < 3; i++)
		limited.push(await start({ latencyMs: OPTS.latency, rateLimit: { perSecond: OPTS.rate, answer: OPTS.rateAnswer } }));
	const credential = (id, server) => ({ id, name: `Bench ${id}`, data: { authMethod: 'apiKey', apiKey: API_KEY, baseUrl: server.url } });
	const creds = {
		fast: credential('benchFast', fast),
		mem: credential('benchMem', mem),
		limited: limited.map((s, i) => credential(`benchLimited${i}`, s)),
	};
	const ref = (c) => ({ id: c.id, name: c.name });
	const fastBranches = unthrottledBranches(fast, ref(creds.fast));
	const limitedBranches = throttledBranches(limited, creds.limited.map(ref));
	const memBranches = existsSync('/proc/self/status') ? memoryBranches(mem, ref(creds.mem)) : [];
	const chain = (id, name, branches) => chainWorkflow({ id, name, branches });
	const workflows = [
		chain('benchFastForward', 'bench: unthrottled', fastBranches),
		chain('benchFastReverse', 'bench: unthrottled (reverse order)', [...fastBranches].reverse()),
		chain('benchThrottledForward', 'bench: throttled', limitedBranches),
		chain('benchThrottledReverse', 'bench: throttled (reverse order)', [...limitedBranches].reverse()),
		...memBranches.map((b) => chain(b.id, `bench: memory ${b.variant} ${b.size}`, [b])),
	];
	const t0 = Date.now();
	const n8n = await userFolder({ install, folder: join(root, 'user'), encryptionKey: 'bench-encryption-key-not-a-secret' });
	await installPackage(n8n.folder, pkg.tarball);
	await n8n.importAll({ credentials: [creds.fast, creds.mem, ...creds.limited], workflows });
	log(`n8n ${OPTS.n8n} user folder ready in ${fmtS(Date.now() - t0)}`);
	if (wants('unthrottled'))
		R.unthrottled = { branches: fastBranches.map(({ node, ...b }) => b), runs: await unthrottledSection(n8n, fast, fastBranches) };
	if (wants('throttled'))
		R.throttled = { branches: limitedBranches.map(({ node, server, ...b }) => b), runs: await throttledSection(n8n, limitedBranches) };
	if (wants('memory') && !memBranches.length) log('memory: /proc is not available here, skipped');
	if (wants('memory') && memBranches.length) R.memory = await memorySection(n8n, mem, memBranches);
}

/** The sections measured in process, on the very dist that was packed: cpu, sweep. */
async function inProcess(R, pkg, root) {
	mkdirSync(join(root, 'extracted'), { recursive: true });
	execFileSync('tar', ['-xzf', pkg.tarball, '-C', join(root, 'extracted')]);
	const distDir = join(root, 'extracted', 'package', 'dist');
	if (wants('cpu')) {
		log('cpu: in process…');
		R.cpu = await runInProcess(['cpu', '--n', String(OPTS.cpuN), '--reps', String(OPTS.cpuReps)], distDir);
		log(`cpu: node ${fmtUs(R.cpu.nodeCpuUsPerItem)}, helper ${fmtUs(R.cpu.helperCpuUsPerItem)} per item`);
	}
	if (wants('sweep')) {
		log('sweep: in process…');
		const args = [
			'--n',
			String(Math.min(OPTS.n, 500)),
			'--latency',
			String(OPTS.latency),
			'--rate',
			String(OPTS.rate),
			'--concurrency',
			'1,2,5,10,20',
		];
		R.sweep = await runInProcess(['sweep', ...args], distDir);
	}
}

async function measure(R, root) {
	const t0 = Date.now();
	const pkg = await packageInfo(root);
	R.package = wants('package') ? pkg : undefined;
	log(`${OPTS.tarball ? 'using' : 'packed'} ${pkg.tarball} (${fmtKB(pkg.bytes)}) in ${fmtS(Date.now() - t0)}`);
	const routerJs = execFileSync('tar', ['-xzOf', pkg.tarball, 'package/dist/nodes/AkoolLiveAvatar/actions/router.js'], {
		encoding: 'utf8',
	});
	DEFAULT_CONCURRENCY = Number(/DEFAULT_CONCURRENCY = (\d+)/.exec(routerJs)?.[1] ?? 5);
	R.coreVersion = JSON.parse(readFileSync(require.resolve('n8n-core/package.json', { paths: [REPO] }), 'utf8')).version;
	const servers = [];
	try {
		if (['unthrottled', 'throttled', 'memory'].some(wants)) await inN8n(R, pkg, root, servers);
		if (['cpu', 'sweep'].some(wants)) await inProcess(R, pkg, root);
	} finally {
		await Promise.all(servers.map((s) => s.close()));
	}
}

const readNotes = () =>
	existsSync(join(REPO, 'test/bench/NOTES.md')) ? readFileSync(join(REPO, 'test/bench/NOTES.md'), 'utf8') : undefined;

async function main() {
	if (OPTS.render) return render();
	const started = Date.now();
	const R = { date: new Date().toISOString(), uptimeBefore: uptime() };
	const root = mkdtempSync(join(tmpdir(), 'akool-bench-'));
	const loadTimer = setInterval(sampleLoad, 10_000);
	sampleLoad();
	log(`options: ${JSON.stringify(OPTS)}`);
	try {
		await measure(R, root);
	} finally {
		clearInterval(loadTimer);
		if (OPTS.keep) log(`kept ${root}`);
		else rmSync(root, { recursive: true, force: true });
	}
	sampleLoad();
	Object.assign(R, { uptimeAfter: uptime(), totalMs: Date.now() - started, notes: readNotes() });
	const markdown = report(R);
	say(markdown);
	if (OPTS.out) writeSection(OPTS.out, markdown);
	if (OPTS.out) log(`wrote ${relative(process.cwd(), OPTS.out) || OPTS.out}`);
	const saved = { options: OPTS, command: COMMAND_RUN, loadSamples, defaultConcurrency: DEFAULT_CONCURRENCY, ...R, notes: undefined };
	if (OPTS.json) writeFileSync(OPTS.json, JSON.stringify(saved, null, 2));
}

main().catch((error) => {
	log(`crashed: ${error.stack}`);
	process.exitCode = 1;
});
