import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { listElements } from '../helpers/pagination';
import { akoolApiRequest } from '../transport';
import { AKOOL_ENDPOINTS, SESSION_STATUS, type AkoolEndpoint } from '../transport/endpoints';
import { avatarNamesOf, sessionEntry } from './sessionEntry';

const PAGE_SIZE = 100;

/**
 * Open sessions (queueing or processing) for the "From List" mode of session pickers, each named by its
 * avatar, start time and short ID (see sessionEntry.ts), searchable by any of them.
 */
export async function searchOpenSessions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1);
	const sessions: IDataObject[] = [];
	let more = false;
	for (const status of [SESSION_STATUS.processing, SESSION_STATUS.queueing]) {
		const list = await listPage(this, AKOOL_ENDPOINTS.listSessions, page, { status });
		more ||= list.more;
		sessions.push(...list.elements);
	}
	const avatarNames = await avatarNamesOf(this, sessions);
	const results = sessions
		.map((session) => sessionEntry(session, avatarNames, this.getTimezone(), filter))
		.filter((entry) => entry !== undefined);
	return { results, paginationToken: more ? String(page + 1) : undefined };
}

/** Whether one of `texts` contains the search text, ignoring case; an empty search matches everything. */
function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	const wanted = filter?.trim().toLowerCase() ?? '';
	return (
		wanted === '' ||
		texts.some((text) =>
			String(text ?? '')
				.toLowerCase()
				.includes(wanted),
		)
	);
}

/** Reads page `page` of a list; `more` says whether Akool has further pages. */
async function listPage(
	context: ILoadOptionsFunctions,
	endpoint: AkoolEndpoint,
	page: number,
	qs: IDataObject = {},
) {
	const envelope = await akoolApiRequest.call(context, {
		endpoint,
		qs: { ...qs, page, size: PAGE_SIZE },
	});
	const { elements, total } = listElements(envelope.data);
	// Without a total (knowledge bases), a full page means there may be another one.
	const more = total === undefined ? elements.length === PAGE_SIZE : total > page * PAGE_SIZE;
	return { elements, more };
}

/** Where avatars come from: the API's own (official and uploaded) and the Akool web app's. */
const AVATAR_PLATFORMS = [
	{ platform: 'open', label: '' },
	{ platform: 'aigc', label: 'web app' },
] as const;

/**
 * Streaming avatars of both platforms, searchable by name or avatar_id. Akool's list has no name filter, so
 * the search applies to each page read. Avatars that are not available are listed, marked as such.
 */
export async function searchAvatars(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1);
	const results: INodeListSearchItems[] = [];
	let more = false;
	for (const { platform, label } of AVATAR_PLATFORMS) {
		const list = await listPage(this, AKOOL_ENDPOINTS.listAvatars, page, { platform });
		more ||= list.more;
		for (const avatar of list.elements) {
			const avatarId = String(avatar.avatar_id ?? '');
			if (avatarId === '' || !matches(filter, avatar.name, avatarId)) continue;
			const notes = [label, avatar.available === false ? 'unavailable' : '']
				.filter(Boolean)
				.join(', ');
			results.push({
				name: `${String(avatar.name ?? avatarId)} (${avatarId})${notes ? ` [${notes}]` : ''}`,
				value: avatarId,
			});
		}
	}
	return { results, paginationToken: more ? String(page + 1) : undefined };
}

/** Voices that work in sessions: the account's clones first, then Akool's voices. */
const VOICE_SOURCES = [
	{ type: 1, label: 'your clone' },
	{ type: 2, label: 'Akool' },
] as const;

/** Streaming voices, searched by name on Akool's side (its `name` filter), so every page can be reached. */
export async function searchVoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1);
	const name = filter?.trim() ? { name: filter.trim() } : {};
	const results: INodeListSearchItems[] = [];
	let more = false;
	for (const { type, label } of VOICE_SOURCES) {
		const list = await listPage(this, AKOOL_ENDPOINTS.listVoices, page, {
			type,
			support_stream: 1,
			...name,
		});
		more ||= list.more;
		for (const voice of list.elements) {
			const voiceId = String(voice.voice_id ?? '');
			if (voiceId === '') continue;
			const details = [voice.gender, voice.language, label].filter(Boolean).join(', ');
			results.push({ name: `${String(voice.name ?? voiceId)} (${details})`, value: voiceId });
		}
	}
	return { results, paginationToken: more ? String(page + 1) : undefined };
}

/** Knowledge bases, searched by name on Akool's side. */
export async function searchKnowledgeBases(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1);
	const list = await listPage(
		this,
		AKOOL_ENDPOINTS.listKnowledgeBases,
		page,
		filter?.trim() ? { name: filter.trim() } : {},
	);
	const results = list.elements
		.filter((kb) => typeof kb._id === 'string' && kb._id !== '')
		.map((kb) => ({ name: String(kb.name || kb._id), value: String(kb._id) }));
	return { results, paginationToken: list.more ? String(page + 1) : undefined };
}
