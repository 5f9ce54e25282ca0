// The servers the browser test runs against: the fake Akool server and `n8n start` (n8n 2.41.1, the version
// `npm start` uses) with this package installed, the "Akool (local fake)" credential and the example
// workflows imported, and an owner account. Like the playground (test/e2e/playground.mjs), but in a new
// temporary user folder and on free ports, so that it never clashes with a developer's `npm start`
// (5678/3900, `.n8n-playground/`) or with another run of this test.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { SUPPORTED_N8N, ensureN8n } from '../lib/install.mjs';
import { REPO, buildAndPack, freePort, installPackage, jsonFilesIn, n8nEnv, prepareWorkflow, readJson } from '../e2e/lib.mjs';

const { startFakeAkool } = createRequire(import.meta.url)('../fake-akool/server.js');

// BROWSER_N8N=<version> runs the test against another supported n8n (e.g. the oldest, 1.123.81).
export const N8N_VERSION = process.env.BROWSER_N8N ?? SUPPORTED_N8N[0].version;
// The same names as the playground's, so that the screenshots show what `npm start` shows.
export const OWNER = { email: 'playground@example.com', password: 'Playground-1234', firstName: 'Akool', lastName: 'Playground' };
export const CREDENTIAL = { id: 'akoolPlayground', name: 'Akool (local fake)', type: 'akoolApi' };
/** A bearer token the fake Akool server accepts without a getToken call (the "Bearer Token" method). */
export const BEARER_TOKEN = 'browser-test-bearer-token';
const PREFERRED_FAKE_PORT = 3910;
/** The id the playground gives an example workflow (examples/<file>.json). */
export const exampleWorkflowId = (file) => `example-${basename(file, '.json')}`.slice(0, 21);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts everything; `log(step)` is told what happens. Returns { baseUrl, fake, folder, logFile, workflows,
 * stop() }. stop() is safe to call more than once and after a failed start (pass `onStarted` to learn the
 * handle early: it is called before anything can fail after the first process is started).
 */
export async function startStack({ log = () => {}, keep = false, onStarted = () => {} } = {}) {
	const folder = mkdtempSync(join(tmpdir(), 'akool-browser-'));
	const logFile = join(folder, 'n8n.log');
	const state = { n8n: undefined, fake: undefined, stopping: undefined, cli: new Set() };
	const killGroup = (child, signal) => {
		try {
			process.kill(-child.pid, signal); // the process group started here: n8n and its task runner
		} catch {
			// already gone
		}
	};
	/** `n8n <args>` in its own process group, so that stop() can end it (lib.mjs's runN8n can't be stopped). */
	const runCli = (install, args, env) =>
		new Promise((resolvePromise, reject) => {
			const child = spawn(install.nodeBin, [install.n8nBin, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
			state.cli.add(child);
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 180_000);
			child.on('error', reject);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				state.cli.delete(child);
				resolvePromise({ code: code ?? `killed by ${signal}`, stdout, stderr });
			});
		});

	const stack = {
		folder,
		logFile,
		baseUrl: undefined,
		fake: undefined,
		workflows: [],
		/** The last lines n8n logged, for failure messages, without stack frames and the offline noise. */
		n8nLogTail(lines = 25) {
			if (!existsSync(logFile)) return '(no n8n log)';
			const offline = /ENOTFOUND|EAI_AGAIN|getaddrinfo|Strapi API|api(-staging)?\.n8n\.io/;
			const kept = readFileSync(logFile, 'utf8')
				.split('\n')
				.filter((line) => line.trim() && !/^\s+at /.test(line) && !offline.test(line));
			return kept.slice(-lines).join('\n') || '(nothing but offline noise)';
		},
		/** Stops n8n (its whole process group) and the fake server; every caller gets the same promise. */
		stop() {
			state.stopping ??= stopAll();
			return state.stopping;
		},
	};
	const stopAll = async () => {
		// An import still running works on the folder about to be deleted: nothing to save there.
		for (const child of state.cli) killGroup(child, 'SIGKILL');
		const child = state.n8n;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			killGroup(child, 'SIGTERM');
			if (await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)])) killGroup(child, 'SIGKILL');
		}
		if (state.fake) await state.fake.close();
		if (!keep) rmSync(folder, { recursive: true, force: true });
	};
	onStarted(stack);

	const install = ensureN8n(N8N_VERSION);

	log('build and pack the package, install it into a temporary n8n user folder');
	const tarball = await buildAndPack(join(folder, 'package'));
	await installPackage(folder, tarball);

	// A fixed port when it is free, so that the Base URL in the credential screenshots stays the same from
	// run to run; any free port when another run (or anything else) holds it.
	const fakeOptions = { tokens: [BEARER_TOKEN] };
	state.fake = await startFakeAkool({ ...fakeOptions, port: PREFERRED_FAKE_PORT }).catch(() => startFakeAkool({ ...fakeOptions, port: 0 }));
	stack.fake = state.fake;
	if (state.stopping) {
		await state.fake.close();
		throw new Error('stopped while the fake Akool server was starting');
	}
	const port = await freePort();
	const brokerPort = await freePort();
	stack.baseUrl = `http://localhost:${port}`;
	const env = n8nEnv({
		userFolder: folder,
		encryptionKey: 'akool-browser-test-encryption-key',
		brokerPort,
		extra: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: 'localhost',
			N8N_SECURE_COOKIE: 'false',
		},
	});

	log(`import the credential "${CREDENTIAL.name}" and the example workflows`);
	const credential = { ...CREDENTIAL, data: { authMethod: 'apiKey', apiKey: state.fake.config.apiKeys[0], baseUrl: state.fake.url } };
	const credentialsFile = join(folder, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify([credential]), { mode: 0o600 });
	stack.workflows = jsonFilesIn(join(REPO, 'examples')).map((file) =>
		prepareWorkflow(readJson(file), {
			id: exampleWorkflowId(file),
			credential: { id: CREDENTIAL.id, name: CREDENTIAL.name },
			manualTrigger: false,
		}),
	);
	const workflowsFile = join(folder, 'workflows.json');
	writeFileSync(workflowsFile, JSON.stringify(stack.workflows));
	for (const args of [['import:credentials', `--input=${credentialsFile}`], ['import:workflow', `--input=${workflowsFile}`]]) {
		const result = await runCli(install, args, env);
		if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
	}
	rmSync(credentialsFile, { force: true });

	log(`start n8n ${N8N_VERSION} on ${stack.baseUrl} (fake Akool on ${state.fake.url})`);
	if (state.stopping) throw new Error('stopped before n8n was started');
	// n8n writes its log straight to the file, not through a pipe to this process: should this process die
	// without stopping n8n, n8n must not hang on a broken pipe (seen), so that a plain SIGTERM ends it.
	const out = openSync(logFile, 'a');
	const child = spawn(install.nodeBin, [install.n8nBin, 'start'], { env, detached: true, stdio: ['ignore', out, out] });
	closeSync(out);
	state.n8n = child;
	const exited = new Promise((r) => child.once('exit', (code, signal) => r(signal ?? `exit code ${code}`)));

	const request = async (method, path, body) => {
		const response = await fetch(`${stack.baseUrl}${path}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		return { status: response.status, text: await response.text() };
	};
	const waitFor = async (path, timeoutMs) => {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const gone = await Promise.race([exited, sleep(0).then(() => undefined)]);
			if (gone) throw new Error(`n8n stopped by itself (${gone}) while starting. Last lines of its log:\n${stack.n8nLogTail()}`);
			try {
				if ((await request('GET', path)).status === 200) return;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
		throw new Error(`n8n did not answer ${path} within ${timeoutMs / 1000} s. Last lines of its log:\n${stack.n8nLogTail()}`);
	};
	await waitFor('/healthz', 120_000);
	await waitFor('/rest/settings', 120_000);

	// n8n answers /healthz and /rest/settings before all its REST routes are registered: until then
	// POST /rest/owner/setup gets Express's "Cannot POST" (404). Retry that for a while.
	const deadline = Date.now() + 60_000;
	for (;;) {
		const setup = await request('POST', '/rest/owner/setup', OWNER);
		if (setup.status === 200) return stack;
		if (setup.status !== 404 || Date.now() > deadline) {
			throw new Error(`creating the owner account (POST /rest/owner/setup) failed: HTTP ${setup.status} ${setup.text.replace(/\s+/g, ' ').slice(0, 300)}`);
		}
		await sleep(500);
	}
}
