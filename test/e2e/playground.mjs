// `npm start`: a local n8n with this package installed, to click through the node by hand.
//
// Builds and packs the package, installs the tarball into the persistent user folder `.n8n-playground/`
// (gitignored; delete it to start over) on the newest supported n8n (2.41.1, cached by n8n-install.mjs),
// starts the fake Akool server on 127.0.0.1:3900, imports a credential "Akool (local fake)" pointing at it
// and the example workflows of examples/, creates the owner account, starts n8n on http://localhost:5678
// and prints how to log in. Ctrl-C stops n8n and the fake server.
//
// Environment:
//   AKOOL_API_KEY=...      use the real Akool API (https://openapi.akool.com) with this key instead of the fake
//   N8N_PORT=5678          the editor's port;  N8N_LISTEN_ADDRESS=127.0.0.1 (0.0.0.0 to reach it from outside)
//   FAKE_AKOOL_PORT=3900   the fake server's port
//
// The example workflows are re-imported on every start: save your own changes as new workflows.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { SUPPORTED_N8N, ensureN8n } from '../lib/install.mjs';
import { REPO, buildAndPack, installPackage, jsonFilesIn, n8nEnv, prepareWorkflow, readJson, runN8n, seconds } from './lib.mjs';

const { startFakeAkool } = createRequire(import.meta.url)('../fake-akool/server.js');

const FOLDER = join(REPO, '.n8n-playground');
const PORT = Number(process.env.N8N_PORT ?? 5678);
const LISTEN = process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1';
const FAKE_PORT = Number(process.env.FAKE_AKOOL_PORT ?? 3900);
const REAL_API_KEY = process.env.AKOOL_API_KEY;
// A local playground only: fixed so that the folder survives restarts. Not a secret.
const ENCRYPTION_KEY = 'akool-playground-encryption-key';
const OWNER = { email: 'playground@example.com', password: 'Playground-1234', firstName: 'Akool', lastName: 'Playground' };
const BASE = `http://127.0.0.1:${PORT}`;

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let n8n; // the `n8n start` child process
let fake; // the fake Akool server, unless AKOOL_API_KEY is set
let stopping = false;

/** The credential the examples use: the local fake server, or the real API with AKOOL_API_KEY. */
function playgroundCredential() {
	const common = { id: 'akoolPlayground', type: 'akoolApi' };
	if (REAL_API_KEY) {
		return { ...common, name: 'Akool (openapi.akool.com)', data: { authMethod: 'apiKey', apiKey: REAL_API_KEY, baseUrl: 'https://openapi.akool.com' } };
	}
	return { ...common, name: 'Akool (local fake)', data: { authMethod: 'apiKey', apiKey: fake.config.apiKeys[0], baseUrl: fake.url } };
}

/** Imports the credential and the examples (one n8n call each). The file with the key is deleted at once. */
async function importCredentialAndExamples(install, env) {
	const credential = playgroundCredential();
	const scratch = mkdtempSync(join(tmpdir(), 'akool-playground-'));
	try {
		const credentialsFile = join(scratch, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify([credential]), { mode: 0o600 });
		const workflows = jsonFilesIn(join(REPO, 'examples')).map((file) =>
			prepareWorkflow(readJson(file), {
				id: `example-${basename(file, '.json')}`.slice(0, 21),
				credential: { id: credential.id, name: credential.name },
				manualTrigger: false,
			}),
		);
		const workflowsFile = join(scratch, 'workflows.json');
		writeFileSync(workflowsFile, JSON.stringify(workflows));
		for (const args of [['import:credentials', `--input=${credentialsFile}`], ['import:workflow', `--input=${workflowsFile}`]]) {
			const result = await runN8n(install, args, env);
			if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
		}
		return { credential, workflows };
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** Starts `n8n start` in its own process group, its output going to .n8n-playground/n8n.log. */
function startN8n(install, env) {
	const logFile = join(FOLDER, 'n8n.log');
	const log = createWriteStream(logFile);
	const child = spawn(install.nodeBin, [install.n8nBin, 'start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	child.on('exit', (code, signal) => {
		if (stopping) return;
		say(`\nn8n stopped by itself (${signal ?? `exit code ${code}`}). Last lines of ${logFile}:`);
		say(readFileSync(logFile, 'utf8').trim().split('\n').slice(-20).join('\n'));
		stop(1);
	});
	return { child, logFile };
}

async function request(method, path, body) {
	const response = await fetch(`${BASE}${path}`, {
		method,
		headers: body ? { 'content-type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	return { status: response.status, text: await response.text() };
}

/** Waits until n8n answers `path` with HTTP 200. */
async function waitFor(path, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			if ((await request('GET', path)).status === 200) return;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	throw new Error(`n8n did not answer ${BASE}${path} within ${seconds(timeoutMs)}; see .n8n-playground/n8n.log`);
}

/** Creates the owner account on a new folder; on later starts checks that its login still works. */
async function ensureOwner() {
	const setup = await request('POST', '/rest/owner/setup', OWNER);
	if (setup.status === 200) return 'created';
	const login = await request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	if (login.status === 200) return 'exists';
	return `could not be created (HTTP ${setup.status}) nor used to log in (HTTP ${login.status}): delete .n8n-playground/ to start over`;
}

async function stop(exitCode = 0) {
	if (stopping) return;
	stopping = true;
	say('\nStopping…');
	if (n8n && n8n.exitCode === null && n8n.signalCode === null) {
		const exited = new Promise((r) => n8n.once('exit', r));
		process.kill(-n8n.pid, 'SIGTERM'); // n8n and its task runners: the group of the process started here
		const timedOut = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
		if (timedOut) process.kill(-n8n.pid, 'SIGKILL');
	}
	if (fake) await fake.close();
	say('Stopped n8n and the fake Akool server.');
	process.exit(exitCode);
}

async function main() {
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	const started = Date.now();
	const { version } = SUPPORTED_N8N[0];
	const install = ensureN8n(version);
	mkdirSync(FOLDER, { recursive: true });

	say('Building and packing the package…');
	const tarball = await buildAndPack(join(FOLDER, 'package'));
	await installPackage(FOLDER, tarball);

	if (!REAL_API_KEY) fake = await startFakeAkool({ port: FAKE_PORT });
	const env = n8nEnv({
		userFolder: FOLDER,
		encryptionKey: ENCRYPTION_KEY,
		brokerPort: PORT + 1000,
		extra: { N8N_PORT: String(PORT), N8N_LISTEN_ADDRESS: LISTEN, N8N_HOST: 'localhost' },
	});
	say(`Importing the credential and the example workflows into n8n ${version}…`);
	const { credential, workflows } = await importCredentialAndExamples(install, env);

	say('Starting n8n…');
	const { child, logFile } = startN8n(install, env);
	n8n = child;
	await waitFor('/healthz', 90_000);
	await waitFor('/rest/settings', 90_000);
	const owner = await ensureOwner();

	say('');
	say(`n8n ${version} with n8n-nodes-akool is ready at http://localhost:${PORT}  (started in ${seconds(Date.now() - started)})`);
	say(`  log in:      ${OWNER.email} / ${OWNER.password}   (owner account ${owner})`);
	say(`  credential:  "${credential.name}"${REAL_API_KEY ? ' (the key from AKOOL_API_KEY)' : ''}`);
	say(`  workflows:   ${workflows.map((w) => `"${w.name}"`).join(', ')}`);
	if (fake) {
		say(`  fake Akool:  ${fake.url}  (API key ${fake.config.apiKeys[0]}; state: ${fake.url}/__fake/state; add open sessions: curl -X POST ${fake.url}/__fake/sessions -d '{"count":3}')`);
	}
	say(`  n8n log:     ${logFile}`);
	say('Press Ctrl-C to stop.');
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	stop(1);
});
