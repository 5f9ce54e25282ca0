// The n8n driver of every harness program (e2e, playground, browser, scale, bench): pack, install as README says, run
// the n8n CLI (always with a hard time limit), start and stop servers. The facts behind it: docs/n8n-offline.md.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanEnv } from './install.mjs';
import { seconds, sleep } from './report.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-akool';
export const NODE_TYPE = `${PACKAGE_NAME}.akoolLiveAvatar`;
export const TOOL_TYPE = `${PACKAGE_NAME}.akoolLiveAvatarTool`;
export const CREDENTIAL_TYPE = 'akoolApi';
export const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
/** How long one `n8n execute` may take before its process group is killed: a hang fails in minutes. */
export const EXECUTE_TIMEOUT_MS = 120_000;
/** README's command for installing the packed tarball in `~/.n8n/nodes`, as n8n's own installer does (docs/n8n-offline.md). */
export const INSTALL_COMMAND = ['npm', 'install', '--ignore-scripts', '--legacy-peer-deps', '--package-lock=false'];

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
export const jsonFilesIn = (dir) =>
	readdirSync(dir)
		.sort()
		.flatMap((f) => (f.endsWith('.json') ? [join(dir, f)] : []));
export const tail = (result, lines = 25) => `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-lines).join('\n');

/** `fn()`, or undefined when it throws: for a process that may be gone already. */
const unlessGone = (fn) => {
	try {
		return fn();
	} catch {
		return undefined;
	}
};
/** Signals a child and what it started (n8n's task runners): its process group, or the child alone when it has none. */
const groupKill = (child, signal) => unlessGone(() => process.kill(-child.pid, signal)) ?? unlessGone(() => child.kill(signal));
/** Every command started by run() and not yet ended: killed when this process is interrupted. */
const running = new Set();
export const killRunning = () => running.forEach((child) => groupKill(child, 'SIGKILL'));
/** The signals that end a harness program: Ctrl-C, `kill`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// How every harness program ends, whichever way: the commands run() started are killed (each runs in a process
// group of its own, which Ctrl-C does not reach: an `n8n execute` went on without it), then `cleanup(why)` (sync or
// async) runs, once. On a STOP_SIGNAL the program then exits with `signalCode`. Returns stop(why) for the other ends;
// stop.stopping is set from the first call on.
export function onStop(cleanup = () => {}, signalCode = 130) {
	const stop = (why) => (stop.stopping ??= (async () => (killRunning(), await cleanup(why)))());
	for (const signal of STOP_SIGNALS) process.once(signal, () => stop(signal).finally(() => process.exit(signalCode)));
	return stop;
}

/** Runs a command in its own process group: {code, stdout, stderr, ms}, whatever its exit; the group is killed after `timeoutMs`. */
export function run(command, args, { cwd = REPO, env = process.env, timeoutMs = 300_000, onSpawn } = {}) {
	const started = Date.now();
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		onSpawn?.(child);
		const out = { stdout: '', stderr: '' };
		for (const stream of ['stdout', 'stderr']) child[stream].on('data', (chunk) => (out[stream] += chunk));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			groupKill(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			running.delete(child);
			const ended = timedOut ? `timed out after ${seconds(timeoutMs)}` : signal && `killed by ${signal}`;
			resolvePromise({ code: code ?? ended, timedOut, ...out, ms: Date.now() - started });
		});
	});
}

/** run()'s `result`, or an error with the last output lines of `command` (words) when it failed. */
function orThrow(result, words) {
	if (result.code !== 0) throw new Error(`\`${words.join(' ')}\` exited with ${result.code}:\n${tail(result, 30)}`);
	return result;
}
export const runOrThrow = async (command, args, options) => orThrow(await run(command, args, options), [command, ...args]);

/** `npm run build` (unless `skipBuild`), then `npm pack` into `destDir`. Returns {tarball, info} (npm pack's JSON). */
export async function buildAndPack(destDir, { skipBuild = false } = {}) {
	if (!skipBuild) await runOrThrow('npm', ['run', 'build']);
	mkdirSync(destDir, { recursive: true });
	const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', destDir]);
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	// Others may rebuild dist/ at the same time: make sure the tarball holds what package.json declares.
	const { n8n } = readJson(join(REPO, 'package.json'));
	const missing = [...n8n.nodes, ...n8n.credentials].filter((path) => !info.files.some((f) => f.path === path));
	if (missing.length) throw new Error(`the packed tarball lacks ${missing.join(', ')}: was dist/ rebuilt meanwhile? Run again.`);
	return { tarball: join(destDir, info.filename), info };
}

/** Installs the tarball into `<userFolder>/.n8n/nodes` with INSTALL_COMMAND, as README tells users to. */
export async function installPackage(folder, tarball) {
	const nodesDir = join(folder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const manifest = join(nodesDir, 'package.json');
	if (!existsSync(manifest)) writeFileSync(manifest, '{"name":"installed-nodes","private":true}\n');
	rmSync(join(nodesDir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	const [npm, ...args] = INSTALL_COMMAND;
	await runOrThrow(npm, [...args, tarball], { cwd: nodesDir, env: cleanEnv() });
	return join(nodesDir, 'node_modules', PACKAGE_NAME);
}

const canListen = (port) =>
	new Promise((resolvePromise) => {
		const server = createServer().once('error', () => resolvePromise(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
	});
/** The first port the kernel hands out to `listen(0)` and outgoing connections (Linux: ip_local_port_range). */
const EPHEMERAL_FROM = Number(unlessGone(() => readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]) || 32768);
const handedOut = new Set();

// A TCP port that was free a moment ago, for a server that binds it later (n8n's task broker binds it only when n8n
// starts). Below the ephemeral range: a port from listen(0) could meanwhile go to another server's listen(0) or to
// an outgoing connection, and every `n8n execute` of that user folder would fail ("port … is already in use").
export async function freePort() {
	for (let attempt = 0; attempt < 100; attempt += 1) {
		const port = 20_000 + Math.floor(Math.random() * (EPHEMERAL_FROM - 20_000));
		if (!handedOut.has(port) && (await canListen(port))) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error(`no free TCP port between 20000 and ${EPHEMERAL_FROM} after 100 tries`);
}

export async function freePorts(count) {
	const ports = [];
	while (ports.length < count) ports.push(await freePort());
	return ports;
}

// The execution `n8n execute --rawOutput` prints (JSON.stringify(…, null, 2)), among log lines: from a line `{` to the
// next line `}`, the only braces at the start of a line in that JSON. A log may print such lines too: the next pair then.
function parseExecution(stdout) {
	const lines = stdout.split('\n');
	for (let start = lines.indexOf('{'); start !== -1; start = lines.indexOf('{', start + 1)) {
		try {
			const parsed = JSON.parse(lines.slice(start, lines.indexOf('}', start) + 1).join('\n'));
			if (parsed?.data) return parsed;
		} catch {
			// a log's lines, not the execution
		}
	}
	return undefined;
}

/** Output `index` of a node's first run in an execution. */
export const outputOf = (execution, node, index = 0) => execution?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[index];

/** Samples the peak resident memory (VmHWM, kB) of a process until the returned stop() is called. */
function memorySampler(pid, everyMs = 20) {
	let peak = 0;
	const status = () => unlessGone(() => readFileSync(`/proc/${pid}/status`, 'utf8'));
	const sample = () => (peak = Math.max(peak, Number(/^VmHWM:\s+(\d+)/m.exec(status())?.[1] ?? 0)));
	const timer = setInterval(sample, everyMs);
	return () => (sample(), clearInterval(timer), peak || undefined);
}

/** One n8n user folder on an installed n8n (ensureN8n); `outputs` keeps every CLI call's output for the secret searches. */
export async function userFolder({ install, folder, encryptionKey, env: extra = {}, brokerPort }) {
	if (!folder || !encryptionKey) throw new Error('a user folder needs its folder and encryption key: n8n would use ~/.n8n');
	// Headless and offline (docs/n8n-offline.md).
	const env = {
		...process.env,
		N8N_USER_FOLDER: folder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort ?? (await freePort())),
		N8N_LOG_LEVEL: 'info',
		...install.env,
		...extra,
	};
	const self = {
		install,
		folder,
		env,
		outputs: [],
		/** `n8n <args>`: run()'s result, whatever its exit (cliOrThrow: or an error with its last lines). */
		async cli(args, { timeoutMs = 300_000, onSpawn, label = args[0], extraEnv = {} } = {}) {
			const result = await run(install.nodeBin, [install.n8nBin, ...args], { env: { ...env, ...extraEnv }, timeoutMs, onSpawn });
			self.outputs.push({ label, text: `${result.stdout}\n${result.stderr}` });
			return result;
		},
		cliOrThrow: async (args, options) => orThrow(await self.cli(args, options), ['n8n', ...args]),
		/** Imports credentials ([{id, name, data}], type akoolApi unless given) and workflows, one CLI call each. */
		async importAll({ credentials = [], workflows = [] }) {
			const scratch = join(folder, '.import');
			mkdirSync(scratch, { recursive: true, mode: 0o700 });
			try {
				const imports = { credentials: credentials.map((c) => ({ type: CREDENTIAL_TYPE, ...c })), workflow: workflows };
				for (const [kind, list] of Object.entries(imports)) {
					const file = join(scratch, `${kind}.json`);
					writeFileSync(file, JSON.stringify(list), { mode: 0o600 });
					if (list.length) await self.cliOrThrow([`import:${kind}`, `--input=${file}`]);
					rmSync(file); // the credentials' secrets in clear: n8n has them encrypted now
				}
			} finally {
				rmSync(scratch, { recursive: true, force: true });
			}
		},
		/** `n8n execute --id=<id> --rawOutput`, killed after `timeoutMs`: run()'s result, `execution` and, with `sampleMemory`, `peakRssKb`. */
		async execute(id, { timeoutMs = EXECUTE_TIMEOUT_MS, sampleMemory = false } = {}) {
			let stopSampling;
			const onSpawn = sampleMemory ? (child) => (stopSampling = memorySampler(child.pid)) : undefined;
			const result = await self.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, onSpawn, label: `execute ${id}` });
			return { ...result, execution: parseExecution(result.stdout), peakRssKb: stopSampling?.() };
		},
		/** Starts a long-running n8n process (`start`, `worker`, …) logging to `logFile`. */
		start(args, { name = args[0], logFile = join(folder, `${name}.log`), env: more = {} } = {}) {
			return startProcess({ name, command: install.nodeBin, args: [install.n8nBin, ...args], env: { ...env, ...more }, logFile });
		},
	};
	return self;
}

// The one polling loop of the harness: calls `attempt` every `everyMs` until `done(result)` (by default: a result
// other than undefined). Once `timeoutMs` have passed it returns `timedOut(result)` instead, by default throws `failure()`.
export async function poll(attempt, { timeoutMs, everyMs = 500, done = (result) => result !== undefined, failure, timedOut }) {
	for (const deadline = Date.now() + timeoutMs; ; await sleep(everyMs)) {
		const result = await attempt();
		if (done(result)) return result;
		if (Date.now() > deadline) {
			if (timedOut) return timedOut(result);
			throw new Error(failure());
		}
	}
}

// A long-running process in its own process group (unless `ownGroup` is false: then it dies with this one's group),
// its output written straight to `logFile` (never a pipe that could block it should this process die), so that it
// can be stopped as a whole and its log read.
export function startProcess({ name, command, args, env, logFile, ownGroup = true }) {
	const out = openSync(logFile, 'a');
	const child = spawn(command, args, { env, stdio: ['ignore', out, out], detached: ownGroup });
	closeSync(out);
	const proc = {
		name,
		pid: child.pid,
		logFile,
		exited: undefined,
		startedAt: Date.now(),
		log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
		/** Resolves (ms since start) once `pattern` is in the log; rejects if the process exits or time runs out. */
		waitForLog(pattern, timeoutMs, what = String(pattern)) {
			const found = () => {
				if (pattern.test(proc.log())) return Date.now() - proc.startedAt;
				if (proc.exited) throw new Error(`${name} exited (${proc.exited.code ?? proc.exited.signal}) before ${what}:\n${logTail(logFile)}`);
			};
			const failure = () => `${name}: no ${what} within ${seconds(timeoutMs)}:\n${logTail(logFile)}`;
			return poll(found, { timeoutMs, everyMs: 250, failure });
		},
		/** SIGKILL to the whole group at once: what a crashed machine or an OOM kill does. */
		kill: () => groupKill(child, 'SIGKILL'),
		/** SIGTERM (n8n shuts down gracefully), then SIGKILL to the group after `graceMs`. */
		async stop(graceMs = 15_000) {
			if (!proc.exited) {
				groupKill(child, 'SIGTERM');
				await Promise.race([proc.done, sleep(graceMs)]);
			}
			groupKill(child, 'SIGKILL'); // task runners and anything else left in the group
		},
	};
	proc.done = new Promise((resolveDone) =>
		child.on('exit', (code, signal) => resolveDone((proc.exited = { code, signal, at: Date.now() }))),
	);
	return proc;
}

/** The last lines of a log, without stack frames and the offline noise (n8n calls home at start). */
export function logTail(file, lines = 25) {
	if (!existsSync(file)) return '(no log file)';
	const offline = /ENOTFOUND|EAI_AGAIN|getaddrinfo|Strapi API|api(-staging)?\.n8n\.io/;
	const all = readFileSync(file, 'utf8').split('\n');
	const kept = all.filter((line) => line.trim() && !/^\s+at /.test(line) && !offline.test(line));
	return kept.slice(-lines).join('\n') || '(nothing but offline noise)';
}

// Creates the owner account of a fresh `n8n start` (POST /rest/owner/setup); on a folder that has one, checks that it
// can log in. n8n answers /rest/settings before every REST route is registered: a 404 is retried.
export function ensureOwner(baseUrl, owner, timeoutMs = 60_000) {
	const post = (path, body) =>
		fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const attempt = async () => {
		const setup = await post('/rest/owner/setup', owner);
		if (setup.status === 200) return 'created';
		const login = await post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (login.status === 200) return 'exists';
		if (setup.status !== 404)
			throw new Error(`the owner account could not be created (HTTP ${setup.status}: ${(await setup.text()).slice(0, 200)}) nor used`);
	};
	return poll(attempt, { timeoutMs, everyMs: 500, failure: () => 'the owner account could not be created (HTTP 404 all along)' });
}

/** `n8n start` on 127.0.0.1:`port` of a user folder; resolves once the editor answers (/rest/settings comes after /healthz). */
export async function startEditor(n8n, { port, logFile, onProc }) {
	const env = { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: n8n.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1', N8N_SECURE_COOKIE: 'false' };
	const proc = n8n.start(['start'], { logFile, env });
	onProc?.(proc);
	const baseUrl = `http://127.0.0.1:${port}`;
	const timeoutMs = 120_000; // each of the two
	for (const url of [`${baseUrl}/healthz`, `${baseUrl}/rest/settings`]) {
		const answers = async () => {
			if (proc.exited) throw new Error(`n8n stopped by itself while starting:\n${logTail(proc.logFile)}`);
			return (await fetch(url).catch(() => undefined))?.status === 200 || undefined;
		};
		await poll(answers, { timeoutMs, failure: () => `no answer from ${url} within ${seconds(timeoutMs)}:\n${logTail(proc.logFile)}` });
	}
	return { proc, baseUrl };
}

const AUTOMATIC_TRIGGERS = new Set(['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.cron', 'n8n-nodes-base.interval']);

// Makes a workflow importable and runnable from the CLI: `id`, every Akool node on `credential` ({id, name}) when
// given, and a Manual Trigger (of the same name) in place of an automatic one, which `n8n execute` cannot start.
export function prepareWorkflow(workflow, { id, name, credential, manualTrigger = true }) {
	const copy = { settings: {}, connections: {}, ...structuredClone(workflow), id, active: false, ...(name ? { name } : {}) };
	for (const node of copy.nodes) {
		if (node.type.startsWith(`${PACKAGE_NAME}.`) && credential) node.credentials = { [CREDENTIAL_TYPE]: { ...credential } };
		if (manualTrigger && AUTOMATIC_TRIGGERS.has(node.type)) Object.assign(node, { type: MANUAL_TRIGGER, typeVersion: 1, parameters: {} });
	}
	return copy;
}

/** The id the examples get when imported (examples/<file>.json; n8n ids are at most 21 characters). */
export const exampleId = (file) => `example-${basename(file, '.json')}`.slice(0, 21);

/** The example workflows of examples/, prepared for import with `credential`. */
export const exampleWorkflows = (credential) =>
	jsonFilesIn(join(REPO, 'examples')).map((file) =>
		prepareWorkflow(readJson(file), { id: exampleId(file), credential, manualTrigger: false }),
	);
