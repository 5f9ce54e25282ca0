// `npm run test:browser`: a user's path (the steps below, newUser.mjs) through the n8n editor in Debian's Chromium
// (playwright-core; apt-get installs Chromium when it is missing), on n8n 2.41.1 with this package installed as users
// install it, against the fake Akool server. Each step needs the one before: the run stops at the first failure and
// keeps its temporary folder (n8n.log, failure.png). Screenshots (1400×900) go to docs/images/.
// Environment: BROWSER_SCREENSHOTS=<dir> (screenshots there instead), BROWSER_N8N=<version> (e.g. 1.123.81),
// BROWSER_KEEP=1 (keep the temporary folder), BROWSER_HEADED=1 (show the window).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { OWNER, startPlayground } from '../e2e/playground.mjs';
import { NEWEST_N8N } from '../lib/install.mjs';
import { NODE_TYPE, REPO, STOP_SIGNALS, exampleId, freePort, logTail, onStop, readJson, runOrThrow } from '../lib/n8n.mjs';
import { indent, reporter, say, show } from '../lib/report.mjs';
import { NEW_USER_STEPS } from './newUser.mjs';
import { OPERATIONS, VIEWPORT, WAIT, WAIT_SERVER, byTestId, canvasNode, choose, click, closeNdv, dismissToasts } from './editor.mjs';
import { expectEqual, fail, gone, openOptions, pick, screenshot, selectValue, ui, until, visible } from './editor.mjs';

const N8N_VERSION = process.env.BROWSER_N8N ?? NEWEST_N8N;
const CHROMIUM = '/usr/bin/chromium'; // Debian's
const EXAMPLE_FILE = join(REPO, 'examples', 'create-and-close-session.json');
const EXAMPLE = readJson(EXAMPLE_FILE);
/** The Akool nodes of the example, with the subtitle the canvas shows under each. */
const AKOOL_NODES = { 'Create Session': 'create: session', 'Close Session': 'close: session' };
const DOCS = readJson(join(REPO, 'nodes', 'AkoolLiveAvatar', 'AkoolLiveAvatar.node.json')).resources;
const { ROUTES } = createRequire(import.meta.url)('../fake-akool/server.js');
const QUOTA_ROUTE = ROUTES.getCreditBalance; // what the credential's test calls
const AUTH_METHODS = ['API Key', 'Bearer Token', 'Client ID and Secret'];
const BEARER_TOKEN = 'browser-test-bearer-token'; // the fake accepts it without a getToken call
const browserReport = reporter('browser');
let browser;

const modal = () => byTestId('editCredential-modal');
/** The fake server's requests to `route` from now on. */
function requestsFromNow() {
	const { requests } = ui.stack.fake;
	const mark = requests.length;
	return (route) => requests.slice(mark).filter((request) => request.route === route);
}

/** Waits until `images` (an <img> locator) have loaded; the first must be the package's akool svg. */
async function expectAkoolIcon(images, what) {
	const loaded = async () => {
		const all = await images.evaluateAll((imgs) => imgs.map((i) => (i.complete && i.naturalWidth > 0 ? i.getAttribute('src') : '')));
		return all.length > 0 && all.every(Boolean) && all[0];
	};
	const first = await until(loaded, `${what} to load`);
	if (!first.includes('akool')) fail(`expected ${what} to be the package's akool svg; its src is ${first}`);
}

async function expectLink(link, url, what) {
	const href = await link.first().getAttribute('href');
	if (!href?.startsWith(url)) fail(`expected ${what} to lead to ${url}; it is ${href}`);
}

/** A step: the dropdown `name` lists `expected`; a screenshot of it open (`file`), then `choice`. */
const dropdownStep = (label, name, expected, choice, file) => ({
	[`${label} lists ${expected.join(', ')}`]: async () => {
		const input = byTestId(`parameter-input-${name}`);
		await input.click();
		expectEqual(await openOptions(), expected, `the options of ${label}`);
		await screenshot(file, `${label} open`);
		await pick(input, choice);
	},
});

/** Saves the credential dialog; n8n's connection test must call the fake server, then succeed (or, with `fails`, fail). */
async function saveCredential(since, fails) {
	const save = modal().getByTestId('credential-save-button');
	await dismissToasts();
	await save.click();
	await until(() => since(QUOTA_ROUTE).length, `n8n's connection test to call the fake Akool server (${QUOTA_ROUTE})`, WAIT_SERVER);
	const success = modal().getByTestId('credentials-config-container-test-success');
	const failure = modal().getByText(/Couldn.t connect with these settings/);
	await visible(success.or(failure), 'the connection test result (a success or a failure banner)', WAIT_SERVER);
	await until(async () => !/Saving|Testing/.test(await save.innerText()), 'the Save button to stop saving/testing', WAIT_SERVER);
	const [expected, other] = fails ? [failure, success] : [success, failure];
	const said = async () => (await modal().innerText()).replace(/\s+/g, ' ').slice(0, 600);
	if (await other.first().isVisible()) fail(`expected the connection test to ${fails ? 'fail' : 'succeed'}; it says: ${await said()}`);
	await visible(expected, fails ? '"Couldn’t connect with these settings"' : '"Connection tested successfully"');
	// A failure's details, unless a failure before left them open.
	const more = modal().getByText('More details', { exact: true });
	if (fails && (await more.isVisible())) await more.click();
}

// A step in the credential dialog: choose the authentication `method`, fill `fields` (from the fake's config; a
// `hidden` field must not show), set the fake up (`before`), save; the connection test must send `headers` (values
// or patterns; by default the API key filled in); `then` checks the rest.
const credentialStep = (name, { method, fields, hidden, before, fails = false, headers, then, shot }) => ({
	[name]: async () => {
		await choose(modal().getByTestId('parameter-input-authMethod'), method);
		const values = fields(ui.stack.fake.config);
		for (const [field, value] of Object.entries(values))
			await (await visible(modal().getByTestId(`parameter-input-${field}`), `the ${field} field`)).locator('input').fill(value);
		if (hidden && (await modal().getByTestId(`parameter-input-${hidden}`).isVisible()))
			fail(`expected the ${hidden} field to be hidden for "${method}"`);
		const since = requestsFromNow();
		before?.();
		await saveCredential(since, fails);
		const sent = since(QUOTA_ROUTE).at(-1).headers;
		for (const [header, expected] of Object.entries(headers?.(values) ?? { 'x-api-key': values.apiKey })) {
			const ok = expected instanceof RegExp ? expected.test(sent[header] ?? '') : sent[header] === expected;
			if (!ok) fail(`the ${header} header of the connection test: expected ${expected ?? 'none'}, found ${show(sent[header])}`);
		}
		await then?.({ values, since });
		if (shot) await screenshot(...shot);
	},
});

const STEPS = {
	'Chromium is installed': async () => {
		if (existsSync(CHROMIUM)) return;
		if (process.getuid?.() !== 0) fail(`${CHROMIUM} is missing: sudo apt-get install -y chromium`);
		say(`  (installing Debian's chromium with apt-get: ${CHROMIUM} is missing)`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		for (const args of [['update'], ['install', '-y', 'chromium']]) await runOrThrow('apt-get', args, { env, timeoutMs: 900_000 });
		if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
	},
	[`start n8n ${N8N_VERSION} with the package, the fake Akool server, the credential and the examples`]: async () => {
		// Never the playground's folder and ports; the fake takes 3910 when free, so that screenshots stay alike.
		const folder = mkdtempSync(join(tmpdir(), 'akool-browser-'));
		const options = { folder, port: await freePort(), fakePort: 3910, fakeOptions: { tokens: [BEARER_TOKEN] }, version: N8N_VERSION };
		await startPlayground({ ...options, log: (line) => say(`        ${line}`), onStarted: (stack) => (ui.stack = stack) });
	},
	'launch Chromium and log in as the owner': async () => {
		const { chromium, selectors } = await import('playwright-core');
		selectors.setTestIdAttribute('data-test-id'); // n8n's attribute (Playwright's default is data-testid)
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: process.env.BROWSER_HEADED !== '1',
			...Object.fromEntries(STOP_SIGNALS.map((signal) => [`handle${signal}`, false])), // theirs would exit before n8n is stopped
			// No calls home (the network is closed); Playwright adds --no-sandbox, --disable-background-networking etc.
			args: ['--disable-gpu', '--disable-quic', '--disable-sync'],
		});
		ui.page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US' });
		ui.page.setDefaultTimeout(WAIT);
		ui.page.setDefaultNavigationTimeout(WAIT_SERVER);
		await ui.page.goto(`${ui.stack.baseUrl}/signin`);
		const form = await visible(byTestId('signin-form'), 'the sign-in form');
		// By position and type: the email field's id differs between n8n versions (1.123: not emailOrLdapLoginId).
		await form.locator('input').first().fill(OWNER.email);
		await form.locator('input[type="password"]').fill(OWNER.password);
		await byTestId('form-submit-button').click();
		const left = `expected to leave the sign-in page after logging in as ${OWNER.email}`;
		await ui.page.waitForURL((url) => !url.pathname.startsWith('/signin')).catch(() => fail(`${left}; still at ${ui.page.url()}`));
	},
	...NEW_USER_STEPS, // they need only the imported credential, and end back on the workflow list
	'open the example workflow from the list: three nodes on the canvas': async () => {
		await click(ui.page.getByText(EXAMPLE.name, { exact: true }), `the workflow "${EXAMPLE.name}" in the list (at ${ui.page.url()})`);
		const path = `/workflow/${exampleId(EXAMPLE_FILE)}`;
		await ui.page.waitForURL((url) => url.pathname.includes(path)).catch(() => fail(`expected the editor at ${path}; at ${ui.page.url()}`));
		await visible(canvasNode('Close Session'), 'the node "Close Session" on the canvas');
		const names = await byTestId('canvas-node').evaluateAll((all) => all.map((node) => node.getAttribute('data-node-name')));
		for (const { name, type } of EXAMPLE.nodes)
			if (!type.endsWith('stickyNote') && !names.includes(name)) fail(`expected the node "${name}" on the canvas; found ${show(names)}`);
		for (const [name, subtitle] of Object.entries(AKOOL_NODES)) {
			expectEqual(await canvasNode(name).getAttribute('data-node-type'), NODE_TYPE, `the type of the canvas node "${name}"`);
			await visible(canvasNode(name).getByText(subtitle, { exact: true }), `the subtitle "${subtitle}" under "${name}"`);
			await expectAkoolIcon(canvasNode(name).locator('img'), `the icon of "${name}"`);
		}
		await screenshot('workflow-create-close.png', `the example workflow "${EXAMPLE.name}" on the canvas`);
	},
	'double-click "Close Session": the node opens with Resource "Session", Operation "Close" and the credential': async () => {
		await canvasNode('Close Session').dblclick();
		const ndv = await visible(byTestId('ndv'), 'the node details view (data-test-id="ndv") after the double-click');
		await visible(ndv.getByTestId('parameter-input-resource'), 'the Resource parameter in the node');
		const shows = (testId) => selectValue(ndv.getByTestId(testId));
		expectEqual(await shows('parameter-input-resource'), 'Session', 'the Resource shown');
		expectEqual(await shows('parameter-input-operation'), 'Close', 'the Operation shown');
		expectEqual(await shows('node-credentials-select'), ui.stack.credential.name, 'the credential shown');
		await visible(ndv.getByTestId('parameter-input-sessionId'), 'the Session (resource locator) parameter of Close');
		await expectLink(ndv.getByRole('link', { name: 'Docs' }), DOCS.primaryDocumentation[0].url, "the node's Docs link");
		await screenshot('node-close-session.png', 'the Close Session node open: credential, Resource, Operation, Session, Options');
	},
	...dropdownStep('the Resource dropdown', 'resource', Object.keys(OPERATIONS), 'Session', 'node-resources.png'),
	...dropdownStep('the Operation dropdown of Session', 'operation', OPERATIONS.Session, 'Close', 'node-operations.png'),
	'open the credential from the node: the dialog tests the connection to the fake server and reports success': async () => {
		const since = requestsFromNow();
		await byTestId('ndv').getByTestId('credential-edit-button').click();
		await visible(modal(), 'the credential dialog (data-test-id="editCredential-modal")');
		await visible(modal().getByText('Akool API', { exact: true }), 'the credential type "Akool API" in the dialog header');
		await expectAkoolIcon(modal().locator('header img').first(), 'the credential icon in the dialog header');
		await expectLink(modal().getByRole('link', { name: /^(open )?docs$/i }), DOCS.credentialDocumentation[0].url, 'the "docs" link');
		const opened = '"Connection tested successfully" (the test n8n runs when the dialog opens)';
		await visible(modal().getByTestId('credentials-config-container-test-success'), opened, WAIT_SERVER);
		const key = since(QUOTA_ROUTE).at(-1)?.headers['x-api-key'];
		expectEqual(key, ui.stack.fake.config.apiKeys[0], `the x-api-key header of the connection test (${QUOTA_ROUTE})`);
	},
	...dropdownStep('the Authentication Method dropdown', 'authMethod', AUTH_METHODS, 'Client ID and Secret', 'credential-auth-methods.png'),
	...credentialStep('Client ID and Secret: saving exchanges them for a token at the fake server and the test succeeds', {
		method: 'Client ID and Secret',
		fields: (config) => config.clients[0],
		hidden: 'apiKey',
		headers: () => ({ authorization: /^Bearer \S+/ }),
		then: ({ values, since }) =>
			expectEqual(since(ROUTES.getToken).at(-1)?.body.clientId, values.clientId, 'the clientId sent to getToken'),
		shot: ['credential-client-credentials.png', 'the credential with Client ID and Secret, tested successfully'],
	}),
	...credentialStep('Bearer Token: saving sends the token as Authorization: Bearer and the test succeeds', {
		method: 'Bearer Token',
		fields: () => ({ accessToken: BEARER_TOKEN }),
		hidden: 'clientId',
		headers: ({ accessToken }) => ({ authorization: `Bearer ${accessToken}`, 'x-api-key': undefined }), // one auth header only
	}),
	...credentialStep('the right API key, but Akool answers a code the node does not know: the test fails and says where to look', {
		method: 'API Key',
		fields: (config) => ({ apiKey: config.apiKeys[0] }),
		before: () => ui.stack.fake.addFault({ kind: 'reply', route: QUOTA_ROUTE, body: { code: 1999, msg: 'Something new' } }),
		fails: true,
		then: () => visible(modal().getByText(/Run Account → Get Credit Balance/), 'the advice to run Account → Get Credit Balance'),
	}),
	...credentialStep("a wrong API key: the test fails and says, in the node's words, that Akool rejected the credential", {
		method: 'API Key',
		fields: () => ({ apiKey: 'not-the-right-key' }),
		fails: true,
		then: async () => {
			await visible(modal().getByText(/Akool rejected the credential/), "the failure's details (Akool rejected the credential)");
			const said = (await modal().innerText()).replace(/\s+/g, ' ');
			if (!said.includes('Check the API key'))
				fail(`expected the failure to say what to check (the API key); it says: ${said.slice(0, 600)}`);
		},
		shot: ['credential-test-failed.png', 'the credential dialog after saving a wrong API key: the failed connection test'],
	}),
	...credentialStep('the right API key: Save reports "Connection tested successfully"', {
		method: 'API Key',
		fields: (config) => ({ apiKey: config.apiKeys[0] }),
		shot: ['credential-dialog.png', 'the Akool API credential (API Key) after Save: "Connection tested successfully"'],
	}),
	'close the dialogs and execute the workflow: both Akool nodes succeed, the fake session is created and closed': async () => {
		await modal().getByRole('button', { name: 'Close this dialog' }).click();
		await gone(modal(), 'the credential dialog to close');
		await closeNdv();
		const sessionsBefore = ui.stack.fake.state.sessions.size;
		await dismissToasts();
		await byTestId('execute-workflow-button').click();
		for (const name of Object.keys(AKOOL_NODES)) {
			const what = `the success mark on "${name}" after executing the workflow`;
			await visible(canvasNode(name).getByTestId('canvas-node-status-success'), what, WAIT_SERVER);
		}
		const created = [...ui.stack.fake.state.sessions.values()].slice(sessionsBefore);
		expectEqual(created.length, 1, 'sessions created at the fake server by the execution');
		expectEqual(created[0].closeCalls, 1, 'close calls for the created session');
		await visible(ui.page.getByText('Workflow executed successfully'), 'the notification "Workflow executed successfully"');
		await screenshot('workflow-executed.png', 'the example workflow after a successful execution');
	},
};

// The end of the run, Ctrl-C, a closed terminal or a crash: stop n8n, the fake server and the browser before exiting.
const stopAll = onStop(async (why) => {
	if (why) say(`\n${why}: stopping n8n, the fake server and the browser…`);
	await browser?.close().catch(() => {});
	await ui.stack?.stop();
	if (why && ui.stack) say(`  Kept the temporary folder (user folder, n8n.log): ${ui.stack.folder}`);
});
for (const event of ['uncaughtException', 'unhandledRejection'])
	process.on(event, (e) => stopAll(`Unexpected error: ${e?.stack ?? e}`).finally(() => process.exit(1)));
// Output piped into `head` or a closed terminal must not end the run before it has stopped n8n.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

/** Runs the steps up to the first failure; after it: the page, n8n's log, and what was not run. */
async function runSteps() {
	const names = Object.keys(STEPS);
	for (const [index, name] of names.entries()) {
		if (await browserReport.step(name, STEPS[name])) continue;
		if (stopAll.stopping) await new Promise(() => {}); // the signal handler stops everything and exits
		if (ui.stack) {
			const picture = join(ui.stack.folder, 'failure.png');
			await ui.page?.screenshot({ path: picture }).catch(() => {});
			say(`\n  The page at the failure: ${picture}\n  Last lines of n8n's log (without the offline noise):`);
			say(indent(logTail(join(ui.stack.folder, 'n8n.log'), 12), '    '));
		}
		return say(`\n  Not run (each step needs the one before): ${names.slice(index + 1).join('; ') || 'none'}`);
	}
}

const shown = (path) => (path.startsWith(REPO) ? relative(REPO, path) : path);
ui.shotsDir = resolve(REPO, process.env.BROWSER_SCREENSHOTS ?? join('docs', 'images'));
mkdirSync(ui.shotsDir, { recursive: true });
say(`Browser test: n8n ${N8N_VERSION} + n8n-nodes-akool in Debian's Chromium; screenshots to ${shown(ui.shotsDir)}/`);
await runSteps();
await stopAll();
if (ui.stack && (browserReport.failed() || process.env.BROWSER_KEEP === '1'))
	say(`\n  Kept the temporary folder (user folder, n8n.log): ${ui.stack.folder}`);
else if (ui.stack) rmSync(ui.stack.folder, { recursive: true, force: true });
if (ui.shots.length) say('\nScreenshots:');
for (const { path, what } of ui.shots) say(`  ${shown(path)}  ${what}`);
process.exit(browserReport.finish() ? 1 : 0);
