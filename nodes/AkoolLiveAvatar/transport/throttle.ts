import { pause } from './pause';

/**
 * Shared by all items of one node execution: how many of them may be in flight at once, and a pause that
 * every request honours. When Akool refuses a request as too frequent (code 1005, HTTP 429), the allowed
 * concurrency halves and everyone holds off; each success wins a little of it back (additive increase,
 * multiplicative decrease), so a large batch settles just under the account's rate limit instead of
 * hammering it.
 */
export class Throttle {
	private limit: number;
	private active = 0;
	private pausedUntil = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(readonly maxConcurrency: number) {
		this.limit = maxConcurrency;
	}

	/** How many requests may be in flight now. */
	get slots(): number {
		return Math.max(1, Math.floor(this.limit));
	}

	/** Resolves when a slot is free. */
	async acquire(): Promise<void> {
		if (this.active < this.slots) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		this.active--;
		this.wakeWaiting();
	}

	private wakeWaiting(): void {
		while (this.active < this.slots && this.waiting.length > 0) {
			this.active++;
			this.waiting.shift()!();
		}
	}

	/** Waits out a pause another request asked for. */
	async waitTurn(signal?: AbortSignal): Promise<void> {
		const wait = this.pausedUntil - Date.now();
		if (wait > 0) await pause(wait, signal);
	}

	/**
	 * Akool refused a request as too frequent. Halve the concurrency once per burst of refusals (the requests
	 * already in flight are refused together and say nothing new), and pause everyone: for as long as
	 * Retry-After asks, or briefly, since Akool's code 1005 comes without one.
	 */
	onRefused(retryAfterMs?: number): void {
		const now = Date.now();
		if (now >= this.pausedUntil) this.limit = Math.max(1, this.limit / 2);
		this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? REFUSED_PAUSE_MS));
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
