// The in-process part of `npm run bench`. run.mjs starts it as `node --expose-gc test/bench/inprocess.mjs <options as JSON>`
// ({ mode: 'cpu' | 'sweep', dist, n, reps, latency, rate, concurrency: [...] }) and reads the one JSON document it prints.
// The node runs as the unit tests run it, through test/harness/runNode.ts (n8n-core's ExecuteContext, expressions,
// httpRequestWithAuthentication), compiled next to the measured dist so that it loads that build. Fake Akool runs in a
// process of its own, so that process.cpuUsage() counts the client side only.
//   cpu    per repetition: N items through the node; the requests it sent, again through n8n's helper alone, 5 at a time;
//          the node's per-item parameter reads alone; the node with a helper that answers at once (its own code and those reads).
//   sweep  wall time and failures at each concurrency, without a rate limit, then against `rate` requests per second.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO, runOrThrow, startProcess } from '../lib/n8n.mjs';
import { max, median, min } from '../lib/stats.mjs';
import { closeParameters, series } from './workflows.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'akool-bench-inprocess-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** The harness's executeContext(), from runNode.ts compiled into `<dist>/test/harness` (so it requires `<dist>/nodes`). */
async function loadHarness(dist) {
	const flags = '--module commonjs --target es2022 --esModuleInterop --skipLibCheck --noCheck --types node'.split(' ');
	await runOrThrow(join(REPO, 'node_modules/.bin/tsc'), [...flags, '--outDir', scratch, '--rootDir', REPO, 'test/harness/runNode.ts']);
	const compiled = join(scratch, 'test', 'harness');
	for (const file of readdirSync(compiled)) cpSync(join(compiled, file), join(dist, 'test', 'harness', file));
	// n8n-core reads its settings from the environment when first loaded: keep it out of the home folder.
	process.env.N8N_USER_FOLDER ??= scratch;
	process.env.N8N_ENCRYPTION_KEY ??= 'bench-only-encryption-key';
	// The dist is outside the repo (the extracted tarball): it finds n8n-core and n8n-workflow in the repo's node_modules.
	process.env.NODE_PATH = join(REPO, 'node_modules');
	Module._initPaths();
	return Module.createRequire(join(REPO, 'package.json'))(join(dist, 'test/harness/runNode.js')).executeContext;
}

/** `fn(url, open)` against a fresh fake Akool server in a process of its own; open(n) opens n sessions, returns their ids. */
async function withFake({ latency = 0, rate = 0 }, fn) {
	const args = [join(REPO, 'test/fake-akool/cli.js'), '--record', 'false', '--latency', String(latency), '--rate-limit', String(rate)];
	const logFile = join(scratch, `fake-${(fakes += 1)}.log`);
	const fake = startProcess({ name: 'fake Akool', command: process.execPath, args, env: process.env, logFile });
	process.on('exit', fake.kill); // should this process crash
	try {
		await fake.waitForLog(LISTENING, 30_000);
		const url = LISTENING.exec(fake.log())[1];
		const open = async (n) => {
			const answer = await fetch(`${url}/__fake/sessions`, { method: 'POST', body: JSON.stringify({ count: n }) });
			return (await answer.json()).map((s) => s._id);
		};
		return await fn(url, open);
	} finally {
		await fake.stop();
	}
}
const LISTENING = /listening on (http:\/\/\S+)/;
let fakes = 0;

/** CPU µs and wall ms of `fn`, after a garbage collection. */
async function measured(fn) {
	globalThis.gc?.();
	const [c0, t0] = [process.cpuUsage(), performance.now()];
	const value = await fn();
	const { user, system } = process.cpuUsage(c0);
	return { value, cpu: user + system, ms: performance.now() - t0 };
}

/** Akool's answer to a Close as the helper hands it to the node (full response, body as text). */
const INSTANT_ANSWER = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"code":1000,"msg":"OK"}' };

/**
 * The node's Close of `ids` (input items `{ _id }`) at `concurrency`, as the harness runs it. With `instant`, n8n's helper
 * answers at once without HTTP during the run, and `sent` keeps the requests the node gave it.
 */
async function closeWithNode(executeContext, url, ids, { concurrency, instant = false } = {}) {
	const credentials = { authMethod: 'apiKey', apiKey: 'test-api-key', baseUrl: url };
	const items = ids.map((_id) => ({ _id }));
	const { context, nodeType } = executeContext({ parameters: closeParameters(concurrency), items, credentials, continueOnFail: true });
	const [helpers, sent] = [context.helpers, []];
	const real = helpers.httpRequestWithAuthentication;
	if (instant) helpers.httpRequestWithAuthentication = async (type, request) => (sent.push(request), { ...INSTANT_ANSWER });
	const { value, cpu, ms } = await measured(() => nodeType.execute.call(context));
	helpers.httpRequestWithAuthentication = real; // the context's own helper again, for helperAlone()
	const failed = value[0].filter((item) => item.json.error !== undefined);
	return { ok: value[0].length - failed.length, failed: failed.length, firstFailure: failed[0]?.json, ms, cpu, sent, context };
}

/** The requests the node sent, through n8n's helper alone (the node's own cancellation signals left out), 5 at a time: CPU µs. */
async function helperAlone(context, requests) {
	let next = 0;
	let bad = 0;
	const worker = async () => {
		for (let i = next++; i < requests.length; i = next++) {
			const { abortSignal, ...request } = requests[i];
			const response = await context.helpers.httpRequestWithAuthentication.call(context, 'akoolApi', request);
			if (response.statusCode !== 200) bad++;
		}
	};
	const { cpu } = await measured(() => Promise.all(Array.from({ length: 5 }, worker)));
	if (bad) throw new Error(`helper: ${bad} of ${requests.length} requests failed`);
	return cpu;
}

/** What the node reads per item through n8n (close.operation.ts, transport/): their CPU µs. */
async function parameterReads(context, n) {
	const { cpu } = await measured(() => {
		for (let i = 0; i < n; i++) {
			context.getNodeParameter('sessionId', i, undefined, { extractValue: true });
			context.getNodeParameter('options', i, {});
			context.getNodeParameter('requestOptions', i, {});
		}
	});
	return cpu;
}

/** One repetition: node and helper in alternating order (drift in the machine's load favours neither), then the rest. */
async function repetition(executeContext, url, open, n, rep) {
	const close = async (options) => {
		const result = await closeWithNode(executeContext, url, await open(n), options);
		if (result.ok !== n) throw new Error(`node: ${result.ok} of ${n} items closed: ${JSON.stringify(result.firstFailure)}`);
		return result;
	};
	const stub = await close({ instant: true });
	const cpu = { stubNode: stub.cpu, params: await parameterReads(stub.context, n) };
	for (const what of rep % 2 ? ['helper', 'node'] : ['node', 'helper'])
		cpu[what] = what === 'node' ? (await close()).cpu : await helperAlone(stub.context, stub.sent);
	const run = Object.fromEntries(Object.entries(cpu).map(([what, us]) => [`${what}CpuUsPerItem`, us / n]));
	run.overheadUsPerItem = run.nodeCpuUsPerItem - run.helperCpuUsPerItem;
	return { ...run, overheadRatio: run.overheadUsPerItem / run.helperCpuUsPerItem };
}

/** CPU per item: the median of each figure over the repetitions (`overheadRatio` with its range). */
async function cpuMode(executeContext, { n, reps }) {
	const runs = await withFake({}, async (url, open) => {
		await repetition(executeContext, url, open, Math.min(n, 500), 0); // warm-up: JIT, sockets, lazy requires
		return await series([...Array(reps).keys()], (rep) => repetition(executeContext, url, open, n, rep));
	});
	const medians = Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((r) => r[key]))]));
	const ratios = runs.map((r) => r.overheadRatio);
	return { mode: 'cpu', n, reps, node: process.version, ...medians, overheadRatioMin: min(ratios), overheadRatioMax: max(ratios), runs };
}

async function sweepMode(executeContext, { n, latency, rate, concurrency }) {
	const timed = async (url, open, count, c) => {
		const { ms, ok, failed } = await closeWithNode(executeContext, url, await open(count), { concurrency: c });
		return { concurrency: c, ms, ok, failed, perSecond: (ok / ms) * 1000 };
	};
	const unthrottled = await withFake({ latency }, async (url, open) => {
		await timed(url, open, 50, 5); // warm-up
		return await series(concurrency, async (c) => ({ ...(await timed(url, open, n, c)), floorMs: (n * latency) / c }));
	});
	// A fresh server per value: its per-second window starts empty.
	const throttled = await series(rate > 0 ? concurrency : [], async (c) => ({
		...(await withFake({ latency, rate }, (url, open) => timed(url, open, n, c))),
		rate,
	}));
	return { mode: 'sweep', n, latency, rate, unthrottled, throttled };
}

const options = JSON.parse(process.argv[2]);
const executeContext = await loadHarness(options.dist);
const result = options.mode === 'sweep' ? await sweepMode(executeContext, options) : await cpuMode(executeContext, options);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0); // n8n-core's SSH client manager keeps an interval running (see test/teardown-n8n-core.js)
