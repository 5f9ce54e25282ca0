// What the two parts of the benchmark share: the node's Close parameters and, for run.mjs, the workflows. A workflow is a
// Manual Trigger, then for each measured node a Code node making its items ({ _id } of sessions seeded in the fake server)
// and the node itself, chained so that n8n runs them one at a time and each node's `executionTime` is its wall time alone.
import { createRequire } from 'node:module';

import { CREDENTIAL_TYPE, MANUAL_TRIGGER, NODE_TYPE } from '../lib/n8n.mjs';

const { ROUTE_PATH } = createRequire(import.meta.url)('../fake-akool/server.js');

/** The HTTP Request node version new nodes get in n8n 2.41.1 (its `defaultVersion`). */
export const HTTP_REQUEST_VERSION = 4.5;

/** The session id of item `i` of a branch: 24 hex characters like Akool's, unique per branch prefix (8 characters). */
export const sessionId = (prefix, i) => `${prefix}${i.toString(16).padStart(16, '0')}`;
export const branchPrefix = (n) => `be${n.toString(16).padStart(6, '0')}`;

/** The node's parameters for Session → Close of `{{ $json._id }}`; `concurrency` undefined: the default Request Options. */
export const closeParameters = (concurrency) => ({
	resource: 'session',
	operation: 'close',
	sessionId: { __rl: true, mode: 'id', value: '={{ $json._id }}' },
	options: {},
	...(concurrency === undefined ? {} : { requestOptions: { concurrency } }),
});

/** A measured node; Continue On Fail, so that a failed item is counted rather than ending the execution. */
function measured(type, typeVersion, parameters, credential) {
	const credentials = { [CREDENTIAL_TYPE]: { ...credential } };
	return { type, typeVersion, onError: 'continueRegularOutput', parameters, credentials };
}

export const akoolClose = ({ concurrency, credential }) => measured(NODE_TYPE, 1, closeParameters(concurrency), credential);

/**
 * n8n's HTTP Request node sending the same Close with the same credential, as a predefined credential type. `batch`
 * ({ batchSize, batchInterval }) sets Options → Batching; undefined is its default: every item's request at once.
 */
export function httpClose({ baseUrl, credential, batch }) {
	const parameters = {
		method: 'POST',
		url: `${baseUrl}${ROUTE_PATH.closeSession}`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: CREDENTIAL_TYPE,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={"id": "{{ $json._id }}"}',
		options: batch ? { batching: { batch: { ...batch } } } : {},
	};
	return measured('n8n-nodes-base.httpRequest', HTTP_REQUEST_VERSION, parameters, credential);
}

export const noOp = () => ({ type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });

/** The Code node making a branch's items: the session ids the benchmark seeded in the fake server (see sessionId). */
const itemsCode = (count, prefix) =>
	`const out = new Array(${count});
for (let i = 0; i < ${count}; i++) out[i] = { json: { _id: '${prefix}' + i.toString(16).padStart(16, '0') } };
return out;`;

/** Manual Trigger → (Items <name> → <name>) for each branch ({ name, count, prefix, node }), in the given order. */
export function chainWorkflow({ id, name, branches }) {
	const items = (b) => ({
		name: `Items ${b.name}`,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: itemsCode(b.count, b.prefix) },
	});
	const start = { name: 'Start', type: MANUAL_TRIGGER, typeVersion: 1, parameters: {} };
	const nodes = [start, ...branches.flatMap((b) => [items(b), { name: b.name, ...b.node }])];
	nodes.forEach((node, i) => Object.assign(node, { id: `bench-${i}`, position: [i * 200, 0] }));
	const link = (node) => ({ main: [[{ node: node.name, type: 'main', index: 0 }]] });
	const connections = Object.fromEntries(nodes.slice(1).map((node, i) => [nodes[i].name, link(node)]));
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}
