// The new-user path of the browser test (issue 14), as steps for run.mjs: in a new workflow, find the node by
// searching the nodes panel, add it from the result as Session → Close, pick an open session From List,
// execute the node and read its output, execute it again and read the error; then switch the one node through
// every resource and operation and check that no field shows "[object Object]".
//
// run.mjs owns the browser, the servers and the step runner; it passes what these steps need in `t`. They start
// after the sign-in and end on the workflow list.

/** What a new user types to find the node; each must list it (n8n hides AI-category nodes from search). */
export const SEARCH_TERMS = ['Akool', 'live avatar', 'avatar'];
const NODE_TITLE = 'Akool Live Avatar';
const CLOSE_ACTION = 'Close a session';
/** Every resource with its operations, as the editor lists them. */
const OPERATIONS = {
	Session: ['Close', 'Close All Open', 'Create', 'Get', 'Get Many'],
	Avatar: ['Get', 'Get Many', 'Upload'],
	Voice: ['Get Many'],
	'Knowledge Base': ['Create', 'Delete', 'Get', 'Get Many', 'Update'],
	Account: ['Get Credit Balance'],
};

/**
 * What the browser harness hands the new-user steps:
 * @param {object} t
 * @param {() => import('playwright-core').Page} t.page
 * @param {() => any} t.stack the running servers (startStack)
 * @param {Function} t.visible  (locator, what, timeout?) → locator, fails when it does not appear
 * @param {Function} t.until    (check, what, timeout?) → the check's value, fails on timeout
 * @param {Function} t.fail
 * @param {Function} t.expectEqual
 * @param {Function} t.openOptions () → names in the open dropdown
 * @param {Function} t.pick     (name) → picks it in the open dropdown
 * @param {Function} t.screenshot (file, what)
 * @param {Function} t.dismissToasts () → closes the notifications in the corner
 * @param {number} t.WAIT_SERVER
 */
let t; // the harness's helpers above, set by newUserSteps
let session; // the open session the user closes
const visible = (...args) => t.visible(...args);
const until = (...args) => t.until(...args);
const fail = (...args) => t.fail(...args);
const expectEqual = (...args) => t.expectEqual(...args);
const page = () => t.page();
const ndv = () => page().getByTestId('ndv');
const creator = () => page().getByTestId('node-creator');
const creatorItems = () => creator().getByTestId('item-iterator-item');
/** Closes the node details view: its close button (2.x) or "Back to canvas" (1.123). */
const closeNdv = async () => {
	if (await ndv().isVisible()) {
		await page().getByTestId('ndv-close-button').or(page().getByTestId('back-to-canvas')).first().click();
	}
	await until(async () => !(await ndv().isVisible()), 'the node details view to close');
};
const selectValue = (testId) => ndv().getByTestId(testId).locator('input').first().inputValue();

/** Types `term` into the nodes panel's search and waits for the result list to show the node. */
async function searchFinds(term) {
	await creator().getByTestId('node-creator-search-bar').fill(term);
	const item = creatorItems().filter({ hasText: NODE_TITLE });
	try {
		await item.first().waitFor({ state: 'visible', timeout: 10_000 });
	} catch {
		const shown = (await creatorItems().allInnerTexts()).map((s) => s.split('\n')[0]).slice(0, 8);
		const none = await creator().getByTestId('node-creator-no-results').isVisible();
		fail(
			`searching the nodes panel for "${term}" does not list "${NODE_TITLE}"; it shows ${none ? '"No results"' : JSON.stringify(shown)}`,
		);
	}
	return item.first();
}

/** Every text a parameter field of the open node shows: inputs, text areas and expression editors. */
async function fieldTexts() {
	const parameters = ndv().getByTestId('node-parameters');
	const values = await parameters.locator('input, textarea').evaluateAll((els) => els.map((e) => e.value));
	return [...values, await parameters.innerText()];
}

async function chooseInNdv(testId, name) {
	await ndv().getByTestId(testId).click();
	await t.pick(name);
	expectEqual(await selectValue(testId), name, `the value of ${testId} after choosing "${name}"`);
}

const NEW_USER_STEPS = [
	[
		'a new workflow: the trigger panel finds "Akool" too; add a manual trigger',
		async () => {
			await page().goto(`${t.stack().baseUrl}/workflow/new`);
			await (await visible(page().getByTestId('canvas-add-button'), 'the "Add first step" button on an empty canvas')).click();
			await visible(creator(), 'the nodes panel after clicking "Add first step"');
			await searchFinds('Akool'); // the trigger panel lists it too, though it is no trigger
			await creator().getByTestId('node-creator-search-bar').fill('manual');
			await (
				await visible(creatorItems().filter({ hasText: /Trigger manually|Manual Trigger/ }), 'the manual trigger in the search result')
			)
				.first()
				.click();
			await visible(page().getByTestId('canvas-node'), 'the manual trigger on the canvas');
			await closeNdv();
		},
	],
	[
		`the nodes panel ("What happens next?") finds the node when searching ${SEARCH_TERMS.map((s) => `"${s}"`).join(', ')}`,
		async () => {
			await page().getByTestId('node-creator-plus-button').click();
			await visible(creator().getByText('What happens next?'), 'the nodes panel with "What happens next?"');
			for (const term of [...SEARCH_TERMS].reverse()) await searchFinds(term); // ends on "Akool"
			await t.screenshot('nodes-panel-search.png', 'the nodes panel: searching "Akool" finds Akool Live Avatar');
		},
	],
	[
		`add the node from the search result as "${CLOSE_ACTION}": it opens as Session → Close`,
		async () => {
			await (await searchFinds('Akool')).click();
			const action = creatorItems().filter({ hasText: CLOSE_ACTION });
			await (await visible(action, `the action "${CLOSE_ACTION}" in the node's list of actions`)).first().click();
			await visible(ndv(), 'the node details view of the added node');
			expectEqual(await selectValue('parameter-input-resource'), 'Session', 'the Resource of the added node');
			expectEqual(await selectValue('parameter-input-operation'), 'Close', 'the Operation of the added node');
		},
	],
	[
		'pick an open session From List (the default mode): its entry names the avatar, the start time and a short ID',
		async () => {
			session = t.stack().fake.addSessions(1)[0];
			const locator = ndv().getByTestId('parameter-input-sessionId');
			await visible(locator, 'the Session picker');
			await locator.getByTestId('rlc-input').click();
			const entries = page().getByTestId('rlc-item').filter({ visible: true });
			await visible(entries, 'the entries of the Session picker (From List is the default mode)', t.WAIT_SERVER);
			const entry = entries.filter({ hasText: session._id.slice(-6) });
			await visible(entry, `an entry for the session ending in ${session._id.slice(-6)}`);
			const label = (await entry.first().innerText()).trim();
			if (!/tristan/i.test(label)) fail(`expected the entry to name the avatar (tristan_dvp); it reads "${label}"`);
			if (/queueing|processing|completed/i.test(label)) fail(`expected no status in the entry (it changes); it reads "${label}"`);
			await t.screenshot('session-picker.png', 'the Session picker From List: avatar, start time, short ID');
			await entry.first().click();
		},
	],
	[
		'execute the node: the output says the session was closed and was not already closed',
		async () => {
			await ndv().getByTestId('node-execute-button').click();
			const output = ndv().getByTestId('output-panel');
			await until(
				async () => (await output.innerText()).includes(session._id),
				`the output to show the session ID ${session._id}`,
				t.WAIT_SERVER,
			);
			const text = (await output.innerText()).replace(/\s+/g, ' ');
			if (!/alreadyClosed/.test(text)) fail(`expected the output to say alreadyClosed; it reads: ${text.slice(0, 400)}`);
			expectEqual(t.stack().fake.state.sessions.get(session._id).closeCalls, 1, 'close calls for the picked session');
			await t.screenshot('close-output.png', 'Session → Close executed: the output');
		},
	],
	[
		'execute it again: the error panel says the session is already closed',
		async () => {
			await t.dismissToasts();
			await ndv().getByTestId('node-execute-button').click();
			const error = await visible(ndv().getByTestId('node-error-message'), 'the error message in the output panel', t.WAIT_SERVER);
			const headline = (await error.first().innerText()).trim();
			const details = (
				await ndv()
					.getByTestId('node-error-description')
					.first()
					.innerText()
					.catch(() => '')
			).trim();
			if (!/already closed/i.test(`${headline} ${details}`))
				fail(`expected the error panel to say the session is already closed; it reads "${headline}" / "${details}"`);
			process.stdout.write(`        error headline: "${headline}"\n`);
			await t.screenshot('error-panel.png', 'Session → Close on a closed session: the error panel');
		},
	],
	[
		'switch one node through every resource and operation: no field shows "[object Object]"',
		async () => {
			// An avatar picked in Get first: its value is what used to land in Upload's text field.
			await chooseInNdv('parameter-input-resource', 'Avatar');
			await chooseInNdv('parameter-input-operation', 'Get');
			await ndv().getByTestId('parameter-input-avatarId').getByTestId('rlc-input').click();
			await (await visible(page().getByTestId('rlc-item').filter({ visible: true }), 'the entries of the Avatar picker', t.WAIT_SERVER))
				.first()
				.click();
			// Straight from Get to Upload first (another operation in between would drop the picked value), then all.
			const switches = [['Avatar', 'Upload'], ...Object.entries(OPERATIONS).flatMap(([r, ops]) => ops.map((o) => [r, o]))];
			let from = 'Avatar → Get';
			for (const [resource, operation] of switches) {
				if ((await selectValue('parameter-input-resource')) !== resource) await chooseInNdv('parameter-input-resource', resource);
				await chooseInNdv('parameter-input-operation', operation);
				const bad = (await fieldTexts()).find((text) => text.includes('[object Object]'));
				if (bad !== undefined) fail(`after switching from ${from} to ${resource} → ${operation}, a field shows "[object Object]"`);
				from = `${resource} → ${operation}`;
			}
		},
	],
	[
		`an AI Agent's tool search finds the node's tool variant for ${SEARCH_TERMS.map((s) => `"${s}"`).join(', ')}`,
		async () => {
			await closeNdv();
			await t.dismissToasts(); // the error of the step before, which would cover the panel in the screenshot
			await page().getByTestId('node-creator-plus-button').click();
			await creator().getByTestId('node-creator-search-bar').fill('AI Agent');
			await (await visible(creatorItems().filter({ hasText: /^AI Agent/ }), 'the item "AI Agent"')).first().click();
			await visible(page().locator('[data-test-id="canvas-node"][data-node-name^="AI Agent"]'), 'the AI Agent on the canvas');
			await closeNdv(); // n8n opens the new node's details
			const toolInput = page().locator('[data-test-id="canvas-node-input-handle"][data-connection-type="ai_tool"]');
			await (await visible(toolInput.getByTestId('canvas-handle-plus'), 'the "+" of the AI Agent\'s Tool input')).first().click();
			await visible(creator(), 'the nodes panel for tools');
			for (const term of [...SEARCH_TERMS].reverse()) await searchFinds(term);
			await t.screenshot('ai-tool-search.png', 'the AI Agent\'s tool search: "Akool" finds Akool Live Avatar as a tool');
			await page().keyboard.press('Escape');
			// Back to the workflow list, where the steps after these begin.
			await page().goto(`${t.stack().baseUrl}/home/workflows`);
		},
	],
];

export function newUserSteps(helpers) {
	t = helpers;
	return NEW_USER_STEPS;
}
