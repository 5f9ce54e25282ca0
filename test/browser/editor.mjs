// What the browser steps (run.mjs, newUser.mjs) share: the run's page and servers, and the few ways they wait
// on n8n's editor. Every wait is bounded and fails the step with a sentence about what should have happened.
import { join } from 'node:path';

import { loadDescriptions, resourcesOf } from '../docs/loadNode.mjs';
import { poll } from '../lib/n8n.mjs';
import { seconds, show } from '../lib/report.mjs';

export const WAIT = 30_000; // for anything the editor renders
export const WAIT_SERVER = 60_000; // for anything that needs a round trip through n8n to the fake server
export const VIEWPORT = { width: 1400, height: 900 };
/** Every resource of the node with its operations, as the sources declare them (the editor must list them so). */
export const OPERATIONS = Object.fromEntries(resourcesOf(loadDescriptions().node).map((r) => [r.name, r.operations.map((o) => o.name)]));

/** The run's Playwright page, its servers (startPlayground's stack), and where screenshots go and went. */
export const ui = { page: undefined, stack: undefined, shotsDir: undefined, shots: [] };

export const fail = (message) => {
	throw new Error(message);
};
export function expectEqual(actual, expected, what) {
	if (show(actual) !== show(expected)) fail(`${what}: expected ${show(expected)}, found ${show(actual)}`);
}

/** Waits for the first match of `locator` to reach `state` and returns it; `what` says what should be there. */
export async function visible(locator, what, timeout = WAIT, state = 'visible') {
	try {
		await locator.first().waitFor({ state, timeout });
	} catch (error) {
		if (error.name !== 'TimeoutError') throw error;
		fail(`expected ${what} within ${seconds(timeout)}, but it did not ${state === 'visible' ? 'appear' : 'go away'}`);
	}
	return locator.first();
}
export const gone = (locator, what) => visible(locator, what, WAIT, 'hidden');
export const click = async (locator, what, timeout) => (await visible(locator, what, timeout)).click();

/** Polls `check()` (sync or async) until it returns a truthy value, and returns that. */
export const until = (check, what, timeout = WAIT) =>
	poll(check, { done: Boolean, timeoutMs: timeout, everyMs: 250, timedOut: () => fail(`expected ${what} within ${seconds(timeout)}`) });

export async function screenshot(file, what) {
	const path = join(ui.shotsDir, file);
	await ui.page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2); // no hover effects in the picture
	await ui.page.waitForTimeout(400); // let transitions (dropdowns, banners) finish
	await ui.page.screenshot({ path, animations: 'disabled' });
	ui.shots.push({ path, what });
}

export const byTestId = (id) => ui.page.getByTestId(id);
export const canvasNode = (name) => ui.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
/** The value a parameter's dropdown shows. */
export const selectValue = (input) => input.locator('input').first().inputValue();
const openOptionsList = () => ui.page.getByRole('option').filter({ visible: true });

/** The names (first lines) of the options of the dropdown that is open now. */
export async function openOptions() {
	await visible(openOptionsList(), 'the dropdown to open with its options');
	return (await openOptionsList().allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

/** Picks option `name` in the open dropdown of `input`, then checks that the input shows it. */
export async function pick(input, name) {
	const option = openOptionsList().filter({ has: ui.page.getByText(name, { exact: true }) });
	await click(option, `the option "${name}" in the open dropdown`);
	await gone(openOptionsList(), 'the dropdown to close');
	expectEqual(await selectValue(input), name, `the value shown after choosing "${name}"`);
}

/** Opens the dropdown `input` and picks `name`, unless it shows `name` already. */
export async function choose(input, name) {
	if ((await selectValue(input)) === name) return;
	await input.click();
	await pick(input, name);
}

/** Closes the notifications in the corner ("Credential saved"), so that a screenshot shows only the newest. */
export async function dismissToasts() {
	const close = ui.page.locator('.el-notification .el-notification__closeBtn').filter({ visible: true });
	for (let i = await close.count(); i > 0; i -= 1) await close.first().click();
	await gone(ui.page.locator('.el-notification').filter({ visible: true }), 'the notifications to close');
}

/** Closes the node details view: its close button (2.x) or "Back to canvas" (1.123). */
export async function closeNdv() {
	if (await byTestId('ndv').isVisible()) await byTestId('ndv-close-button').or(byTestId('back-to-canvas')).first().click();
	await gone(byTestId('ndv'), 'the node details view to close');
}
