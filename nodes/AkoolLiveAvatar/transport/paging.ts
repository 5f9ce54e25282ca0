import type { IDataObject } from 'n8n-workflow';

import type { AkoolEndpoint } from './endpoints';
import { akoolApiError } from './errors';
import { akoolApiRequest, type AkoolContext } from './request';

/** No list is read past this many pages: a server that never says "done" must not loop for ever. */
export const MAX_PAGES = 500;

export interface PagesRequest {
	endpoint: AkoolEndpoint;
	qs?: IDataObject;
	/** Stop once this many elements are read (Get Many's Limit); all of them by default. */
	limit?: number;
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
	const total = [object.count, object.total].find(
		(value): value is number => typeof value === 'number' && Number.isFinite(value),
	);
	return { elements: (list as IDataObject[] | undefined) ?? [], total };
}

/**
 * The one paging rule of the node, for every Get Many, Close All Open and list search. Akool may serve
 * fewer elements than `size` asks (it documents no maximum), so a short page does not mean the end: keep
 * reading while `count` (or `total`) says more elements exist; without a count, stop at an empty page.
 * A page that repeats the one before (a server that ignores `page`) or more than MAX_PAGES pages end the
 * read with an error instead of an endless loop.
 */
export async function readPages(this: AkoolContext, request: PagesRequest): Promise<IDataObject[]> {
	const { endpoint, itemIndex } = request;
	const limit = request.limit ?? Infinity;
	const size = Math.max(1, Math.min(endpoint.pageSize ?? 100, limit));
	const collected: IDataObject[] = [];
	let previous: string | undefined;
	for (let page = 1; collected.length < limit; page++) {
		if (page > MAX_PAGES)
			throw pagingError(this, endpoint, `it has more than ${MAX_PAGES} pages`, collected.length);
		const envelope = await akoolApiRequest.call(
			this,
			{ endpoint, qs: { ...request.qs, page, size } },
			{ itemIndex },
		);
		const { elements, total } = listElements(envelope.data);
		if (elements.length === 0) break;
		const fingerprint = JSON.stringify(elements);
		if (fingerprint === previous) {
			throw pagingError(
				this,
				endpoint,
				`page ${page} repeats page ${page - 1}, as if Akool ignored the page number`,
				collected.length,
			);
		}
		previous = fingerprint;
		collected.push(...elements);
		if (total !== undefined && collected.length >= total) break;
	}
	return collected.slice(0, limit);
}

function pagingError(context: AkoolContext, endpoint: AkoolEndpoint, why: string, read: number) {
	return akoolApiError(context.getNode(), {
		message: `Stopped reading Akool's list: ${why}`,
		description: `The node stops rather than loop for ever (${read} elements were read). Try again later; if it keeps happening, check the Base URL of the Akool API credential or report it to Akool.`,
		request: { method: endpoint.method, path: endpoint.path },
	});
}
