// `npm run bench`: the Akool node against n8n's HTTP Request node in real n8n (results: BENCHMARKS.md; sections: SECTIONS
// of report.mjs, --only picks some). Packs this package into a user folder of the cached n8n, fake Akool servers in this
// process, `n8n execute`; cpu and sweep run in process (inprocess.mjs). Prints a markdown report (NOTES.md appended); a
// full run writes it into BENCHMARKS.md. Timings never fail a build.
//   npm run bench [-- --quick --skip-build --<name in OPTIONS> <value>]   --quick: small N, 1 run, prints only (CI); full: 8–15 min
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import { writeSection } from '../lib/benchmarksFile.mjs';
import { NEWEST_N8N, ensureN8n } from '../lib/install.mjs';
import { series } from '../lib/pool.mjs';
import { REPO, buildAndPack, installPackage, onStop, readJson, runOrThrow, tail, userFolder } from '../lib/n8n.mjs';
import { logger, say } from '../lib/report.mjs';
import { fmtKB, fmtMB, fmtS, peakInFlight } from '../lib/stats.mjs';
import { SECTION_HEADING, report } from './report.mjs';
import { akoolClose, branchPrefix, chainWorkflow, httpClose, noOp, sessionId } from './workflows.mjs';

const require = createRequire(import.meta.url);
const { startFakeAkool } = require('../fake-akool/server.js');
const log = logger('bench');

const list = (text) => text.split(/\s*,\s*/).filter(Boolean);
const numbers = (text) => list(text).map(Number);
/** Options with a value: [quick run's default, full run's default, parser]. */
const OPTIONS = {
	n: [100, 1000],
	runs: [1, 4],
	'throttled-runs': [1, 3],
	latency: [20, 20],
	rate: [50, 100],
	concurrency: ['5', '5,10', numbers],
	'mem-sizes': ['200,1000', '1000,4000,10000', numbers],
	'cpu-n': [300, 2000],
	'cpu-reps': [1, 5],
	only: ['unthrottled,throttled,cpu,memory,package', 'unthrottled,throttled,cpu,sweep,memory,package', list],
	n8n: [NEWEST_N8N, NEWEST_N8N, String],
};
const argv = process.argv.slice(2);
const flags = { quick: { type: 'boolean' }, 'skip-build': { type: 'boolean' } };
for (const name of Object.keys(OPTIONS)) flags[name] = { type: 'string' };
const { values: given } = parseArgs({ args: argv, options: flags });
const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());
const valueOf = ([name, [quick, full, parse = Number]]) => [camel(name), parse(given[name] ?? (given.quick ? quick : full))];
const OPTS = { ...Object.fromEntries(Object.entries(OPTIONS).map(valueOf)), quick: given.quick, skipBuild: given['skip-build'] };
const wants = (...sections) => sections.some((section) => OPTS.only.includes(section));
const COMMAND = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');

const loadSamples = [];
const sampleLoad = () => loadSamples.push(loadavg()[0]);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

/** The packed package, extracted into `<root>/package`: its figures and its dist (measured in process). */
async function unpack(root) {
	const { tarball, info } = await buildAndPack(root, { skipBuild: OPTS.skipBuild });
	execFileSync('tar', ['-xzf', tarball, '-C', root]);
	const dir = join(root, 'package');
	const pkg = readJson(join(dir, 'package.json'));
	const router = readFileSync(join(dir, 'dist/nodes/AkoolLiveAvatar/actions/router.js'), 'utf8');
	return {
		tarball,
		dist: join(dir, 'dist'),
		defaultConcurrency: Number(/DEFAULT_CONCURRENCY = (\d+)/.exec(router)?.[1] ?? 5),
		...{ bytes: info.size, unpackedBytes: info.unpackedSize, files: info.entryCount },
		runtimeDependencies: [...Object.keys(pkg.dependencies ?? {}), ...(pkg.bundleDependencies ?? pkg.bundledDependencies ?? [])],
		peerDependencies: pkg.peerDependencies ?? {},
	};
}

/** Resets a fake server (its recorded requests too) and opens the sessions of its `branches` under their ids. */
function prepareFake(fake, branches) {
	fake.reset();
	for (const { prefix, count } of branches.filter((b) => b.server === fake))
		fake.addSessions(Array.from({ length: count }, (_, i) => sessionId(prefix, i)));
}

/** Items a node finished: the Akool node's have no `error`; the HTTP Request node's carry Akool's code 1000. */
const SUCCEEDED = { akool: (json) => json?.error === undefined, http: (json) => json?.code === 1000, noop: () => true };

/** One workflow execution of `branches` (each { name, kind, count, prefix, server, node }): per branch, what it did. */
async function executeBranches(n8n, id, branches) {
	for (const server of new Set(branches.map((b) => b.server))) prepareFake(server, branches);
	sampleLoad();
	const result = await n8n.execute(id, { sampleMemory: true, timeoutMs: 600_000 });
	sampleLoad();
	if (!result.execution) throw new Error(`n8n execute --id=${id} printed no execution (exit ${result.code}):\n${tail(result)}`);
	const { error, runData } = result.execution.data.resultData;
	if (error) throw new Error(`execution ${id} failed in node "${error.node?.name}": ${error.message}`);
	const out = {};
	for (const b of branches) {
		const run = runData?.[b.name]?.[0];
		if (!run) throw new Error(`execution ${id}: no run data for node "${b.name}"`);
		const items = run.data?.main?.[0] ?? [];
		const ok = items.filter((item) => SUCCEEDED[b.kind](item.json)).length;
		const arrived = b.server.requests.filter((r) => String(r.body?.id).startsWith(b.prefix)).map((r) => r.at);
		const firstError = items.find((item) => !SUCCEEDED[b.kind](item.json))?.json;
		const inFlight = peakInFlight(arrived, b.server.config.latencyMs);
		out[b.name] = { ms: run.executionTime, ok, failed: b.count - ok, requests: arrived.length, peakInFlight: inFlight, firstError };
	}
	return { peakRssKb: result.peakRssKb, out };
}

const summary = (x) => `${x.ok} ok ${x.failed} failed ${fmtS(x.ms)}`;

async function alternating(n8n, title, runs, branches) {
	const results = await series([...Array(runs).keys()], async (r) => {
		const { out } = await executeBranches(n8n, `${title}${r % 2 ? 'Reverse' : 'Forward'}`, branches);
		log(`${title} run ${r + 1}/${runs}: ${branches.map((b) => `${b.name} ${summary(out[b.name])}`).join(', ')}`);
		return out;
	});
	return { branches, runs: results };
}

/** The measured nodes of each section in real n8n (`fast`, `mem`, `limited`: the fake servers they talk to). */
function branchesOf({ fast, mem, limited }, dc) {
	const akool = (server, concurrency) => ({ kind: 'akool', node: akoolClose({ credential: server.ref, concurrency }) });
	const http = (server, batch) => ({ kind: 'http', node: httpClose({ baseUrl: server.url, credential: server.ref, batch }) });
	const [akoolDefault, httpDefault] = [`Akool, default (concurrency ${dc})`, 'HTTP Request, default (no batching)'];
	const unthrottled = [
		{ name: akoolDefault, concurrency: dc, ...akool(fast) },
		{ name: httpDefault, concurrency: OPTS.n, ...http(fast) },
	];
	for (const c of OPTS.concurrency) {
		if (c !== dc) unthrottled.push({ name: `Akool, concurrency ${c}`, concurrency: c, ...akool(fast, c) });
		const batch = { batchSize: c, batchInterval: OPTS.latency };
		unthrottled.push({ name: `HTTP Request, batching ${c} per ${OPTS.latency} ms`, concurrency: c, ...http(fast, batch) });
	}
	const tuned = { batchSize: Math.max(1, Math.round(OPTS.rate / 10)), batchInterval: 100 };
	const throttled = [
		{ name: akoolDefault, ...akool(limited[0]) },
		{ name: httpDefault, ...http(limited[1]) },
		{ name: `HTTP Request, batching ${tuned.batchSize} per 100 ms (tuned to R)`, ...http(limited[2], tuned) },
	];
	const variants = [
		{ variant: 'baseline', label: 'n8n baseline (Code → No Operation)', kind: 'noop', node: noOp() },
		{ variant: 'akool', label: akoolDefault, ...akool(mem) },
		{ variant: 'http', label: httpDefault, ...http(mem) },
	];
	// The HTTP Request node is the reference at the smallest and largest size only (it saves minutes).
	const ends = [OPTS.memSizes[0], OPTS.memSizes.at(-1)];
	const memory = OPTS.memSizes.flatMap((size, s) =>
		variants
			.filter((v) => v.variant !== 'http' || ends.includes(size))
			.map((v, i) => ({ ...v, size, count: size, id: `benchMem${v.variant}${size}`, prefix: branchPrefix(200 + s * 10 + i) })),
	);
	return {
		unthrottled: unthrottled.map((b, i) => ({ ...b, prefix: branchPrefix(i + 1), count: OPTS.n, server: fast })),
		throttled: throttled.map((b, i) => ({ ...b, prefix: branchPrefix(100 + i), count: OPTS.n, server: limited[i] })),
		memory: memory.map((b) => ({ ...b, name: `Measured ${b.variant}`, server: mem })),
	};
}

async function inN8n(R, pkg, root, servers) {
	const install = ensureN8n(OPTS.n8n);
	R.n8nNode = execFileSync(install.nodeBin, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
	/** A fake server with the credential that points at it (`ref`: how a workflow names it). */
	const start = async (id, options) => {
		const server = await startFakeAkool({ latencyMs: OPTS.latency, ...options });
		servers.push(server);
		return Object.assign(server, { ref: { id, name: `Bench ${id}` } });
	};
	const rateLimit = { perSecond: OPTS.rate, answer: '1005' };
	const fakes = { fast: await start('benchFast'), mem: await start('benchMem', { latencyMs: 0, recordRequests: false }) };
	fakes.limited = await series([0, 1, 2], (i) => start(`benchLimited${i}`, { rateLimit }));
	const sections = branchesOf(fakes, R.defaultConcurrency);
	const workflows = Object.entries({ unthrottled: sections.unthrottled, throttled: sections.throttled }).flatMap(([title, branches]) => [
		chainWorkflow({ id: `${title}Forward`, name: `bench: ${title}`, branches }),
		chainWorkflow({ id: `${title}Reverse`, name: `bench: ${title} (reverse order)`, branches: [...branches].reverse() }),
	]);
	workflows.push(...sections.memory.map((b) => chainWorkflow({ id: b.id, name: `bench: memory ${b.variant} ${b.size}`, branches: [b] })));
	const credentials = servers.map((s) => ({ ...s.ref, data: { authMethod: 'apiKey', apiKey: 'test-api-key', baseUrl: s.url } }));
	const t0 = Date.now();
	const n8n = await userFolder({ install, folder: join(root, 'user'), encryptionKey: 'bench-encryption-key-not-a-secret' });
	await installPackage(n8n.folder, pkg.tarball);
	await n8n.importAll({ credentials, workflows });
	log(`n8n ${OPTS.n8n} user folder ready in ${fmtS(Date.now() - t0)}`);
	if (wants('unthrottled')) R.unthrottled = await alternating(n8n, 'unthrottled', OPTS.runs, sections.unthrottled);
	if (wants('throttled')) R.throttled = await alternating(n8n, 'throttled', OPTS.throttledRuns, sections.throttled);
	// Each memory workflow once: peak RSS and what the node did.
	if (wants('memory'))
		R.memory = await series(sections.memory, async (b) => {
			const { peakRssKb, out } = await executeBranches(n8n, b.id, [b]);
			log(`memory ${b.variant} ${b.size}: peak RSS ${fmtMB(peakRssKb)}, ${summary(out[b.name])}`);
			return { ...b, peakRssKb, ...out[b.name] };
		});
}

/** One measurement of the packed dist by inprocess.mjs, in a process of its own. */
async function inProcess(pkg, options) {
	log(`${options.mode}: in process…`);
	const args = ['--expose-gc', join(REPO, 'test/bench/inprocess.mjs'), JSON.stringify({ ...options, dist: pkg.dist })];
	const { stdout } = await runOrThrow(process.execPath, args, { timeoutMs: 1_800_000 });
	return JSON.parse(stdout.trim().split('\n').pop());
}

async function main() {
	const started = Date.now();
	const R = { date: new Date().toISOString(), uptimeBefore: uptime(), loadSamples, coreVersion: require('n8n-core/package.json').version };
	const root = mkdtempSync(join(tmpdir(), 'akool-bench-'));
	const stop = onStop(() => rmSync(root, { recursive: true, force: true }));
	const loadTimer = setInterval(sampleLoad, 10_000);
	const servers = [];
	sampleLoad();
	log(`options: ${JSON.stringify(OPTS)}`);
	try {
		const { defaultConcurrency, ...pkg } = await unpack(root);
		log(`packed ${pkg.tarball} (${fmtKB(pkg.bytes)}) in ${fmtS(Date.now() - started)}`);
		Object.assign(R, { defaultConcurrency, package: wants('package') ? pkg : undefined });
		if (wants('unthrottled', 'throttled', 'memory')) await inN8n(R, pkg, root, servers);
		if (wants('cpu')) R.cpu = await inProcess(pkg, { mode: 'cpu', n: OPTS.cpuN, reps: OPTS.cpuReps });
		const sweep = { mode: 'sweep', n: Math.min(OPTS.n, 500), latency: OPTS.latency, rate: OPTS.rate, concurrency: [1, 2, 5, 10, 20] };
		if (wants('sweep')) R.sweep = await inProcess(pkg, sweep);
	} finally {
		clearInterval(loadTimer);
		await Promise.all(servers.map((s) => s.close()));
		await stop();
	}
	sampleLoad();
	Object.assign(R, { uptimeAfter: uptime(), totalMs: Date.now() - started });
	const markdown = report({ ...R, notes: readFileSync(join(REPO, 'test/bench/NOTES.md'), 'utf8') }, OPTS, COMMAND);
	say(markdown);
	if (!OPTS.quick) log(`wrote ${relative(process.cwd(), writeSection(SECTION_HEADING, markdown))}`);
}

main().catch((error) => {
	log(`crashed: ${error.stack}`);
	process.exitCode = 1;
});
