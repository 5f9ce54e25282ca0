// Browser test: `npm run test:browser` (or `node test/browser/run.mjs`).
//
// Drives the real n8n editor in Debian's Chromium (playwright-core, no browser download) against n8n 2.41.1
// with this package installed the way users install it, and the fake Akool server. It installs Chromium
// with apt-get when /usr/bin/chromium is missing (needs root; CI starts on a fresh machine), starts the
// servers in a temporary user folder on free ports (the playground's stack, test/e2e/playground.mjs), then, as a user would:
//   log in → open the example workflow "create a live avatar session, then close it" → double-click
//   "Close Session" → check the Resource and Operation options → open its credential → check the
//   authentication methods → save with a client ID and secret, a bearer token, a wrong key and the right
//   key, and check what n8n's connection test reports each time → close the dialogs → execute the workflow.
// Screenshots (1400×900) go to docs/images/. Stops everything it started; on a failure it keeps the
// temporary folder (n8n.log, failure.png) and prints where. Last line: `N passed, M failed`.
//
// Environment:
//   BROWSER_SCREENSHOTS=<dir>  write the screenshots there instead of docs/images/ (e.g. in CI)
//   BROWSER_KEEP=1             keep the temporary folder even when everything passed
//   BROWSER_HEADED=1           show the browser window (needs a display)
//   CHROMIUM_PATH=<path>       another Chromium binary
//   BROWSER_N8N=<version>      another supported n8n, e.g. the oldest: BROWSER_N8N=1.123.81
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { OWNER, startPlayground } from '../e2e/playground.mjs';
import { NEWEST_N8N } from '../lib/install.mjs';
import { newUserSteps } from './newUser.mjs';
import { REPO, exampleId, freePort, logTail, runOrThrow } from '../lib/n8n.mjs';
import { reporter, say, seconds, show, sleep } from '../lib/report.mjs';

const N8N_VERSION = process.env.BROWSER_N8N ?? NEWEST_N8N;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = resolve(REPO, process.env.BROWSER_SCREENSHOTS ?? join('docs', 'images'));
const VIEWPORT = { width: 1400, height: 900 };
const WAIT = 30_000; // for anything the editor renders
const WAIT_SERVER = 60_000; // for anything that needs a round trip through n8n to the fake server

const EXAMPLE = join(REPO, 'examples', 'create-and-close-session.json');
const WORKFLOW_NAME = JSON.parse(readFileSync(EXAMPLE, 'utf8')).name;
const EXPECTED = {
	resources: ['Session', 'Avatar', 'Voice', 'Knowledge Base', 'Account'],
	sessionOperations: ['Close', 'Close All Open', 'Create', 'Get', 'Get Many'],
	authMethods: ['API Key', 'Bearer Token', 'Client ID and Secret'],
	canvasNodes: ["When clicking 'Execute workflow'", 'Create Session', 'Close Session'],
};
const CODEX = JSON.parse(readFileSync(join(REPO, 'nodes', 'AkoolLiveAvatar', 'AkoolLiveAvatar.node.json'), 'utf8'));
const DOCS = {
	node: CODEX.resources.primaryDocumentation[0].url,
	credential: CODEX.resources.credentialDocumentation[0].url,
};
const { ROUTES } = createRequire(import.meta.url)('../fake-akool/server.js');
const QUOTA_ROUTE = ROUTES.getCreditBalance; // what the credential's test calls
const TOKEN_ROUTE = ROUTES.getToken;
/** A bearer token the fake Akool server accepts without a getToken call (the "Bearer Token" method). */
const BEARER_TOKEN = 'browser-test-bearer-token';
const COULD_NOT_CONNECT = /Couldn.t connect with these settings/;

// ---- steps: the run stops at the first failure (every step needs the one before) ------------------------

const browserReport = reporter('browser');
let interrupting = false;

/** Fails the current step with what was expected and what was found. */
const fail = (message) => {
	throw Object.assign(new Error(message), { described: true });
};
function expectEqual(actual, expected, what) {
	if (show(actual) !== show(expected)) fail(`${what}: expected ${show(expected)}, found ${show(actual)}`);
}

/** Waits for a locator to be visible; fails with `what` (a sentence about what should be there). */
async function visible(locator, what, timeout = WAIT) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout });
	} catch (error) {
		if (error.name === 'TimeoutError') fail(`expected ${what} within ${seconds(timeout)}, but it did not appear`);
		throw error;
	}
	return locator;
}

/** Polls `check()` (sync or async) until it returns a truthy value. */
async function until(check, what, timeout = WAIT) {
	const deadline = Date.now() + timeout;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) fail(`expected ${what} within ${seconds(timeout)}`);
		await sleep(250);
	}
}

// ---- the editor ----------------------------------------------------------------------------------------

let page;
let stack;
let browser;
const shots = [];

async function screenshot(file, what) {
	mkdirSync(SHOTS, { recursive: true });
	const path = join(SHOTS, file);
	await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2); // no hover effects in the picture
	await page.waitForTimeout(400); // let transitions (dropdowns, banners) finish
	await page.screenshot({ path, animations: 'disabled' });
	shots.push({ path, what });
}

/** The visible options of the dropdown that is open now: the first line of each (its name). */
async function openOptions() {
	const options = page.getByRole('option').filter({ visible: true });
	await visible(options, 'the dropdown to open with its options');
	return (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

/** Picks option `name` in the open dropdown and waits for the dropdown to close. */
async function pick(name) {
	const option = page
		.getByRole('option')
		.filter({ visible: true })
		.filter({ has: page.getByText(name, { exact: true }) });
	await visible(option, `the option "${name}" in the open dropdown`);
	await option.first().click();
	await until(async () => (await page.getByRole('option').filter({ visible: true }).count()) === 0, 'the dropdown to close');
}

/** The value a parameter's dropdown shows. */
const selectValue = (container) => container.locator('input').first().inputValue();

/** Closes the notifications in the corner ("Credential saved"), so that a screenshot shows only the newest. */
async function dismissToasts() {
	const close = page.locator('.el-notification .el-notification__closeBtn').filter({ visible: true });
	for (let i = await close.count(); i > 0; i -= 1) await close.first().click();
	await until(async () => (await page.locator('.el-notification').filter({ visible: true }).count()) === 0, 'the notifications to close');
}

/** The credential dialog: waits for a save to finish and n8n's connection test to report. */
async function saveCredential(modal, routeCalled) {
	const before = stack.fake.requestsTo(routeCalled).length;
	await dismissToasts();
	await modal.getByTestId('credential-save-button').click();
	await until(
		() => stack.fake.requestsTo(routeCalled).length > before,
		`n8n's connection test to call the fake Akool server (${routeCalled})`,
		WAIT_SERVER,
	);
	const success = modal.getByTestId('credentials-config-container-test-success');
	const failure = modal.getByText(COULD_NOT_CONNECT);
	await visible(success.or(failure), 'the connection test result (a success or a failure banner)', WAIT_SERVER);
	await until(
		async () => !/Saving|Testing/.test(await modal.getByTestId('credential-save-button').innerText()),
		'the Save button to stop saving/testing',
		WAIT_SERVER,
	);
	return { success, failure };
}

/** Picks the authentication method `label`: its field `shown` appears, `hidden` (when given) is gone. */
async function chooseMethod(modal, label, shown, hidden) {
	await modal.getByTestId('parameter-input-authMethod').click();
	await pick(label);
	await visible(modal.getByTestId(`parameter-input-${shown}`), `the ${shown} field once "${label}" is chosen`);
	if (hidden && (await modal.getByTestId(`parameter-input-${hidden}`).isVisible()))
		fail(`expected the ${hidden} field to be hidden for "${label}"`);
}

/** Saves the credential; n8n's connection test must succeed (`secret`: with what). */
async function saveExpectingSuccess(modal, secret) {
	const { success, failure } = await saveCredential(modal, QUOTA_ROUTE);
	const said = async () => (await modal.innerText()).replace(/\s+/g, ' ').slice(0, 600);
	if (await failure.count()) fail(`expected the connection test to succeed with ${secret}; n8n reported: ${await said()}`);
	await visible(success, '"Connection tested successfully"');
}

/**
 * A step: the dropdown of parameter `name` in the view `within` (a data-test-id) lists `expected`; a screenshot
 * of it open (`shot`: [file, caption]); then `choice` is picked and shown.
 */
function dropdownStep({ label, within, name, what, expected, shot: [file, caption], choice }) {
	return [
		`${label} lists ${expected.join(', ')}`,
		async () => {
			const input = page.getByTestId(within).getByTestId(`parameter-input-${name}`);
			await input.click();
			expectEqual(await openOptions(), expected, what);
			await screenshot(file, caption);
			await pick(choice);
			expectEqual(await selectValue(input), choice, `${what}: the one shown after picking ${choice}`);
		},
	];
}

async function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	if (process.env.CHROMIUM_PATH) fail(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
	if (process.getuid?.() !== 0)
		fail(`${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install -y chromium), or set CHROMIUM_PATH`);
	say(`  (installing Debian's chromium with apt-get: ${CHROMIUM} is missing)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		await runOrThrow('apt-get', args, { env, timeoutMs: 900_000 });
	}
	if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

const STEPS = [
	['Chromium is installed', ensureChromium],
	[
		`start n8n ${N8N_VERSION} with the package, the fake Akool server, the credential and the examples`,
		async () => {
			// Never the playground's folder and ports; the fake takes 3910 when free, so that screenshots stay alike.
			const folder = mkdtempSync(join(tmpdir(), 'akool-browser-'));
			const options = { folder, port: await freePort(), fakePort: 3910, fakeOptions: { tokens: [BEARER_TOKEN] } };
			await startPlayground({ ...options, version: N8N_VERSION, log: (line) => say(`        ${line}`), onStarted: (s) => (stack = s) });
		},
	],
	[
		'launch Chromium and log in as the owner',
		async () => {
			const { chromium, selectors } = await import('playwright-core');
			selectors.setTestIdAttribute('data-test-id'); // n8n's attribute (Playwright's default is data-testid)
			browser = await chromium.launch({
				executablePath: CHROMIUM,
				headless: process.env.BROWSER_HEADED !== '1',
				// This script stops the browser, n8n and the fake server itself on Ctrl-C: Playwright's own
				// handlers would exit the process as soon as the browser is closed, leaving n8n running.
				handleSIGINT: false,
				handleSIGTERM: false,
				handleSIGHUP: false,
				// As the machine's probe ran it: no sandbox as root, and no calls home (the network is closed).
				args: [
					'--no-sandbox',
					'--disable-gpu',
					'--disable-quic',
					'--no-first-run',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-sync',
				],
			});
			const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US' });
			page = await context.newPage();
			page.setDefaultTimeout(WAIT);
			page.setDefaultNavigationTimeout(WAIT_SERVER);
			await page.goto(`${stack.baseUrl}/signin`);
			await visible(page.getByTestId('signin-form'), 'the sign-in form');
			// By position and type: the email field's id differs between n8n versions (1.123: not emailOrLdapLoginId).
			await page.getByTestId('signin-form').locator('input').first().fill(OWNER.email);
			await page.getByTestId('signin-form').locator('input[type="password"]').fill(OWNER.password);
			await page.getByTestId('form-submit-button').click();
			try {
				await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: WAIT });
			} catch {
				fail(`expected to leave the sign-in page after logging in as ${OWNER.email}; still at ${page.url()}`);
			}
		},
	],
	// The new-user path first: it needs only the imported credential, and ends back on the workflow list.
	...newUserSteps({
		page: () => page,
		stack: () => stack,
		visible,
		until,
		fail,
		expectEqual,
		openOptions,
		pick,
		screenshot,
		dismissToasts,
		WAIT_SERVER,
	}),
	[
		'open the example workflow from the list: three nodes on the canvas',
		async () => {
			const card = page.getByText(WORKFLOW_NAME, { exact: true });
			await visible(card, `the workflow "${WORKFLOW_NAME}" in the workflow list (at ${page.url()})`);
			await card.first().click();
			const id = exampleId(EXAMPLE);
			try {
				await page.waitForURL((url) => url.pathname.includes(`/workflow/${id}`));
			} catch {
				fail(`expected the editor at /workflow/${id} after clicking the workflow; at ${page.url()}`);
			}
			const nodes = page.getByTestId('canvas-node');
			await visible(nodes.filter({ hasText: 'Close Session' }), 'the node "Close Session" on the canvas');
			const names = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-name')).filter(Boolean));
			for (const name of EXPECTED.canvasNodes)
				if (!names.includes(name)) fail(`expected the node "${name}" on the canvas; found ${show(names)}`);
			// The Akool nodes: the package's node type, its subtitle, and an icon that loaded.
			for (const [name, subtitle] of [
				['Create Session', 'create: session'],
				['Close Session', 'close: session'],
			]) {
				const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
				expectEqual(await node.getAttribute('data-node-type'), 'n8n-nodes-akool.akoolLiveAvatar', `the type of the canvas node "${name}"`);
				await visible(node.getByText(subtitle, { exact: true }), `the subtitle "${subtitle}" under "${name}"`);
				const icon = await until(
					() =>
						node
							.locator('img')
							.evaluateAll((imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0 })))
							.then((all) => (all.length && all.every((i) => i.loaded) ? all : undefined)),
					`the icon of "${name}" to load (an <img> with a non-zero natural width)`,
				);
				if (!icon[0].src.includes('akool')) fail(`expected the icon of "${name}" to be the package's akool svg; its src is ${icon[0].src}`);
			}
			await screenshot('workflow-create-close.png', `the example workflow "${WORKFLOW_NAME}" on the canvas`);
		},
	],
	[
		'double-click "Close Session": the node opens with Resource "Session", Operation "Close" and the credential',
		async () => {
			await page.locator('[data-test-id="canvas-node"][data-node-name="Close Session"]').dblclick();
			const ndv = await visible(page.getByTestId('ndv'), 'the node details view (data-test-id="ndv") after the double-click');
			await visible(ndv.getByTestId('parameter-input-resource'), 'the Resource parameter in the node');
			expectEqual(await selectValue(ndv.getByTestId('parameter-input-resource')), 'Session', 'the Resource shown');
			expectEqual(await selectValue(ndv.getByTestId('parameter-input-operation')), 'Close', 'the Operation shown');
			expectEqual(await selectValue(ndv.getByTestId('node-credentials-select')), stack.credential.name, 'the credential shown');
			await visible(ndv.getByTestId('parameter-input-sessionId'), 'the Session (resource locator) parameter of Close');
			const docs = await ndv.getByRole('link', { name: 'Docs' }).first().getAttribute('href');
			if (!docs?.startsWith(DOCS.node))
				fail(`expected the node's Docs link to lead to ${DOCS.node} (codex primaryDocumentation); it is ${docs}`);
			await screenshot('node-close-session.png', 'the Close Session node open: credential, Resource, Operation, Session, Options');
		},
	],
	dropdownStep({
		label: 'the Resource dropdown',
		within: 'ndv',
		name: 'resource',
		what: 'the Resource options',
		expected: EXPECTED.resources,
		shot: ['node-resources.png', 'the Resource dropdown open'],
		choice: 'Session',
	}),
	dropdownStep({
		label: 'the Operation dropdown of Session',
		within: 'ndv',
		name: 'operation',
		what: 'the Session operations',
		expected: EXPECTED.sessionOperations,
		shot: ['node-operations.png', 'the Operation dropdown of the Session resource open'],
		choice: 'Close',
	}),
	[
		'open the credential from the node: the dialog tests the connection to the fake server and reports success',
		async () => {
			const before = stack.fake.requestsTo(QUOTA_ROUTE).length;
			await page.getByTestId('ndv').getByTestId('credential-edit-button').click();
			const modal = await visible(page.getByTestId('editCredential-modal'), 'the credential dialog (data-test-id="editCredential-modal")');
			await visible(modal.getByText('Akool API', { exact: true }), 'the credential type "Akool API" in the dialog header');
			const icon = await until(
				() =>
					modal
						.locator('header img')
						.first()
						.evaluate((i) => (i.complete && i.naturalWidth > 0 ? i.getAttribute('src') : undefined))
						.catch(() => undefined),
				'the credential icon in the dialog header to load',
			);
			if (!icon.includes('akool')) fail(`expected the credential icon to be the package's akool svg; its src is ${icon}`);
			const docs = await modal
				.getByRole('link', { name: /^(open )?docs$/i })
				.first()
				.getAttribute('href');
			if (!docs?.startsWith(DOCS.credential))
				fail(`expected the dialog's "docs" link to lead to ${DOCS.credential} (the credential's documentationUrl); it is ${docs}`);
			await visible(
				modal.getByTestId('credentials-config-container-test-success'),
				'"Connection tested successfully" (the test n8n runs when the dialog opens)',
				WAIT_SERVER,
			);
			const calls = stack.fake.requestsTo(QUOTA_ROUTE).slice(before);
			if (!calls.length) fail(`expected the connection test to call the fake Akool server (${QUOTA_ROUTE}); it was not called`);
			expectEqual(calls.at(-1).headers['x-api-key'], stack.fake.config.apiKeys[0], 'the x-api-key header of the connection test');
		},
	],
	dropdownStep({
		label: 'the Authentication Method dropdown',
		within: 'editCredential-modal',
		name: 'authMethod',
		what: 'the authentication methods',
		expected: EXPECTED.authMethods,
		shot: ['credential-auth-methods.png', 'the Authentication Method dropdown of the Akool API credential'],
		choice: 'Client ID and Secret',
	}),
	[
		'Client ID and Secret: saving exchanges them for a token at the fake server and the test succeeds',
		async () => {
			const modal = page.getByTestId('editCredential-modal');
			await visible(modal.getByTestId('parameter-input-clientId'), 'the Client ID field once "Client ID and Secret" is chosen');
			if (await modal.getByTestId('parameter-input-apiKey').isVisible())
				fail('expected the API Key field to be hidden for "Client ID and Secret"');
			const { clientId, clientSecret } = stack.fake.config.clients[0];
			await modal.getByTestId('parameter-input-clientId').locator('input').fill(clientId);
			await modal.getByTestId('parameter-input-clientSecret').locator('input').fill(clientSecret);
			const tokensBefore = stack.fake.requestsTo(TOKEN_ROUTE).length;
			await saveExpectingSuccess(modal, "the fake's client ID and secret");
			const exchanges = stack.fake.requestsTo(TOKEN_ROUTE).slice(tokensBefore);
			if (!exchanges.length) fail(`expected n8n to exchange the client ID and secret for a token (${TOKEN_ROUTE}); it did not`);
			expectEqual(exchanges.at(-1).body.clientId, clientId, 'the clientId sent to getToken');
			const test = stack.fake.requestsTo(QUOTA_ROUTE).at(-1);
			if (!/^Bearer \S+/.test(test.headers.authorization ?? ''))
				fail(`expected the connection test to send "Authorization: Bearer <token>"; headers were ${show(test.headers)}`);
			await screenshot('credential-client-credentials.png', 'the credential with Client ID and Secret, tested successfully');
		},
	],
	[
		'Bearer Token: saving sends the token as Authorization: Bearer and the test succeeds',
		async () => {
			const modal = page.getByTestId('editCredential-modal');
			await chooseMethod(modal, 'Bearer Token', 'accessToken', 'clientId');
			await modal.getByTestId('parameter-input-accessToken').locator('input').fill(BEARER_TOKEN);
			await saveExpectingSuccess(modal, 'a token the fake accepts');
			const test = stack.fake.requestsTo(QUOTA_ROUTE).at(-1);
			expectEqual(test.headers.authorization, `Bearer ${BEARER_TOKEN}`, 'the Authorization header of the connection test');
			expectEqual(
				test.headers['x-api-key'],
				undefined,
				'the x-api-key header of the connection test (only one auth header may reach Akool)',
			);
		},
	],
	[
		"a wrong API key: the test fails and says, in the node's words, that Akool rejected the credential",
		async () => {
			const modal = page.getByTestId('editCredential-modal');
			await chooseMethod(modal, 'API Key', 'apiKey');
			await modal.getByTestId('parameter-input-apiKey').locator('input').fill('not-the-right-key');
			const { failure } = await saveCredential(modal, QUOTA_ROUTE);
			await visible(failure, '"Couldn’t connect with these settings" for a wrong key');
			expectEqual(
				stack.fake.requestsTo(QUOTA_ROUTE).at(-1).headers['x-api-key'],
				'not-the-right-key',
				'the x-api-key header of the connection test',
			);
			await (await visible(modal.getByText('More details', { exact: true }), '"More details" next to the failure')).first().click();
			await visible(modal.getByText(/Akool rejected the credential/), "the failure's details (Akool rejected the credential)");
			const dialogText = (await modal.innerText()).replace(/\s+/g, ' ');
			if (!dialogText.includes('Check the API key'))
				fail(`expected the failure to say what to check (the API key); the dialog says: ${dialogText.slice(0, 600)}`);
			await screenshot('credential-test-failed.png', 'the credential dialog after saving a wrong API key: the failed connection test');
		},
	],
	[
		'the right API key: Save reports "Connection tested successfully"',
		async () => {
			const modal = page.getByTestId('editCredential-modal');
			await modal.getByTestId('parameter-input-apiKey').locator('input').fill(stack.fake.config.apiKeys[0]);
			await saveExpectingSuccess(modal, "the fake's API key");
			expectEqual(
				stack.fake.requestsTo(QUOTA_ROUTE).at(-1).headers['x-api-key'],
				stack.fake.config.apiKeys[0],
				'the x-api-key header of the connection test',
			);
			await screenshot('credential-dialog.png', 'the Akool API credential (API Key) after Save: "Connection tested successfully"');
		},
	],
	[
		'close the dialogs and execute the workflow: both Akool nodes succeed, the fake session is created and closed',
		async () => {
			const modal = page.getByTestId('editCredential-modal');
			await modal.getByRole('button', { name: 'Close this dialog' }).click();
			await until(async () => !(await modal.isVisible()), 'the credential dialog to close');
			// The node details view closes by its button (2.x) or "Back to canvas" (1.123).
			await page.getByTestId('ndv-close-button').or(page.getByTestId('back-to-canvas')).first().click();
			await until(async () => !(await page.getByTestId('ndv').isVisible()), 'the node details view to close');
			const sessionsBefore = stack.fake.state.sessions.size;
			await dismissToasts();
			await page.getByTestId('execute-workflow-button').click();
			for (const name of ['Create Session', 'Close Session']) {
				const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
				await visible(
					node.getByTestId('canvas-node-status-success'),
					`the success mark on "${name}" after executing the workflow`,
					WAIT_SERVER,
				);
			}
			const created = [...stack.fake.state.sessions.values()].slice(sessionsBefore);
			expectEqual(created.length, 1, 'sessions created at the fake server by the execution');
			expectEqual(created[0].closeCalls, 1, 'close calls for the created session');
			await visible(page.getByText('Workflow executed successfully'), 'the notification "Workflow executed successfully"');
			await screenshot('workflow-executed.png', 'the example workflow after a successful execution');
		},
	],
];

// ---- main ----------------------------------------------------------------------------------------------

const stopAll = async () => {
	await browser?.close().catch(() => {});
	browser = undefined;
	await stack?.stop();
};

/** Ctrl-C, a closed terminal or a crash: stop n8n, the fake server and the browser before exiting. */
function stopOnSignals() {
	const end = (why, code) => {
		if (interrupting) return;
		interrupting = true;
		say(`\n${why}: stopping n8n, the fake server and the browser…`);
		stopAll().finally(() => process.exit(code));
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => end(signal, 130));
	for (const event of ['uncaughtException', 'unhandledRejection']) process.on(event, (e) => end(`Unexpected error: ${e?.stack ?? e}`, 1));
	// Output piped into `head` or a closed terminal must not end the run before it has stopped n8n.
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

/** After a failed step: the page, n8n's log, and what was not run. */
async function explainFailure(name) {
	if (page && stack) await page.screenshot({ path: join(stack.folder, 'failure.png') }).catch(() => {});
	if (stack) say(`\n  The page at the failure: ${join(stack.folder, 'failure.png')}`);
	if (stack)
		say(`  Last lines of n8n's log (without the offline noise):\n${logTail(join(stack.folder, 'n8n.log'), 12).replace(/^/gm, '    ')}`);
	const skipped = STEPS.slice(STEPS.findIndex(([n]) => n === name) + 1).map(([n]) => n);
	if (skipped.length) say(`\n  Not run (each step needs the one before): ${skipped.join('; ')}`);
}

async function main() {
	const shotsDir = SHOTS.startsWith(REPO) ? relative(REPO, SHOTS) : SHOTS;
	say(`Browser test: n8n ${N8N_VERSION} + n8n-nodes-akool in Debian's Chromium; screenshots to ${shotsDir}/`);
	stopOnSignals();
	let keep = process.env.BROWSER_KEEP === '1';
	for (const [name, fn] of STEPS) {
		if ((await browserReport.step(name, fn)).ok) continue;
		if (interrupting) await new Promise(() => {}); // the signal handler stops everything and exits
		keep = true;
		await explainFailure(name);
		break;
	}
	await stopAll();
	if (stack && !keep) rmSync(stack.folder, { recursive: true, force: true });
	else if (stack) say(`\n  Kept the temporary folder (user folder, n8n.log): ${stack.folder}`);
	if (shots.length) say('\nScreenshots:');
	for (const { path, what } of shots) say(`  ${path.startsWith(REPO) ? relative(REPO, path) : path}  ${what}`);
	process.exit(browserReport.finish() ? 1 : 0);
}

await main();
