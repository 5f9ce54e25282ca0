import * as n8nWorkflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Waits `ms` milliseconds, and stops at once (rejecting) when the execution is cancelled. The package runs on
 * the n8n-workflow of the n8n that loads it: up to 2.3x that has `sleepWithAbort(ms, signal)`; later versions
 * dropped it and gave `sleep` the signal parameter instead. Looked up at call time, so both work.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	signal?.throwIfAborted();
	const { sleepWithAbort } = n8nWorkflow as unknown as { sleepWithAbort?: Sleep };
	if (typeof sleepWithAbort === 'function') return await sleepWithAbort(ms, signal);
	const sleep = n8nWorkflow.sleep as Sleep;
	// n8n-workflow 1.x's sleep takes no signal: end the wait on cancellation ourselves.
	return await (signal ? untilAborted(sleep(ms, signal), signal) : sleep(ms));
}

/** Settles like `promise`, or rejects as soon as `signal` aborts, whichever comes first. */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	signal.throwIfAborted();
	return await new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}
