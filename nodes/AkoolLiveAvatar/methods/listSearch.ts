import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { akoolApiRequest } from '../transport';
import { AKOOL_ENDPOINTS, SESSION_STATUS } from '../transport/endpoints';

const PAGE_SIZE = 100;
const STATUS_LABEL: Record<number, string> = { 1: 'queueing', 2: 'processing', 3: 'completed', 4: 'failed' };

/** Open sessions (queueing or processing) for the "From List" mode of session pickers. */
export async function searchOpenSessions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1);
	const results: INodeListSearchItems[] = [];
	let more = false;
	for (const status of [SESSION_STATUS.processing, SESSION_STATUS.queueing]) {
		const envelope = await akoolApiRequest.call(this, {
			endpoint: AKOOL_ENDPOINTS.listSessions,
			qs: { page, size: PAGE_SIZE, status },
		});
		const data = (envelope.data ?? {}) as { count?: number; result?: IDataObject[] };
		const sessions = Array.isArray(data.result) ? data.result : [];
		more ||= (data.count ?? 0) > page * PAGE_SIZE;
		for (const session of sessions) {
			const id = String(session._id);
			if (filter && !id.toLowerCase().includes(filter.trim().toLowerCase())) continue;
			const details = [STATUS_LABEL[Number(session.status)], session.stream_type].filter(Boolean).join(', ');
			results.push({ name: details ? `${id} (${details})` : id, value: id });
		}
	}
	return { results, paginationToken: more ? String(page + 1) : undefined };
}
