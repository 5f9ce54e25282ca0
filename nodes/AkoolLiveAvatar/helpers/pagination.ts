import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { akoolApiRequest } from '../transport';
import type { AkoolEndpoint } from '../transport/endpoints';

export interface GetManyOptions {
	endpoint: AkoolEndpoint;
	qs?: IDataObject;
	/** Fetch every page, or stop at `limit` elements. */
	returnAll: boolean;
	limit?: number;
	/** Elements per request (Akool's `size`); lists cap it at 100. */
	pageSize?: number;
	itemIndex?: number;
}

/**
 * Akool's list `data` comes in several shapes: `{count, result: [...]}` (sessions, avatars, voices), a bare
 * array (knowledge bases, as documented) or `{knowledge_list: [...]}` (knowledge bases, as the official
 * demo reads them). Returns the elements and, when Akool says, the total.
 */
export function listElements(data: unknown): { elements: IDataObject[]; total?: number } {
	if (Array.isArray(data)) return { elements: data as IDataObject[] };
	if (typeof data !== 'object' || data === null) return { elements: [] };
	const object = data as IDataObject;
	const list = [object.result, object.knowledge_list, object.list, object.data].find(Array.isArray);
	const total =
		typeof object.count === 'number'
			? object.count
			: typeof object.total === 'number'
				? object.total
				: undefined;
	return { elements: (list as IDataObject[] | undefined) ?? [], total };
}

/** Walks Akool's page/size pagination until every element, or `limit` of them, has been read. */
export async function akoolGetMany(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	options: GetManyOptions,
): Promise<IDataObject[]> {
	const wanted = options.returnAll ? Infinity : Math.max(0, options.limit ?? 50);
	const size = Math.min(
		options.pageSize ?? 100,
		options.returnAll ? Infinity : Math.max(1, wanted),
	);
	const collected: IDataObject[] = [];
	for (let page = 1; collected.length < wanted; page++) {
		const envelope = await akoolApiRequest.call(
			this,
			{ endpoint: options.endpoint, qs: { ...options.qs, page, size } },
			{ itemIndex: options.itemIndex },
		);
		const { elements, total } = listElements(envelope.data);
		collected.push(...elements);
		const lastPage = elements.length < size || (total !== undefined && page * size >= total);
		if (lastPage || elements.length === 0) break;
	}
	return collected.slice(0, wanted);
}
