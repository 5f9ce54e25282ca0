// Workflow JSON for the benchmark (run.mjs): a Manual Trigger, then for each measured node a Code node that
// makes its input items ({ _id } of sessions the fake server was seeded with) followed by the measured node.
// The pairs are chained one after the other, so n8n runs them strictly in that order, one at a time, and each
// measured node's own `executionTime` in the execution data is its wall time alone.
import { CREDENTIAL_TYPE, NODE_TYPE } from '../lib/n8n.mjs';

export const CLOSE_PATH = '/api/open/v4/liveAvatar/session/close';
export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
/** The HTTP Request node version new nodes get in n8n 2.41.1 (its `defaultVersion`). */
export const HTTP_REQUEST_VERSION = 4.5;

/** The session id of item `i` of a branch: 24 hex characters like Akool's, unique per branch prefix. */
export const sessionId = (prefix, i) => `${prefix}${i.toString(16).padStart(16, '0')}`;

/** A branch prefix: 8 hex characters. */
export const branchPrefix = (n) => `be${n.toString(16).padStart(6, '0')}`;

const CODE = (count, prefix) =>
	[
		`// ${count} session ids, the same ones the benchmark seeded in the fake Akool server.`,
		`const out = new Array(${count});`,
		`for (let i = 0; i < ${count}; i++) out[i] = { json: { _id: '${prefix}' + i.toString(16).padStart(16, '0') } };`,
		'return out;',
	].join('\n');

function itemsNode(name, count, prefix, x) {
	return {
		id: `bench-${name}`.replace(/[^a-zA-Z0-9-]/g, '-'),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [x, 0],
		parameters: { jsCode: CODE(count, prefix) },
	};
}

/** The node's parameters for Session → Close of `{{ $json._id }}`; `concurrency` undefined: the default Request Options. */
export const closeParameters = (concurrency) => ({
	resource: 'session',
	operation: 'close',
	sessionId: { __rl: true, mode: 'id', value: '={{ $json._id }}' },
	options: {},
	...(concurrency === undefined ? {} : { requestOptions: { concurrency } }),
});

/**
 * The Akool node closing `{{ $json._id }}`. `concurrency` undefined leaves Request Options empty (the node's
 * default). Continue On Fail so that a failed item is counted rather than ending the execution.
 */
export function akoolClose({ concurrency, credential }) {
	return {
		type: NODE_TYPE,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		parameters: closeParameters(concurrency),
		credentials: { [CREDENTIAL_TYPE]: { ...credential } },
	};
}

/**
 * n8n's HTTP Request node sending the same Close request with the same credential, as a predefined
 * credential type. `batch` = { batchSize, batchInterval } sets Options → Batching; undefined is the default
 * (no batching: every item's request is started at once).
 */
export function httpClose({ baseUrl, credential, batch }) {
	return {
		type: HTTP_REQUEST_TYPE,
		typeVersion: HTTP_REQUEST_VERSION,
		onError: 'continueRegularOutput',
		parameters: {
			method: 'POST',
			url: `${baseUrl}${CLOSE_PATH}`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={"id": "{{ $json._id }}"}',
			options: batch ? { batching: { batch: { ...batch } } } : {},
		},
		credentials: { [CREDENTIAL_TYPE]: { ...credential } },
	};
}

/** n8n's No Operation node: the baseline of the memory measurement (items made, nothing sent). */
export function noOp() {
	return { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
}

/**
 * A workflow: Manual Trigger → (Items <name> → <name>) for each branch, in the given order.
 * branches: [{ name, count, prefix, node }] where `node` is what akoolClose/httpClose/noOp return.
 */
export function chainWorkflow({ id, name, branches }) {
	const nodes = [
		{ id: 'bench-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	const connections = {};
	let previous = 'Start';
	let x = 0;
	for (const branch of branches) {
		const items = itemsNode(`Items ${branch.name}`, branch.count, branch.prefix, (x += 200));
		const measured = { id: `bench-node-${branch.prefix}`, name: branch.name, position: [(x += 200), 0], ...branch.node };
		nodes.push(items, measured);
		connections[previous] = { main: [[{ node: items.name, type: 'main', index: 0 }]] };
		connections[items.name] = { main: [[{ node: measured.name, type: 'main', index: 0 }]] };
		previous = measured.name;
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}
