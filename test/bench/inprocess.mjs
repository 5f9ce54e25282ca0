// In-process part of the benchmark (run by run.mjs in its own process; usable alone):
//
//   node --expose-gc test/bench/inprocess.mjs cpu [--n 2000] [--reps 5] [--dist <dist folder>]
//   node test/bench/inprocess.mjs sweep [--n 500] [--latency 20] [--rate 100] [--concurrency 1,2,5,10,20] [--dist …]
//
// The node runs exactly as the unit tests run it: test/harness/runNode.ts (n8n-core's real ExecuteContext, real
// parameter and expression resolution, the real axios-based httpRequestWithAuthentication, the credential's
// own authenticate), compiled with the repo's tsc next to the measured dist so that it loads that build.
// `cpu`: CPU time per item of the node's Close beyond the cost of n8n's own request helper, against the fake
// Akool server in a *separate* process with 0 ms latency (so process.cpuUsage() counts the client side only).
// Each repetition measures, back to back:
//   node    N items through the node (default Request Options);
//   helper  N direct calls of httpRequestWithAuthentication with the request the node sends, 5 at a time;
//   params  the node's per-item parameter reads alone (session id by expression, options, requestOptions);
//   stub    N items through the node with the helper answering at once: its own work plus those reads.
// `sweep`: wall time and failures of N items at several concurrency values, against a server with `latency`
// and no limit, then against one that allows `rate` requests per second (answering 1005 above it).
// Prints one JSON document on stdout. n8n-workflow and n8n-core come from this repo's node_modules.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { REPO, runOrThrow } from '../lib/n8n.mjs';
import { median } from '../lib/stats.mjs';
import { closeParameters } from './workflows.mjs';

const { values: opts, positionals } = parseArgs({
	allowPositionals: true,
	options: Object.fromEntries(['n', 'reps', 'latency', 'rate', 'concurrency', 'dist'].map((name) => [name, { type: 'string' }])),
});
const { ROUTE_PATH } = createRequire(import.meta.url)('../fake-akool/server.js');

/** Compiles test/harness/runNode.ts with the repo's tsc into `<dist>/test/harness`, where it loads `<dist>/nodes`. */
async function compileHarness(dist) {
	const scratch = mkdtempSync(join(tmpdir(), 'akool-bench-harness-'));
	try {
		const compilerOptions = {
			outDir: join(scratch, 'out'),
			rootDir: REPO,
			declaration: false,
			sourceMap: false,
			types: ['node'],
			typeRoots: [join(REPO, 'node_modules/@types')],
		};
		const tsconfig = { extends: join(REPO, 'tsconfig.json'), compilerOptions, files: [join(REPO, 'test/harness/runNode.ts')], include: [] };
		writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig));
		await runOrThrow(join(REPO, 'node_modules/.bin/tsc'), ['-p', join(scratch, 'tsconfig.json')]);
		const compiled = join(scratch, 'out', 'test', 'harness');
		for (const file of readdirSync(compiled)) cpSync(join(compiled, file), join(dist, 'test', 'harness', file));
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** Starts test/fake-akool/cli.js in its own process; resolves with { url, stop() }. */
function startFakeProcess({ latency = 0, rate = 0 } = {}) {
	return new Promise((resolvePromise, reject) => {
		const cliArgs = [join(REPO, 'test/fake-akool/cli.js'), '--record', 'false', '--latency', String(latency)];
		if (rate > 0) cliArgs.push('--rate-limit', String(rate), '--rate-limit-answer', '1005');
		const child = spawn(process.execPath, cliArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
		let text = '';
		child.on('error', reject);
		child.stdout.on('data', (chunk) => {
			text += chunk;
			const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
			if (!url) return;
			child.stdout.removeAllListeners('data');
			child.stdout.resume();
			resolvePromise({ url, stop: () => child.kill('SIGTERM') });
		});
	});
}

/** Opens `count` sessions on the fake server; returns their ids. */
async function openSessions(url, count) {
	const ids = [];
	for (let left = count; left > 0; left -= 5000) {
		const body = JSON.stringify({ count: Math.min(left, 5000) });
		const added = await (await fetch(`${url}/__fake/sessions`, { method: 'POST', body })).json();
		ids.push(...added.map((s) => s._id));
	}
	return ids;
}

/** The measurement kit: the compiled harness, and the node's Close over `ids` as the harness runs it. */
async function kit(dist) {
	// n8n-core reads its settings from the environment when first loaded: keep it out of the home folder.
	const scratch = mkdtempSync(join(tmpdir(), 'akool-bench-inprocess-'));
	process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
	process.env.N8N_USER_FOLDER ??= scratch;
	process.env.N8N_ENCRYPTION_KEY ??= 'bench-only-encryption-key';
	// A dist outside the repo (the extracted tarball, a scratch copy) finds n8n-core and n8n-workflow in the repo's node_modules.
	process.env.NODE_PATH = join(REPO, 'node_modules');
	Module._initPaths();
	const { executeContext } = Module.createRequire(join(REPO, 'package.json'))(join(dist, 'test/harness/runNode.js'));
	const close = (url, ids, concurrency) =>
		executeContext({
			parameters: closeParameters(concurrency),
			items: ids.map((_id) => ({ _id })),
			credentials: { authMethod: 'apiKey', apiKey: 'test-api-key', baseUrl: url },
			continueOnFail: true,
		});
	return { close };
}

const cpuMicros = (usage) => usage.user + usage.system;
/** CPU µs and wall ms of `fn`, after a garbage collection. */
async function measured(fn) {
	globalThis.gc?.();
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const value = await fn();
	return { value, cpu: cpuMicros(process.cpuUsage(c0)), ms: performance.now() - t0 };
}

const fakeIds = (n) => Array.from({ length: n }, (_, i) => `be${i.toString(16).padStart(22, '0')}`);
/** Akool's answer to a Close, as the helper returns it to the node (full response, body as text). */
const STUB_RESPONSE = {
	statusCode: 200,
	statusMessage: 'OK',
	headers: { 'content-type': 'application/json' },
	body: '{"code":1000,"msg":"OK"}',
};

/** N items through the node; with `stubHelper`, the helper answers at once (no HTTP). */
async function measureNode({ close }, url, n, { stubHelper = false } = {}) {
	const { context, nodeType } = close(url, stubHelper ? fakeIds(n) : await openSessions(url, n));
	if (stubHelper) context.helpers.httpRequestWithAuthentication = async () => ({ ...STUB_RESPONSE });
	const { value, cpu, ms } = await measured(() => nodeType.execute.call(context));
	const [out] = value;
	const failed = out.filter((item) => item.json.error !== undefined);
	if (out.length !== n || failed.length)
		throw new Error(`node: ${out.length} items out of ${n}, ${failed.length} failed: ${JSON.stringify(failed[0]?.json)}`);
	return { cpuUsPerItem: cpu / n, ms };
}

/** The request the node sends for one Close, through the same helper, 5 at a time. */
async function measureHelper({ close }, url, n) {
	const ids = await openSessions(url, n);
	const { context } = close(url, ids);
	const request = (id) => ({
		method: 'POST',
		url: `${url}${ROUTE_PATH.closeSession}`,
		headers: { Accept: 'application/json' },
		body: { id, session_id: id },
		json: true,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 30_000,
	});
	let next = 0;
	let bad = 0;
	const worker = async () => {
		for (let i = next++; i < n; i = next++) {
			const response = await context.helpers.httpRequestWithAuthentication.call(context, 'akoolApi', request(ids[i]));
			if (response.statusCode !== 200) bad++;
		}
	};
	const { cpu, ms } = await measured(() => Promise.all(Array.from({ length: 5 }, worker)));
	if (bad) throw new Error(`helper: ${bad} of ${n} requests failed`);
	return { cpuUsPerItem: cpu / n, ms };
}

/** What the node reads per item through n8n (close.operation.ts, transport/). */
async function measureParams({ close }, url, n) {
	const { context } = close(url, fakeIds(n));
	const { cpu } = await measured(() => {
		for (let i = 0; i < n; i++) {
			context.getNodeParameter('sessionId', i, undefined, { extractValue: true });
			context.getNodeParameter('options', i, {});
			context.getNodeParameter('requestOptions', i, {});
		}
	});
	return { cpuUsPerItem: cpu / n };
}

/** One repetition: node and helper in alternating order (drift in the machine's load favours neither), then the rest. */
async function repetition(k, url, n, rep) {
	const run = {};
	for (const what of rep % 2 ? ['helper', 'node'] : ['node', 'helper']) {
		run[what] = what === 'node' ? await measureNode(k, url, n) : await measureHelper(k, url, n);
	}
	run.params = await measureParams(k, url, n);
	run.stub = await measureNode(k, url, n, { stubHelper: true });
	run.overheadUsPerItem = run.node.cpuUsPerItem - run.helper.cpuUsPerItem;
	run.overheadRatio = run.overheadUsPerItem / run.helper.cpuUsPerItem;
	return run;
}

async function cpuMode(k) {
	const n = Number(opts.n ?? 2000);
	const reps = Number(opts.reps ?? 5);
	const fake = await startFakeProcess({ latency: 0 });
	try {
		await repetition(k, fake.url, Math.min(n, 500), 0); // warm-up: JIT, sockets, lazy requires
		const runs = [];
		for (let rep = 0; rep < reps; rep++) runs.push(await repetition(k, fake.url, n, rep));
		const med = (pick) => median(runs.map(pick));
		const ratios = runs.map((r) => r.overheadRatio);
		return {
			mode: 'cpu',
			n,
			reps,
			node: process.version,
			nodeCpuUsPerItem: med((r) => r.node.cpuUsPerItem),
			helperCpuUsPerItem: med((r) => r.helper.cpuUsPerItem),
			paramsCpuUsPerItem: med((r) => r.params.cpuUsPerItem),
			stubNodeCpuUsPerItem: med((r) => r.stub.cpuUsPerItem),
			overheadUsPerItem: med((r) => r.overheadUsPerItem),
			overheadRatio: median(ratios),
			overheadRatioMin: Math.min(...ratios),
			overheadRatioMax: Math.max(...ratios),
			runs,
		};
	} finally {
		fake.stop();
	}
}

async function timedClose({ close }, url, n, concurrency) {
	const { context, nodeType } = close(url, await openSessions(url, n), concurrency);
	const { value, ms } = await measured(() => nodeType.execute.call(context));
	const failed = value[0].filter((item) => item.json.error !== undefined).length;
	return { concurrency, ms, ok: n - failed, failed, perSecond: ((n - failed) / ms) * 1000 };
}

/** `fn(server)` against a fresh fake server process. */
async function withFake(options, fn) {
	const fake = await startFakeProcess(options);
	try {
		return await fn(fake.url);
	} finally {
		fake.stop();
	}
}

async function sweepMode(k) {
	const [n, latency, rate] = [Number(opts.n ?? 500), Number(opts.latency ?? 20), Number(opts.rate ?? 100)];
	const values = String(opts.concurrency ?? '1,2,5,10,20')
		.split(',')
		.map(Number);
	const result = { mode: 'sweep', n, latency, rate, unthrottled: [], throttled: [] };
	await withFake({ latency }, async (url) => {
		await timedClose(k, url, 50, 5); // warm-up
		for (const c of values) result.unthrottled.push({ ...(await timedClose(k, url, n, c)), floorMs: (n * latency) / c });
	});
	// A fresh server per value: its per-second window starts empty.
	for (const c of rate > 0 ? values : [])
		result.throttled.push({ ...(await withFake({ latency, rate }, (url) => timedClose(k, url, n, c))), rate });
	return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	// The measured build: --dist (run.mjs passes the extracted tarball's), else a scratch copy of this repo's dist/.
	const dist = opts.dist ? resolve(opts.dist) : mkdtempSync(join(tmpdir(), 'akool-bench-dist-'));
	if (!opts.dist) cpSync(join(REPO, 'dist'), dist, { recursive: true });
	if (!opts.dist) process.on('exit', () => rmSync(dist, { recursive: true, force: true }));
	if (!existsSync(join(dist, 'test/harness/runNode.js'))) await compileHarness(dist);
	const k = await kit(dist);
	const result = positionals[0] === 'sweep' ? await sweepMode(k) : await cpuMode(k);
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.exit(0); // n8n-core's SSH client manager keeps an interval running (see test/teardown-n8n-core.js)
}
