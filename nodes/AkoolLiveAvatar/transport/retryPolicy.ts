import type { IDataObject } from 'n8n-workflow';

/**
 * When a failed request to Akool is sent again. Every failure is one of four kinds:
 * - `notSent`: the request provably never reached Akool (connection refused, DNS failure);
 * - `refused`: Akool, or its gateway, explicitly refused it as too frequent (code 1005, HTTP 429);
 * - `ambiguous`: it may have been processed, but no usable answer came back (connection reset, timeout,
 *   HTTP 5xx, a truncated or empty body, code 2001);
 * - `final`: anything else (a business code such as 1216, a bad parameter, a cancelled execution).
 * Reads and Close are idempotent and retry `notSent`, `refused` and `ambiguous` failures. Create Session and
 * Avatar Upload cost credits: they retry only `notSent` and `refused`, so a session is never charged twice.
 */
export type FailureKind = 'notSent' | 'refused' | 'ambiguous' | 'final';

export interface RetrySettings {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/** No retry starts once this much time has passed since the first attempt. */
	maxRetryTimeMs: number;
	/** The wait before the first retry; it doubles for each later one. */
	initialDelayMs: number;
	/** The longest single wait. */
	maxDelayMs: number;
	/** How long one request may take. */
	timeoutMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
	maxAttempts: 5,
	maxRetryTimeMs: 60_000,
	initialDelayMs: 1_000,
	maxDelayMs: 15_000,
	timeoutMs: 30_000,
};

const NETWORK_FAILURES: Record<string, FailureKind> = {
	ECONNREFUSED: 'notSent',
	ENOTFOUND: 'notSent',
	EAI_AGAIN: 'notSent',
	ECONNRESET: 'ambiguous',
	EPIPE: 'ambiguous',
	ETIMEDOUT: 'ambiguous',
	ECONNABORTED: 'ambiguous',
	ERR_CANCELED: 'final',
};

export const networkFailureKind = (code: string | undefined): FailureKind =>
	(code && NETWORK_FAILURES[code]) || 'ambiguous';

/** Business codes that are retried: 1005 "operation too frequent" (refused), 2001 "server error". */
export const RETRIED_CODES: Record<number, FailureKind> = { 1005: 'refused', 2001: 'ambiguous' };

export function httpFailureKind(status: number): FailureKind {
	if (status === 429) return 'refused';
	return status >= 500 ? 'ambiguous' : 'final';
}

export function isRetried(kind: FailureKind, idempotent: boolean): boolean {
	return kind === 'notSent' || kind === 'refused' || (kind === 'ambiguous' && idempotent);
}

/** Exponential backoff with jitter (half to all of the step), or what Retry-After asks for if longer. */
export function retryDelayMs(
	settings: RetrySettings,
	retry: number,
	retryAfterMs?: number,
): number {
	const step = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (retry - 1));
	const jittered = step / 2 + Math.random() * (step / 2);
	return Math.max(jittered, Math.min(retryAfterMs ?? 0, settings.maxRetryTimeMs));
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The user's "Request Options" of the node, with the defaults filled in. */
export function retrySettingsFrom(options: IDataObject | undefined): RetrySettings {
	const number = (key: string, fallback: number, scale = 1) =>
		typeof options?.[key] === 'number' &&
		Number.isFinite(options[key]) &&
		(options[key] as number) >= 0
			? (options[key] as number) * scale
			: fallback;
	return {
		...DEFAULT_RETRY,
		timeoutMs: number('timeout', DEFAULT_RETRY.timeoutMs),
		maxAttempts: Math.max(1, Math.floor(number('maxAttempts', DEFAULT_RETRY.maxAttempts))),
		maxRetryTimeMs: number('maxRetryTime', DEFAULT_RETRY.maxRetryTimeMs, 1000),
		initialDelayMs: number('retryDelay', DEFAULT_RETRY.initialDelayMs),
	};
}
