import type { INodeProperties } from 'n8n-workflow';

/**
 * How every request of the node is sent and retried (see transport/retryPolicy.ts). Shown for all operations.
 * The defaults repeat DEFAULT_RETRY as literals, which n8n's lint requires; a test keeps them equal.
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	description:
		"How each request to Akool is sent and retried. Reads and Close are retried after network errors, HTTP 429/5xx and Akool's busy codes; Create Session and Avatar Upload only when the request never reached Akool or Akool refused it as too frequent, so nothing is charged twice. Prefer these retries to Settings → Retry On Fail, which runs the whole node again for the item whatever the failure: on Session → Create that can start, and charge, a second session.",
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 10,
			description:
				'How many items are sent to Akool at the same time. Fewer are sent while Akool answers "too frequent", and output order is kept either way.',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 5,
			description:
				'How many times a request may be sent in all, the first time included. 1 turns retries off.',
		},
		{
			displayName: 'Max Retry Time (Seconds)',
			name: 'maxRetryTime',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'No retry starts after this many seconds since the first attempt',
		},
		{
			displayName: 'Retry Delay (Milliseconds)',
			name: 'retryDelay',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description:
				'Wait before the first retry, doubled for each later one (with random jitter). A Retry-After header from Akool is honoured when longer.',
		},
		{
			displayName: 'Timeout (Milliseconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30000,
			description: 'How long to wait for Akool to answer one request',
		},
	],
};
