import type { IDataObject } from 'n8n-workflow';

/** Keeps only `fields` of an Akool object, in that order; for operations with a "Simplify" toggle. */
export function simplify(object: IDataObject, fields: readonly string[]): IDataObject {
	const simplified: IDataObject = {};
	for (const field of fields) {
		if (object[field] !== undefined) simplified[field] = object[field];
	}
	return simplified;
}
