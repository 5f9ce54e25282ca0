import { pause } from './pause';

/**
 * Shared by all items of one node execution: how many of them may be in flight at once, and a pause that
 * every request honours. When Akool refuses a request as too frequent (code 1005, HTTP 429), the allowed
 * concurrency halves and everyone holds off; each success wins a little of it back (additive increase,
 * multiplicative decrease), so a large batch settles just under the account's rate limit instead of
 * hammering it. Every wait here ends when the execution is cancelled.
 */
export class Throttle {
	private limit: number;
	private active = 0;
	private pausedUntil = 0;
	private readonly waiting: Array<{ grant: () => void }> = [];

	constructor(readonly maxConcurrency: number) {
		if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
			throw new RangeError(
				`Concurrency must be a whole number of at least 1, not ${maxConcurrency}`,
			);
		}
		this.limit = maxConcurrency;
	}

	/** How many requests may be in flight now. */
	get slots(): number {
		return Math.max(1, Math.floor(this.limit));
	}

	/** Resolves when a slot is free; rejects when `signal` aborts first. */
	async acquire(signal?: AbortSignal): Promise<void> {
		signal?.throwIfAborted();
		if (this.active < this.slots) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve, reject) => {
			const waiter = {
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			const onAbort = () => {
				this.waiting.splice(this.waiting.indexOf(waiter), 1);
				reject(signal?.reason);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(waiter);
		});
	}

	release(): void {
		this.active--;
		this.wakeWaiting();
	}

	private wakeWaiting(): void {
		while (this.active < this.slots && this.waiting.length > 0) {
			this.active++;
			this.waiting.shift()!.grant();
		}
	}

	/** How long a pause another request asked for still lasts. */
	get pauseLeftMs(): number {
		return Math.max(0, this.pausedUntil - Date.now());
	}

	/** Waits out a pause another request asked for, but never longer than `budgetMs`. */
	async waitTurn(signal: AbortSignal | undefined, budgetMs: number): Promise<void> {
		const wait = Math.min(this.pauseLeftMs, Math.max(0, budgetMs));
		if (wait > 0) await pause(wait, signal);
	}

	/**
	 * Akool refused a request as too frequent. Halve the concurrency once per burst of refusals (the requests
	 * already in flight are refused together and say nothing new), and pause everyone: for as long as
	 * Retry-After asks, or briefly, since Akool's code 1005 comes without one. The pause is capped by the
	 * caller (the time left in its budget), so a huge Retry-After cannot stall the items after it.
	 */
	onRefused(pauseMs: number = REFUSED_PAUSE_MS): void {
		const now = Date.now();
		if (now >= this.pausedUntil) this.limit = Math.max(1, this.limit / 2);
		this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
	}

	onSuccess(): void {
		this.limit = Math.min(this.maxConcurrency, this.limit + 1 / this.limit);
		this.wakeWaiting();
	}
}

/** The pause after a refusal without Retry-After: long enough to let Akool's rate window move on. */
export const REFUSED_PAUSE_MS = 250;

const throttles = new WeakMap<object, Throttle>();

/** The throttle of one node execution (its context object), created on first use. */
export function throttleOf(context: object, maxConcurrency = 1): Throttle {
	let throttle = throttles.get(context);
	if (!throttle) {
		throttle = new Throttle(maxConcurrency);
		throttles.set(context, throttle);
	}
	return throttle;
}
