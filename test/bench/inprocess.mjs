// In-process part of the benchmark (run by run.mjs in its own process; usable alone):
//
//   node --expose-gc test/bench/inprocess.mjs cpu [--n 2000] [--reps 5] [--dist <dist folder>]
//   node test/bench/inprocess.mjs sweep [--n 500] [--latency 20] [--rate 100] [--concurrency 1,2,5,10,20]
//        [--unthrottled false] [--dist ...]
//
// `cpu`: CPU time per item of the Akool node's Close beyond the cost of n8n's own request helper. The node's
// built dist runs with n8n-core's real ExecuteContext (as test/harness/runNode.ts does: real parameter and
// expression resolution, real axios-based httpRequestWithAuthentication, the credential type's own
// authenticate) against the fake Akool server in a *separate* process with 0 ms latency, so that
// process.cpuUsage() here counts the client side only. Each repetition measures, back to back:
//   node    N items through the node (default Request Options: concurrency 5);
//   helper  N direct calls of ctx.helpers.httpRequestWithAuthentication with the same credential and the same
//           request options the node sends, 5 at a time;
//   params  the node's per-item parameter reads alone (session id by expression, options, requestOptions);
//   stub    N items through the node with the helper replaced by one that answers at once: the node's own
//           work plus those parameter reads, without any HTTP.
// `sweep`: wall time and failures of N items at several concurrency values, against a server with `latency`
// and no limit, then against one that allows `rate` requests per second (answering 1005 above it).
//
// Prints one JSON document on stdout. --dist runs another build of the node (e.g. a patched scratch copy);
// `n8n-workflow` and `n8n-core` then still come from this repo's node_modules (set NODE_PATH for copies
// outside the repo).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { REPO } from '../e2e/lib.mjs';

const args = process.argv.slice(2);
const mode = args[0] && !args[0].startsWith('--') ? args[0] : 'cpu';
const option = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i === -1 ? fallback : args[i + 1];
};
const DIST = resolve(option('dist', join(REPO, 'dist')));

// n8n-core reads its settings from the environment when first loaded: keep it out of the home folder.
const scratchUserFolder = mkdtempSync(join(tmpdir(), 'akool-bench-inprocess-'));
process.on('exit', () => rmSync(scratchUserFolder, { recursive: true, force: true }));
process.env.N8N_USER_FOLDER ??= scratchUserFolder;
process.env.N8N_ENCRYPTION_KEY ??= 'bench-only-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const require = createRequire(join(REPO, 'package.json'));
const { ExecuteContext } = require('n8n-core');
const { Workflow, createRunExecutionData } = require('n8n-workflow');
const { AkoolLiveAvatar } = require(join(DIST, 'nodes/AkoolLiveAvatar/AkoolLiveAvatar.node.js'));
const { AkoolApi } = require(join(DIST, 'credentials/AkoolApi.credentials.js'));

const nodeType = new AkoolLiveAvatar();
const credentialType = new AkoolApi();
const CREDENTIAL_REF = { id: 'bench-cred', name: 'Akool (bench)' };
const CLOSE_PATH = '/api/open/v4/liveAvatar/session/close';

/** Like test/harness/credentials.ts: the part of n8n's CredentialsHelper a node execution uses. */
function credentialsHelper(stored) {
	const decrypted = () => {
		const out = {};
		for (const p of credentialType.properties) out[p.name] = stored[p.name] ?? p.default;
		return out;
	};
	return {
		getParentTypes: () => [],
		getDecrypted: async () => decrypted(),
		getCredentialsProperties: () => credentialType.properties,
		authenticate: async (credentials, _type, options) => await credentialType.authenticate(credentials, options),
		updateCredentials: async () => {},
		preAuthentication: async () => undefined,
	};
}

/** An ExecuteContext for one run of the node over `items`, as test/harness/runNode.ts builds it. */
function contextFor(baseUrl, parameters, items) {
	const node = {
		id: 'bench-node',
		name: 'Akool Live Avatar',
		type: 'n8n-nodes-akool.akoolLiveAvatar',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { akoolApi: CREDENTIAL_REF },
		onError: 'continueRegularOutput',
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ id: 'bench', name: 'bench', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: credentialsHelper({ authMethod: 'apiKey', apiKey: 'test-api-key', baseUrl }),
		restApiUrl: 'http://localhost:5678/rest',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		executionId: 'bench-execution',
	};
	const data = items.map((json) => ({ json }));
	return new ExecuteContext(workflow, node, additionalData, 'manual', createRunExecutionData(), 0, data, { main: [data] }, { node, data: { main: [data] }, source: null }, []);
}

const closeParameters = (concurrency) => ({
	resource: 'session',
	operation: 'close',
	sessionId: { __rl: true, mode: 'id', value: '={{ $json._id }}' },
	options: {},
	...(concurrency === undefined ? {} : { requestOptions: { concurrency } }),
});

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
			if (url) {
				child.stdout.removeAllListeners('data');
				child.stdout.resume();
				resolvePromise({ url, stop: () => child.kill('SIGTERM') });
			}
		});
	});
}

async function control(url, path, body) {
	const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
	return await res.json();
}

/** Open sessions on the fake server: returns their ids. */
async function openSessions(url, count) {
	const ids = [];
	for (let left = count; left > 0; left -= 5000) {
		const added = await control(url, '/__fake/sessions', { count: Math.min(left, 5000) });
		ids.push(...added.map((s) => s._id));
	}
	return ids;
}

const cpuMicros = (usage) => usage.user + usage.system;
const gc = () => globalThis.gc?.();

async function pool(count, concurrency, fn) {
	let next = 0;
	const worker = async () => {
		while (next < count) await fn(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Akool's answer to a Close, as the helper returns it to the node (full response, body as text). */
const STUB_RESPONSE = { statusCode: 200, statusMessage: 'OK', headers: { 'content-type': 'application/json' }, body: '{"code":1000,"msg":"OK"}' };

async function measureNode(url, n, { stubHelper = false } = {}) {
	const ids = stubHelper ? Array.from({ length: n }, (_, i) => `be${i.toString(16).padStart(22, '0')}`) : await openSessions(url, n);
	const ctx = contextFor(url, closeParameters(undefined), ids.map((_id) => ({ _id })));
	// With the helper replaced by one that answers at once, what is left is the node's own work plus n8n's
	// parameter resolution for it.
	if (stubHelper) ctx.helpers.httpRequestWithAuthentication = async () => ({ ...STUB_RESPONSE });
	gc();
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const [out] = await nodeType.execute.call(ctx);
	const ms = performance.now() - t0;
	const cpu = cpuMicros(process.cpuUsage(c0));
	const failed = out.filter((item) => item.json.error !== undefined).length;
	if (out.length !== n || failed) throw new Error(`node: ${out.length} items out of ${n}, ${failed} failed: ${JSON.stringify(out.find((i) => i.json.error)?.json)}`);
	return { cpuUsPerItem: cpu / n, ms };
}

/** The request the node sends for one Close (transport/index.ts), through the same helper. */
async function measureHelper(url, n) {
	const ids = await openSessions(url, n);
	const ctx = contextFor(url, closeParameters(undefined), ids.map((_id) => ({ _id })));
	gc();
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	let bad = 0;
	await pool(n, 5, async (i) => {
		const response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'akoolApi', {
			method: 'POST',
			url: `${url}${CLOSE_PATH}`,
			headers: { Accept: 'application/json' },
			body: { id: ids[i], session_id: ids[i] },
			json: true,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
		});
		if (response.statusCode !== 200) bad++;
	});
	const ms = performance.now() - t0;
	const cpu = cpuMicros(process.cpuUsage(c0));
	if (bad) throw new Error(`helper: ${bad} of ${n} requests failed`);
	return { cpuUsPerItem: cpu / n, ms };
}

/** What the node reads per item through n8n (close.operation.ts, transport/index.ts). */
function measureParams(url, n) {
	const items = Array.from({ length: n }, (_, i) => ({ _id: `be${i.toString(16).padStart(22, '0')}` }));
	const ctx = contextFor(url, closeParameters(undefined), items);
	gc();
	const c0 = process.cpuUsage();
	for (let i = 0; i < n; i++) {
		ctx.getNodeParameter('sessionId', i, undefined, { extractValue: true });
		ctx.getNodeParameter('options', i, {});
		ctx.getNodeParameter('requestOptions', i, {});
	}
	return { cpuUsPerItem: cpuMicros(process.cpuUsage(c0)) / n };
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function cpuMode() {
	const n = Number(option('n', 2000));
	const reps = Number(option('reps', 5));
	const fake = await startFakeProcess({ latency: 0 });
	try {
		// Warm-up: JIT, sockets, lazy requires.
		await measureNode(fake.url, Math.min(n, 500));
		await measureHelper(fake.url, Math.min(n, 500));
		measureParams(fake.url, Math.min(n, 500));
		await measureNode(fake.url, Math.min(n, 500), { stubHelper: true });
		const runs = [];
		for (let rep = 0; rep < reps; rep++) {
			// Alternate the order so that drift in the machine's load does not favour one side.
			const order = rep % 2 ? ['helper', 'node'] : ['node', 'helper'];
			const run = {};
			for (const what of order) run[what] = what === 'node' ? await measureNode(fake.url, n) : await measureHelper(fake.url, n);
			run.params = measureParams(fake.url, n);
			run.stub = await measureNode(fake.url, n, { stubHelper: true });
			run.overheadUsPerItem = run.node.cpuUsPerItem - run.helper.cpuUsPerItem;
			run.overheadRatio = run.overheadUsPerItem / run.helper.cpuUsPerItem;
			runs.push(run);
		}
		return {
			mode: 'cpu',
			n,
			reps,
			node: process.version,
			nodeCpuUsPerItem: median(runs.map((r) => r.node.cpuUsPerItem)),
			helperCpuUsPerItem: median(runs.map((r) => r.helper.cpuUsPerItem)),
			paramsCpuUsPerItem: median(runs.map((r) => r.params.cpuUsPerItem)),
			stubNodeCpuUsPerItem: median(runs.map((r) => r.stub.cpuUsPerItem)),
			overheadUsPerItem: median(runs.map((r) => r.overheadUsPerItem)),
			overheadRatio: median(runs.map((r) => r.overheadRatio)),
			overheadRatioMin: Math.min(...runs.map((r) => r.overheadRatio)),
			overheadRatioMax: Math.max(...runs.map((r) => r.overheadRatio)),
			runs,
		};
	} finally {
		fake.stop();
	}
}

async function runNodeTimed(url, n, concurrency) {
	const ids = await openSessions(url, n);
	const ctx = contextFor(url, closeParameters(concurrency), ids.map((_id) => ({ _id })));
	const t0 = performance.now();
	const [out] = await nodeType.execute.call(ctx);
	const ms = performance.now() - t0;
	const failed = out.filter((item) => item.json.error !== undefined).length;
	return { concurrency, ms, ok: out.length - failed, failed, perSecond: ((out.length - failed) / ms) * 1000 };
}

async function sweepMode() {
	const n = Number(option('n', 500));
	const latency = Number(option('latency', 20));
	const rate = Number(option('rate', 100));
	const values = String(option('concurrency', '1,2,5,10,20')).split(',').map(Number);
	const result = { mode: 'sweep', n, latency, rate, unthrottled: [], throttled: [] };
	if (option('unthrottled', 'true') !== 'false') {
		const fast = await startFakeProcess({ latency });
		try {
			await runNodeTimed(fast.url, 50, 5); // warm-up
			for (const c of values) result.unthrottled.push({ ...(await runNodeTimed(fast.url, n, c)), floorMs: (n * latency) / c });
		} finally {
			fast.stop();
		}
	}
	if (rate > 0) {
		for (const c of values) {
			// A fresh server per value: its per-second window starts empty.
			const limited = await startFakeProcess({ latency, rate });
			try {
				result.throttled.push({ ...(await runNodeTimed(limited.url, n, c)), rate });
			} finally {
				limited.stop();
			}
		}
	}
	return result;
}

try {
	const result = mode === 'sweep' ? await sweepMode() : await cpuMode();
	process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
	rmSync(scratchUserFolder, { recursive: true, force: true });
	// n8n-core's SSH client manager keeps an interval running (see test/teardown-n8n-core.js).
	setTimeout(() => process.exit(process.exitCode ?? 0), 50).unref();
	try {
		const coreDir = join(require.resolve('n8n-core/package.json'), '..');
		const { Container } = require(require.resolve('@n8n/di', { paths: [coreDir] }));
		const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');
		Container.get(SSHClientsManager).onShutdown();
	} catch {
		// not there in this n8n-core: the exit above takes care of it
	}
}
