import * as n8nWorkflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Waits `ms` milliseconds, and stops at once (rejecting) when the execution is cancelled. The package runs on
 * the n8n-workflow of the n8n that loads it: up to 2.3x that has `sleepWithAbort(ms, signal)`; later versions
 * dropped it and gave `sleep` the signal parameter instead. Looked up at call time, so both work.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	const { sleepWithAbort } = n8nWorkflow as unknown as { sleepWithAbort?: Sleep };
	if (typeof sleepWithAbort === 'function') return await sleepWithAbort(ms, signal);
	return await (n8nWorkflow.sleep as Sleep)(ms, signal);
}
