import { AKOOL_CODES } from './akoolCodes';

/**
 * When a failed request to Akool is sent again. Every failure is one of four kinds, decided by whether the
 * request may have reached Akool:
 * - `notSent`: it provably never did (connection refused, DNS failure, no route);
 * - `refused`: Akool, or its gateway, explicitly refused it as too frequent (code 1005, HTTP 429);
 * - `ambiguous`: it may have been processed, but no usable answer came back: any failure after the request
 *   may have left (connection reset, timeout, HTTP 5xx, a truncated, corrupt or empty body, code 2001);
 * - `final`: anything else (a business code such as 1216, a bad parameter, a cancelled execution).
 * Reads and Close are idempotent and retry `notSent`, `refused` and `ambiguous` failures. Create Session and
 * Avatar Upload cost credits: they retry only `notSent` and `refused`, so a session is never charged twice.
 */
export type FailureKind = 'notSent' | 'refused' | 'ambiguous' | 'final';

export interface RetrySettings {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/** The time budget of one request, retries and waits included. */
	maxRetryTimeMs: number;
	/** The wait before the first retry; it doubles for each later one. */
	initialDelayMs: number;
	/** The longest single wait. */
	maxDelayMs: number;
	/** How long one attempt may take in all, the body included. */
	timeoutMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
	maxAttempts: 5,
	maxRetryTimeMs: 60_000,
	initialDelayMs: 1_000,
	maxDelayMs: 15_000,
	timeoutMs: 30_000,
};

/**
 * Request Options: each one's range. Values outside it (or an expression that gives no number) fail the
 * node before any request: a NaN concurrency once waited for ever, a 2³¹ ms timeout turned into 1 ms.
 */
export const REQUEST_OPTION_RANGES = {
	concurrency: { label: 'Concurrency', min: 1, max: 50 },
	maxAttempts: { label: 'Max Attempts', min: 1, max: 20 },
	maxRetryTime: { label: 'Max Retry Time (Seconds)', min: 0, max: 3600 },
	retryDelay: { label: 'Retry Delay (ms)', min: 0, max: 600_000 },
	timeout: { label: 'Timeout (ms)', min: 1, max: 600_000 },
} as const;

export type RequestOptionName = keyof typeof REQUEST_OPTION_RANGES;

/** Network error codes of requests that provably never reached Akool. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_INVALID_URL',
]);

/** What a failed request's error code says; unknown codes count as "may have reached Akool". */
export function networkFailureKind(code: string | undefined, cancelled: boolean): FailureKind {
	if (cancelled) return 'final';
	return code && NOT_SENT_CODES.has(code) ? 'notSent' : 'ambiguous';
}

export const codeFailureKind = (code: number): FailureKind => AKOOL_CODES[code]?.retry ?? 'final';

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
	return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** An invalid Request Option: which, what it was, and its range. */
export class RequestOptionError extends Error {
	constructor(
		readonly option: RequestOptionName,
		value: unknown,
	) {
		const { label, min, max } = REQUEST_OPTION_RANGES[option];
		const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : String(value);
		super(`Request Options → ${label} must be a whole number from ${min} to ${max}, not ${shown}`);
		this.name = 'RequestOptionError';
	}
}

/** Reads one Request Option: absent gives `fallback`; anything but a whole number in range throws. */
export function requestOption(
	options: Record<string, unknown> | undefined,
	option: RequestOptionName,
	fallback: number,
): number {
	const value = options?.[option];
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'string' ? Number(value) : value;
	const { min, max } = REQUEST_OPTION_RANGES[option];
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new RequestOptionError(option, value);
	}
	return number;
}

/** The user's Request Options, checked, with the defaults filled in. */
export function retrySettingsFrom(options: Record<string, unknown> | undefined): RetrySettings {
	return {
		...DEFAULT_RETRY,
		timeoutMs: requestOption(options, 'timeout', DEFAULT_RETRY.timeoutMs),
		maxAttempts: requestOption(options, 'maxAttempts', DEFAULT_RETRY.maxAttempts),
		maxRetryTimeMs:
			requestOption(options, 'maxRetryTime', DEFAULT_RETRY.maxRetryTimeMs / 1000) * 1000,
		initialDelayMs: requestOption(options, 'retryDelay', DEFAULT_RETRY.initialDelayMs),
	};
}
