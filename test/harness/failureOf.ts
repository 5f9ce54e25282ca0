import type { NodeOperationError } from 'n8n-workflow';

/** The error the node fails with; the test fails if the node succeeds instead. */
export const failureOf = <E = NodeOperationError>(running: Promise<unknown>): Promise<E> =>
	running.then(
		() => Promise.reject(new Error('expected the node to fail')),
		(error: unknown) => error as E,
	);
