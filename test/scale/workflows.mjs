// The workflows of the queue-mode test: Webhook (POST /webhook/<path>, answered by a Respond to Webhook node)
// → Akool Live Avatar, Session → Close (the session id from the request body) → Respond to Webhook with the
// Close output. One per credential, plus a variant with "Succeed If Already Closed" for callers that send a
// call again after an error.
import { randomUUID } from 'node:crypto';

import { NODE_TYPE } from '../lib/n8n.mjs';

/**
 * @param {object} o
 * @param {string} o.id          n8n workflow id
 * @param {string} o.path        webhook path
 * @param {{id: string, name: string}} o.credential
 * @param {boolean} [o.succeedIfAlreadyClosed]
 */
export function closeViaWebhookWorkflow({ id, path, credential, succeedIfAlreadyClosed = false }) {
	return {
		id,
		name: `scale: webhook → close session (${path})`,
		active: false, // activated afterwards with `n8n publish:workflow`
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Close Session',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'session',
					operation: 'close',
					sessionId: { __rl: true, mode: 'id', value: '={{ $json.body.session_id }}' },
					options: succeedIfAlreadyClosed ? { succeedIfAlreadyClosed: true } : {},
				},
				credentials: { akoolApi: { ...credential } },
			},
			{
				id: randomUUID(),
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.5,
				position: [440, 0],
				parameters: { respondWith: 'firstIncomingItem', options: {} },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Close Session', type: 'main', index: 0 }]] },
			'Close Session': { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
