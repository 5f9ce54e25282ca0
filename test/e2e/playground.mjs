// `npm start`: n8n with this package installed and the fake Akool server, to click through the node by hand (the
// browser test starts the same stack in a temporary folder on free ports). The user folder persists in the n8n cache
// (`playground/`; in the repository, `npm run lint` would read n8n's own files): delete it to start over. The example
// workflows are re-imported on every start (save your changes as new workflows). Ctrl-C stops n8n and the fake.
//   AKOOL_API_KEY=...      use the real Akool API (https://openapi.akool.com) with this key instead of the fake
//   N8N_PORT=5678          the editor's port;  N8N_LISTEN_ADDRESS=127.0.0.1 (0.0.0.0 to reach it from outside)
//   FAKE_AKOOL_PORT=3900   the fake server's port
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { CACHE_DIR, NEWEST_N8N, ensureN8n } from '../lib/install.mjs';
import { buildAndPack, ensureOwner, exampleWorkflows, installPackage } from '../lib/n8n.mjs';
import { killRunning, logTail, onStop, startEditor, userFolder } from '../lib/n8n.mjs';
import { say, seconds } from '../lib/report.mjs';

const { startFakeAkool } = createRequire(import.meta.url)('../fake-akool/server.js');

export const OWNER = { email: 'playground@example.com', password: 'Playground-1234', firstName: 'Akool', lastName: 'Playground' };
export const CREDENTIAL = { id: 'akoolPlayground', name: 'Akool (local fake)' };
const REAL_API = { url: 'https://openapi.akool.com', credential: 'Akool (openapi.akool.com)' };

// n8n (`version`, the newest supported one by default) with the package, the credential, the examples and the owner
// account, in `folder`, serving on `port`. `onStarted(stack)` gets the handle before anything can fail, so that its
// stop() (safe to call more than once) can end whatever was started.
export async function startPlayground(options) {
	const { folder, port, fakePort, fakeOptions = {}, realApiKey, version = NEWEST_N8N, log = say } = options;
	const stack = { folder, version };
	stack.stop = () =>
		(stack.stopping ??= (async () => {
			killRunning();
			await stack.proc?.stop();
			await stack.fake?.close();
		})());
	options.onStarted?.(stack);
	const install = ensureN8n(version);
	mkdirSync(folder, { recursive: true });
	log('build and pack the package, install it into the n8n user folder');
	await installPackage(folder, (await buildAndPack(join(folder, 'package'))).tarball);
	// The fake on `fakePort` when it is free, else on any port (another run holds it).
	if (!realApiKey) stack.fake = await startFakeAkool({ ...fakeOptions, port: fakePort }).catch(() => startFakeAkool(fakeOptions));
	const { fake } = stack;
	stack.credential = { ...CREDENTIAL, name: realApiKey ? REAL_API.credential : CREDENTIAL.name };
	const api = fake ? { apiKey: fake.config.apiKeys[0], baseUrl: fake.url } : { apiKey: realApiKey, baseUrl: REAL_API.url };
	const env = { N8N_HOST: 'localhost', N8N_LISTEN_ADDRESS: process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1' };
	const n8n = await userFolder({ install, folder, encryptionKey: 'akool-playground-encryption-key', env, brokerPort: port + 1000 });
	log(`import the credential "${stack.credential.name}" and the example workflows`);
	stack.workflows = exampleWorkflows(stack.credential);
	await n8n.importAll({ credentials: [{ ...stack.credential, data: { authMethod: 'apiKey', ...api } }], workflows: stack.workflows });
	if (stack.stopping) throw new Error('stopped before n8n was started');
	log(`start n8n ${version} on port ${port}`);
	await startEditor(n8n, { port, logFile: join(folder, 'n8n.log'), onProc: (proc) => (stack.proc = proc) });
	stack.baseUrl = `http://localhost:${port}`;
	stack.owner = await ensureOwner(stack.baseUrl, OWNER);
	return stack;
}

async function main() {
	const started = Date.now();
	let stack;
	// Ctrl-C is how a user ends the playground: a clean stop, so exit code 0.
	const stopStack = onStop(async () => {
		say('\nStopping…');
		await stack?.stop();
		say('Stopped n8n and the fake Akool server.');
	}, 0);
	const stop = (code) => stopStack().finally(() => process.exit(code));
	const { AKOOL_API_KEY: realApiKey, N8N_PORT = 5678, FAKE_AKOOL_PORT = 3900 } = process.env;
	const options = { folder: join(CACHE_DIR, 'playground'), port: Number(N8N_PORT), fakePort: Number(FAKE_AKOOL_PORT), realApiKey };
	stack = await startPlayground({ ...options, onStarted: (s) => (stack = s) }).catch(async (error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		await stop(1);
	});
	stack.proc.done.then(({ code, signal }) => {
		if (stack.stopping) return;
		say(`\nn8n stopped by itself (${signal ?? `exit code ${code}`}). Last lines of its log:\n${logTail(stack.proc.logFile, 20)}`);
		stop(1);
	});
	const { fake } = stack;
	say(`\nn8n ${stack.version} with n8n-nodes-akool is ready at ${stack.baseUrl}  (started in ${seconds(Date.now() - started)})`);
	say(`  log in:      ${OWNER.email} / ${OWNER.password}   (owner account ${stack.owner})`);
	say(`  credential:  "${stack.credential.name}"${realApiKey ? ' (the key from AKOOL_API_KEY)' : ''}`);
	say(`  workflows:   ${stack.workflows.map((w) => `"${w.name}"`).join(', ')}`);
	if (fake) say(`  fake Akool:  ${fake.url}  (API key ${fake.config.apiKeys[0]}; state: ${fake.url}/__fake/state)`);
	if (fake) say(`               add open sessions: curl -X POST ${fake.url}/__fake/sessions -d '{"count":3}'`);
	say(`  n8n log:     ${stack.proc.logFile}\nPress Ctrl-C to stop.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
