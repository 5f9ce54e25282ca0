// The new user's path (issue 14): steps for run.mjs, from the sign-in to the workflow list.
import { say, show } from '../lib/report.mjs';
import { OPERATIONS, WAIT_SERVER, byTestId, choose, click, closeNdv, dismissToasts, expectEqual } from './editor.mjs';
import { fail, screenshot, selectValue, ui, until, visible } from './editor.mjs';

/** What a new user types to find the node; each must list it (n8n hides AI-category nodes from search). */
const SEARCH_TERMS = ['Akool', 'live avatar', 'avatar'];
const QUOTED_TERMS = SEARCH_TERMS.map((term) => `"${term}"`).join(', ');
const NODE_TITLE = 'Akool Live Avatar';
const CLOSE_ACTION = 'Close a session';

let session; // the open session the user closes
const ndv = () => byTestId('ndv');
const parameter = (name) => ndv().getByTestId(`parameter-input-${name}`);
const creator = () => byTestId('node-creator');
const creatorItems = () => creator().getByTestId('item-iterator-item');
const outputText = async (testId) => (await ndv().getByTestId(testId).first().innerText()).replace(/\s+/g, ' ').trim();

/** Types `term` into the nodes panel's search; the result must list `item` (returned). */
async function searchFinds(term, item = NODE_TITLE) {
	await creator().getByTestId('node-creator-search-bar').fill(term);
	const found = creatorItems().filter({ hasText: item }).first();
	await found.waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
		const shown = (await creatorItems().allInnerTexts()).map((s) => s.split('\n')[0]).slice(0, 8);
		fail(`searching the nodes panel for "${term}" does not list "${item}"; it shows ${show(shown)} (the first 8)`);
	});
	return found;
}

/** Opens the resource locator `name` in its From List mode; returns its entries once they are listed. */
async function openList(name, what) {
	await click(parameter(name).getByTestId('rlc-input'), what);
	const entries = byTestId('rlc-item').filter({ visible: true });
	await visible(entries, `the entries of ${what} (From List is the default mode)`, WAIT_SERVER);
	return entries;
}

/** Every text a parameter field of the open node shows: inputs, text areas and expression editors. */
async function fieldTexts() {
	const parameters = ndv().getByTestId('node-parameters');
	return [...(await parameters.locator('input, textarea').evaluateAll((els) => els.map((e) => e.value))), await parameters.innerText()];
}

export const NEW_USER_STEPS = {
	'a new workflow: the trigger panel finds "Akool" too; add a manual trigger': async () => {
		await ui.page.goto(`${ui.stack.baseUrl}/workflow/new`);
		await click(byTestId('canvas-add-button'), 'the "Add first step" button on an empty canvas');
		await visible(creator(), 'the nodes panel after clicking "Add first step"');
		await searchFinds('Akool'); // the trigger panel lists it too, though it is no trigger
		await (await searchFinds('manual', /Trigger manually|Manual Trigger/)).click();
		await visible(byTestId('canvas-node'), 'the manual trigger on the canvas');
		await closeNdv();
	},
	[`the nodes panel ("What happens next?") finds the node when searching ${QUOTED_TERMS}`]: async () => {
		await byTestId('node-creator-plus-button').click();
		await visible(creator().getByText('What happens next?'), 'the nodes panel with "What happens next?"');
		for (const term of [...SEARCH_TERMS].reverse()) await searchFinds(term); // ends on "Akool", for the screenshot
		await screenshot('nodes-panel-search.png', 'the nodes panel: searching "Akool" finds Akool Live Avatar');
	},
	[`add the node from the search result as "${CLOSE_ACTION}": it opens as Session → Close`]: async () => {
		await (await searchFinds('Akool')).click();
		await click(creatorItems().filter({ hasText: CLOSE_ACTION }), `the action "${CLOSE_ACTION}" in the node's list of actions`);
		await visible(ndv(), 'the node details view of the added node');
		expectEqual(await selectValue(parameter('resource')), 'Session', 'the Resource of the added node');
		expectEqual(await selectValue(parameter('operation')), 'Close', 'the Operation of the added node');
	},
	'pick an open session From List (the default mode): its entry names the avatar, the start time and a short ID': async () => {
		session = ui.stack.fake.addSessions(1)[0];
		const entries = await openList('sessionId', 'the Session picker');
		const entry = await visible(entries.filter({ hasText: session._id.slice(-6) }), `an entry for the session ${session._id}`);
		const label = (await entry.innerText()).trim();
		if (!/tristan/i.test(label)) fail(`expected the entry to name the avatar (tristan_dvp); it reads "${label}"`);
		if (/queueing|processing|completed/i.test(label)) fail(`expected no status in the entry (it changes); it reads "${label}"`);
		await screenshot('session-picker.png', 'the Session picker From List: avatar, start time, short ID');
		await entry.click();
	},
	'execute the node: the output says the session was closed and was not already closed': async () => {
		await ndv().getByTestId('node-execute-button').click();
		const shows = async () => (await outputText('output-panel')).includes(session._id);
		await until(shows, `the output to show the session ID ${session._id}`, WAIT_SERVER);
		const text = await outputText('output-panel');
		if (!/alreadyClosed/.test(text)) fail(`expected the output to say alreadyClosed; it reads: ${text.slice(0, 400)}`);
		expectEqual(ui.stack.fake.state.sessions.get(session._id).closeCalls, 1, 'close calls for the picked session');
		await screenshot('close-output.png', 'Session → Close executed: the output');
	},
	'execute it again: the error panel says the session is already closed': async () => {
		await dismissToasts();
		await ndv().getByTestId('node-execute-button').click();
		await visible(ndv().getByTestId('node-error-message'), 'the error message in the output panel', WAIT_SERVER);
		const headline = await outputText('node-error-message');
		const details = await outputText('node-error-description').catch(() => '');
		if (!/already closed/i.test(`${headline} ${details}`))
			fail(`expected the error panel to say the session is already closed; it reads "${headline}" / "${details}"`);
		say(`        error headline: "${headline}"`);
		await screenshot('error-panel.png', 'Session → Close on a closed session: the error panel');
	},
	'switch one node through every resource and operation: no field shows "[object Object]"': async () => {
		// An avatar picked in Get first: its value is what used to land in Upload's text field. Then straight to Upload
		// (another operation in between would drop the picked value), then every resource and operation.
		await choose(parameter('resource'), 'Avatar');
		await choose(parameter('operation'), 'Get');
		await (await openList('avatarId', 'the Avatar picker')).first().click();
		const switches = [['Avatar', 'Upload'], ...Object.entries(OPERATIONS).flatMap(([r, ops]) => ops.map((o) => [r, o]))];
		let from = 'Avatar → Get';
		for (const [resource, operation] of switches) {
			await choose(parameter('resource'), resource);
			await choose(parameter('operation'), operation);
			if ((await fieldTexts()).some((text) => text.includes('[object Object]')))
				fail(`after switching from ${from} to ${resource} → ${operation}, a field shows "[object Object]"`);
			from = `${resource} → ${operation}`;
		}
	},
	[`an AI Agent's tool search finds the node's tool variant for ${QUOTED_TERMS}`]: async () => {
		await closeNdv();
		await dismissToasts(); // the error of the step before, which would cover the panel in the screenshot
		await byTestId('node-creator-plus-button').click();
		await (await searchFinds('AI Agent', /^AI Agent/)).click();
		await visible(ui.page.locator('[data-test-id="canvas-node"][data-node-name^="AI Agent"]'), 'the AI Agent on the canvas');
		await closeNdv(); // n8n opens the new node's details
		const toolInput = ui.page.locator('[data-test-id="canvas-node-input-handle"][data-connection-type="ai_tool"]');
		await click(toolInput.getByTestId('canvas-handle-plus'), 'the "+" of the AI Agent\'s Tool input');
		await visible(creator(), 'the nodes panel for tools');
		for (const term of [...SEARCH_TERMS].reverse()) await searchFinds(term);
		await screenshot('ai-tool-search.png', 'the AI Agent\'s tool search: "Akool" finds Akool Live Avatar as a tool');
		await ui.page.keyboard.press('Escape');
		await ui.page.goto(`${ui.stack.baseUrl}/home/workflows`); // where the steps after these begin
	},
};
