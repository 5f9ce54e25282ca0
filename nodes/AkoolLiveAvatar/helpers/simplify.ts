import type { IDataObject } from 'n8n-workflow';

/** The word of a status code ("processing"), or undefined for a code that is not documented. */
export type StatusNameOf = (code: unknown) => string | undefined;

/** A StatusNameOf from a table of codes by word, such as `{ ready: 3, failed: 4 }`. */
export function statusNameFrom(codes: Readonly<Record<string, number>>): StatusNameOf {
	const names = new Map(Object.entries(codes).map(([name, code]) => [code, name]));
	return (code) => names.get(Number(code));
}

/**
 * The field the node adds beside a `status` code: its word. Fields the node adds are camelCase (sessionId,
 * alreadyClosed, statusName); Akool's own keep Akool's names (_id, avatar_id, create_time).
 */
export const STATUS_NAME_FIELD = 'statusName';

/** Akool's times are epoch milliseconds in fields named `*_time` (create_time, update_time, …). */
const TIME_FIELD = /_time$/;
/** Below this an epoch value is in seconds, not milliseconds (1e11 ms is 1973; 1e11 s is far future). */
const EPOCH_SECONDS_BELOW = 1e11;

function isoTime(value: IDataObject[string]): IDataObject[string] {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return value;
	return new Date(value < EPOCH_SECONDS_BELOW ? value * 1000 : value).toISOString();
}

/**
 * What "Simplify" returns: only `fields` of an Akool object, in that order, in readable form: times as ISO
 * dates, and, when `statusName` knows the `status` code, its word in `statusName` right after it.
 */
export function simplify(
	object: IDataObject,
	fields: readonly string[],
	statusName?: StatusNameOf,
): IDataObject {
	const simplified: IDataObject = {};
	for (const field of fields) {
		const value = object[field];
		if (value === undefined) continue;
		simplified[field] = TIME_FIELD.test(field) ? isoTime(value) : value;
		const name = field === 'status' ? statusName?.(value) : undefined;
		if (name !== undefined) simplified[STATUS_NAME_FIELD] = name;
	}
	return simplified;
}

/** Adds the word of the `status` code after it, keeping every field; for outputs without "Simplify". */
export function withStatusName(object: IDataObject, statusName: StatusNameOf): IDataObject {
	const name = statusName(object.status);
	if (name === undefined) return object;
	const entries = Object.entries(object);
	const at = entries.findIndex(([key]) => key === 'status') + 1;
	return Object.fromEntries([
		...entries.slice(0, at),
		[STATUS_NAME_FIELD, name],
		...entries.slice(at),
	]);
}
