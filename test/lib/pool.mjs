// A pool of workers over a list: the webhook callers of the queue-mode test, the benchmark's requests and runs.

/** `fn(value)` for each value, at most `parallel` at a time (each worker takes the next value); the results in order. */
export async function pool(values, parallel, fn) {
	const results = [];
	const queue = [...values].entries(); // shared by the workers
	const worker = async () => {
		for (const [index, value] of queue) results[index] = await fn(value);
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	return results;
}

/** `fn(value)` for each value, one after the other: the results in order. */
export const series = (values, fn) => pool(values, 1, fn);
