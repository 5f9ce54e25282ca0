// The in-process part of `npm run bench`: `node --expose-gc test/bench/inprocess.mjs <options as JSON>` ({ mode: 'cpu' |
// 'sweep', dist, n, reps, latency, rate, concurrency }) prints one JSON document. The node runs through test/harness/runNode.ts
// (as in the unit tests), compiled next to the measured dist; fake Akool runs in its own process, so that cpuUsage() counts
// the client side only. sweep: wall time and failures per concurrency, unthrottled, then at `rate` per second.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

import { REPO, startProcess } from '../lib/n8n.mjs';
import { pool, series } from '../lib/pool.mjs';
import { max, median, min } from '../lib/stats.mjs';
import { closeParameters } from './workflows.mjs';

const options = JSON.parse(process.argv[2]);
// Next to the measured dist: in run.mjs's temporary folder, which it removes even when it has to kill this process.
const scratch = mkdtempSync(join(options.dist, '..', 'inprocess-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** test/harness/runNode.ts, compiled into `<dist>/test/harness` (so that it requires `<dist>/nodes`). */
function loadHarness(dist) {
	if (!existsSync(join(dist, 'test/harness/runNode.js'))) {
		const flags = '--module commonjs --target es2022 --esModuleInterop --skipLibCheck --noCheck --types node'.split(' ');
		const tsc = join(REPO, 'node_modules/.bin/tsc');
		// In this process's group, which run.mjs kills when it is stopped (run() would start a group of its own).
		execFileSync(tsc, [...flags, '--outDir', scratch, '--rootDir', REPO, 'test/harness/runNode.ts'], { cwd: REPO });
		const compiled = join(scratch, 'test', 'harness');
		for (const file of readdirSync(compiled)) cpSync(join(compiled, file), join(dist, 'test', 'harness', file));
	}
	// n8n-core reads its settings from the environment when first loaded: keep it out of the home folder.
	process.env.N8N_USER_FOLDER ??= scratch;
	process.env.N8N_ENCRYPTION_KEY ??= 'bench-only-encryption-key';
	// The dist is outside the repo (the extracted tarball): it finds n8n-core and n8n-workflow in the repo's node_modules.
	process.env.NODE_PATH = join(REPO, 'node_modules');
	Module._initPaths();
	return Module.createRequire(join(REPO, 'package.json'))(join(dist, 'test/harness/runNode.js'));
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** `fn(url, open)` against a fresh fake Akool server in a process of its own; open(n) opens n sessions, returns their ids. */
async function withFake({ latency = 0, rate = 0 }, fn) {
	const args = [join(REPO, 'test/fake-akool/cli.js'), '--record', 'false', '--latency', String(latency), '--rate-limit', String(rate)];
	const logFile = join(scratch, `fake-${performance.now()}.log`);
	// In this process's group, which run.mjs kills when it is stopped; on an error here, the exit handler kills it.
	const fake = startProcess({ name: 'fake Akool', command: process.execPath, args, env: process.env, logFile, ownGroup: false });
	process.on('exit', fake.kill);
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

async function measured(fn) {
	globalThis.gc?.();
	const [c0, t0] = [process.cpuUsage(), performance.now()];
	const value = await fn();
	const { user, system } = process.cpuUsage(c0);
	return { value, cpu: user + system, ms: performance.now() - t0 };
}

/** Akool's answer to a Close as the helper hands it to the node (full response, body as text). */
const instantHelper = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"code":1000,"msg":"OK"}' });
/** Session ids the fake server never sees (for runs with the instant helper). */
const fakeIds = (n) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(24, '0'));

function closeContext(url, ids, concurrency) {
	const credentials = { authMethod: 'apiKey', apiKey: 'test-api-key', baseUrl: url };
	const items = ids.map((_id) => ({ _id }));
	return harness.executeContext({ parameters: closeParameters(concurrency), items, credentials, continueOnFail: true });
}

/** The node's Close of `ids` at `concurrency`; `helper` replaces n8n's httpRequestWithAuthentication. */
async function closeWithNode(url, ids, { concurrency, helper } = {}) {
	const { context, nodeType } = closeContext(url, ids, concurrency);
	if (helper) context.helpers.httpRequestWithAuthentication = helper;
	const { value, cpu, ms } = await measured(() => nodeType.execute.call(context));
	const failed = value[0].filter((item) => item.json.error !== undefined);
	return { ok: value[0].length - failed.length, failed: failed.length, firstFailure: failed[0]?.json, ms, cpu };
}

/** How the node asks n8n's helper to close session `id`: its request, captured once, without its cancellation signal. */
async function requestOfNode(url) {
	const sent = [];
	const [placeholder] = fakeIds(1);
	await closeWithNode(url, [placeholder], { helper: async (type, request) => (sent.push(request), instantHelper()) });
	const { abortSignal, ...request } = sent[0];
	const text = JSON.stringify(request);
	return (id) => JSON.parse(text.replaceAll(placeholder, id));
}

async function helperAlone(url, requests) {
	const { context } = closeContext(url, []);
	const send = (request) => context.helpers.httpRequestWithAuthentication.call(context, 'akoolApi', request);
	const { value: responses, cpu } = await measured(() => pool(requests, 5, send));
	const bad = responses.filter((response) => response.statusCode !== 200).length;
	if (bad) throw new Error(`helper: ${bad} of ${requests.length} requests failed`);
	return cpu;
}

/** What the node reads per item through n8n (close.operation.ts, transport/): their CPU µs. */
async function parameterReads(url, n) {
	const { context } = closeContext(url, fakeIds(n));
	const { cpu } = await measured(() => {
		for (let i = 0; i < n; i++) {
			context.getNodeParameter('sessionId', i, undefined, { extractValue: true });
			context.getNodeParameter('options', i, {});
			context.getNodeParameter('requestOptions', i, {});
		}
	});
	return cpu;
}

/**
 * One repetition: node and helper in alternating order (drift in the machine's load favours neither), then the parameter
 * reads alone and the node with an instant helper. CPU µs per item of each.
 */
async function repetition(url, open, n, rep, requestFor) {
	const node = async (ids, helper) => {
		const result = await closeWithNode(url, ids, { helper });
		if (result.ok !== n) throw new Error(`node: ${result.ok} of ${n} items closed: ${JSON.stringify(result.firstFailure)}`);
		return result.cpu;
	};
	const cpu = {};
	for (const what of rep % 2 ? ['helper', 'node'] : ['node', 'helper'])
		cpu[what] = what === 'node' ? await node(await open(n)) : await helperAlone(url, (await open(n)).map(requestFor));
	cpu.params = await parameterReads(url, n);
	cpu.stubNode = await node(fakeIds(n), instantHelper);
	const run = Object.fromEntries(Object.entries(cpu).map(([what, us]) => [`${what}CpuUsPerItem`, us / n]));
	run.overheadUsPerItem = run.nodeCpuUsPerItem - run.helperCpuUsPerItem;
	return { ...run, overheadRatio: run.overheadUsPerItem / run.helperCpuUsPerItem };
}

async function cpuMode({ n, reps }) {
	const runs = await withFake({}, async (url, open) => {
		const requestFor = await requestOfNode(url);
		await repetition(url, open, Math.min(n, 500), 0, requestFor); // warm-up: JIT, sockets, lazy requires
		return await series([...Array(reps).keys()], (rep) => repetition(url, open, n, rep, requestFor));
	});
	const medians = Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((r) => r[key]))]));
	const ratios = runs.map((r) => r.overheadRatio);
	return { n, reps, ...medians, overheadRatioMin: min(ratios), overheadRatioMax: max(ratios) };
}

async function sweepMode({ n, latency, rate, concurrency }) {
	const timed = async (url, open, count, c) => {
		const { ms, ok, failed } = await closeWithNode(url, await open(count), { concurrency: c });
		return { concurrency: c, ms, ok, failed, perSecond: (ok / ms) * 1000 };
	};
	const unthrottled = await withFake({ latency }, async (url, open) => {
		await timed(url, open, 50, 5); // warm-up
		return await series(concurrency, async (c) => ({ ...(await timed(url, open, n, c)), floorMs: (n * latency) / c }));
	});
	// A fresh server per value: its per-second window starts empty.
	const throttled = await series(rate > 0 ? concurrency : [], (c) => withFake({ latency, rate }, (url, open) => timed(url, open, n, c)));
	return { n, latency, rate, unthrottled, throttled };
}

const harness = loadHarness(options.dist);
process.stdout.write(`${JSON.stringify(options.mode === 'sweep' ? await sweepMode(options) : await cpuMode(options))}\n`);
process.exit(0); // n8n-core's SSH client manager keeps an interval running (see test/teardown-n8n-core.js)
