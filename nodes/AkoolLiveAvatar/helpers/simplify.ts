import type { IDataObject } from 'n8n-workflow';

import { SESSION_STATUS } from '../transport/endpoints';

/** Words by code, from a table of codes by word such as SESSION_STATUS. */
export function namesByCode(codes: Readonly<Record<string, number>>): Record<number, string> {
	return Object.fromEntries(Object.entries(codes).map(([name, code]) => [code, name]));
}

export const SESSION_STATUS_NAMES = namesByCode(SESSION_STATUS);

/** The field the node adds beside a `status` code: its word (the node's own fields are snake_case, like Akool's). */
export const STATUS_NAME_FIELD = 'status_name';

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
 * dates, and, when `statusNames` knows the `status` code, its word in `status_name` right after it.
 */
export function simplify(
	object: IDataObject,
	fields: readonly string[],
	statusNames?: Readonly<Record<number, string>>,
): IDataObject {
	const simplified: IDataObject = {};
	for (const field of fields) {
		const value = object[field];
		if (value === undefined) continue;
		simplified[field] = TIME_FIELD.test(field) ? isoTime(value) : value;
		if (field === 'status') {
			const name = statusNames?.[Number(value)];
			if (name !== undefined) simplified[STATUS_NAME_FIELD] = name;
		}
	}
	return simplified;
}

/** Adds the word of the `status` code after it, keeping every field; for outputs without "Simplify". */
export function withStatusName(
	object: IDataObject,
	statusNames: Readonly<Record<number, string>>,
): IDataObject {
	const name = statusNames[Number(object.status)];
	if (name === undefined) return object;
	const entries = Object.entries(object);
	const at = entries.findIndex(([key]) => key === 'status') + 1;
	return Object.fromEntries([
		...entries.slice(0, at),
		[STATUS_NAME_FIELD, name],
		...entries.slice(at),
	]);
}
