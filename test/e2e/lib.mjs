// Shared helpers of the real-n8n end-to-end suite (run.mjs) and the playground (playground.mjs):
// build and pack this package, install the tarball into an n8n user folder the way n8n installs community
// packages, run n8n CLI commands with a given n8n version, read `n8n execute --rawOutput`, and turn the
// workflow files of this repo into importable workflows. See /work/shared/n8n-notes.md for the why.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-akool';
export const NODE_TYPE = `${PACKAGE_NAME}.akoolLiveAvatar`;
export const TOOL_TYPE = `${PACKAGE_NAME}.akoolLiveAvatarTool`;
export const CREDENTIAL_TYPE = 'akoolApi';
export const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

/** Node types that start a workflow on their own: `n8n execute` needs a Manual Trigger instead. */
const AUTOMATIC_TRIGGERS = new Set(['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.cron', 'n8n-nodes-base.interval']);

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command; resolves with its exit code, output and duration (never rejects on a non-zero exit). */
export function run(command, args, { cwd = REPO, env = process.env, timeoutMs = 180_000 } = {}) {
	const started = Date.now();
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolvePromise({ code: code ?? (signal ? `killed by ${signal}` : null), stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** Like run(), but throws with the command's output when it fails. */
export async function runOrThrow(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(`\`${[command, ...args].join(' ')}\` exited with ${result.code}:\n${output}`);
	}
	return result;
}

/** `npm run build`, then `npm pack` into `destDir`. Returns the tarball's path. */
export async function buildAndPack(destDir) {
	await runOrThrow('npm', ['run', 'build']);
	mkdirSync(destDir, { recursive: true });
	const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', destDir]);
	const [{ filename, files }] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	// Others may rebuild dist/ at the same time: make sure the tarball holds what package.json declares.
	const { n8n } = readJson(join(REPO, 'package.json'));
	const packed = new Set(files.map((f) => f.path));
	const missing = [...n8n.nodes, ...n8n.credentials].filter((path) => !packed.has(path));
	if (missing.length) throw new Error(`the packed tarball lacks ${missing.join(', ')}: was dist/ rebuilt meanwhile? Run again.`);
	return join(destDir, filename);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` as n8n's community-package installer does: a
 * package.json like the one n8n writes, then `npm install --ignore-scripts --legacy-peer-deps`.
 */
export async function installPackage(userFolder, tarball) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	rmSync(join(nodesDir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	await runOrThrow('npm', ['install', '--ignore-scripts', '--legacy-peer-deps', '--package-lock=false', '--no-audit', '--no-fund', tarball], {
		cwd: nodesDir,
	});
}

/** A TCP port that was free a moment ago. */
export function freePort() {
	return new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolvePromise(port));
		});
	});
}

/** The environment n8n runs headless and offline with (n8n-notes.md). */
export function n8nEnv({ userFolder, encryptionKey, brokerPort, extra = {} }) {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

/** Runs `n8n <args>` with the Node binary that this n8n version needs. */
export function runN8n(install, args, env, options = {}) {
	return run(install.nodeBin, [install.n8nBin, ...args], { env, ...options });
}

/**
 * Reads the execution that `n8n execute --rawOutput` prints: a JSON document starting at the first line
 * that starts with `{` (log lines come before it, and after it when the execution failed).
 */
export function parseExecution(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	for (let end = start; end < lines.length; end += 1) {
		if (!lines[end].startsWith('}')) continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// not the closing brace of the document yet
		}
	}
	return undefined;
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

export const jsonFilesIn = (dir) =>
	readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => join(dir, f));

/**
 * Makes a workflow file importable and runnable from the CLI: gives it `id`, points every Akool node at
 * `credential` ({id, name}) when given, and swaps automatic triggers (Schedule) for a Manual Trigger of the
 * same name, so that `n8n execute` can start it. The file itself is not changed.
 */
export function prepareWorkflow(workflow, { id, name, credential, manualTrigger = true }) {
	const copy = structuredClone(workflow);
	copy.id = id;
	if (name) copy.name = name;
	copy.active = false;
	copy.settings ??= {};
	copy.connections ??= {};
	for (const node of copy.nodes) {
		if (node.type === NODE_TYPE && credential) node.credentials = { [CREDENTIAL_TYPE]: { ...credential } };
		if (manualTrigger && AUTOMATIC_TRIGGERS.has(node.type)) {
			node.type = MANUAL_TRIGGER;
			node.typeVersion = 1;
			node.parameters = {};
		}
	}
	return copy;
}

/** The Akool nodes of a workflow. */
export const akoolNodes = (workflow) => workflow.nodes.filter((n) => n.type === NODE_TYPE);
