/**
 * The package runs on whichever n8n-workflow the n8n that loads it has: 2.8 exports `sleepWithAbort`,
 * 2.41 only `sleep(ms, signal)`. Both must wait, and both must stop at once on cancellation. The real-n8n
 * e2e suite runs the node on both; here each shape of the module is given to `pause` in turn.
 */
type Pause = (ms: number, signal?: AbortSignal) => Promise<void>;

function pauseWith(n8nWorkflow: Record<string, unknown>): Pause {
	let pause: Pause | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => n8nWorkflow);
		({ pause } = jest.requireActual<{ pause: Pause }>(
			'../../../../nodes/AkoolLiveAvatar/transport/pause',
		));
		jest.dontMock('n8n-workflow');
	});
	return pause!;
}

describe('pause', () => {
	const real = jest.requireActual<{ sleep: Pause; sleepWithAbort: Pause }>('n8n-workflow');
	const calls: string[] = [];

	const shapes = {
		'n8n-workflow 2.8 (sleepWithAbort)': {
			sleep: async () =>
				await Promise.reject(new Error('sleep must not be used when sleepWithAbort exists')),
			sleepWithAbort: async (ms: number, signal?: AbortSignal) => {
				calls.push('sleepWithAbort');
				return await real.sleepWithAbort(ms, signal);
			},
		},
		'n8n-workflow 2.41 (sleep with a signal)': {
			sleep: async (ms: number, signal?: AbortSignal) => {
				calls.push('sleep');
				return await real.sleepWithAbort(ms, signal);
			},
		},
	};

	describe.each(Object.entries(shapes))('on %s', (_name, module) => {
		beforeEach(() => (calls.length = 0));

		it('waits', async () => {
			await expect(pauseWith(module)(5)).resolves.toBeUndefined();
			expect(calls).toHaveLength(1);
		});

		it('rejects at once when the execution is cancelled', async () => {
			const cancel = new AbortController();
			const waiting = pauseWith(module)(60_000, cancel.signal);
			cancel.abort();

			await expect(waiting).rejects.toBeDefined();
		});
	});
});
