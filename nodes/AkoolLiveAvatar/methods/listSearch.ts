import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import {
	AKOOL_ENDPOINTS,
	akoolApiRequest,
	readPages,
	SESSION_STATUS,
	type AkoolEndpoint,
} from '../transport';
import { avatarNamesOf, sessionEntry } from './sessionEntry';

/** A picker lists at most this many entries of one source; typing narrows them down. */
const LIST_SEARCH_LIMIT = 1000;

/**
 * Open sessions (queueing or processing) for the "From List" mode of session pickers, each named by its
 * avatar, start time and short ID (see sessionEntry.ts), searchable by any of them.
 */
export async function searchOpenSessions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const sessions: IDataObject[] = [];
	for (const status of [SESSION_STATUS.processing, SESSION_STATUS.queueing]) {
		sessions.push(...(await listAll(this, AKOOL_ENDPOINTS.listSessions, { status })));
	}
	const avatarNames = await avatarNamesOf(this, sessions);
	const results = sessions
		.map((session) => sessionEntry(session, avatarNames, this.getTimezone(), filter))
		.filter((entry) => entry !== undefined);
	return { results };
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

/**
 * The elements of a list, read by the transport's one paging rule. Pickers read the whole list (up to
 * LIST_SEARCH_LIMIT) and filter it here, so that a search finds what any page holds and no second paging
 * rule exists.
 */
async function listAll(
	context: ILoadOptionsFunctions,
	endpoint: AkoolEndpoint,
	qs: IDataObject = {},
) {
	return await readPages.call(context, { endpoint, qs, limit: LIST_SEARCH_LIMIT });
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
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	for (const { platform, label } of AVATAR_PLATFORMS) {
		const elements = await listAll(this, AKOOL_ENDPOINTS.listAvatars, { platform });
		for (const avatar of elements) {
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
	return { results };
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
): Promise<INodeListSearchResult> {
	const name = filter?.trim() ? { name: filter.trim() } : {};
	const results: INodeListSearchItems[] = [];
	for (const { type, label } of VOICE_SOURCES) {
		const elements = await listAll(this, AKOOL_ENDPOINTS.listVoices, {
			type,
			support_stream: 1,
			...name,
		});
		for (const voice of elements) {
			const voiceId = String(voice.voice_id ?? '');
			if (voiceId === '') continue;
			const details = [voice.gender, voice.language, label].filter(Boolean).join(', ');
			results.push({ name: `${String(voice.name ?? voiceId)} (${details})`, value: voiceId });
		}
	}
	return { results };
}

/** Knowledge bases, searched by name on Akool's side. */
export async function searchKnowledgeBases(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const elements = await listAll(
		this,
		AKOOL_ENDPOINTS.listKnowledgeBases,
		filter?.trim() ? { name: filter.trim() } : {},
	);
	const results = elements
		.filter((kb: IDataObject) => typeof kb._id === 'string' && kb._id !== '')
		.map((kb: IDataObject) => ({ name: String(kb.name || kb._id), value: String(kb._id) }));
	return { results };
}

/**
 * Akool's Language List, for the Language picker of Create Session. It is one list, not paged
 * (`data.lang_list`), so the search by name or code applies here.
 */
export async function searchLanguages(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const envelope = await akoolApiRequest.call(this, { endpoint: AKOOL_ENDPOINTS.listLanguages });
	const data = envelope.data as IDataObject | undefined;
	const languages = Array.isArray(data?.lang_list) ? (data.lang_list as IDataObject[]) : [];
	const results = languages
		.filter((language) => typeof language.lang_code === 'string' && language.lang_code !== '')
		.filter((language) => matches(filter, language.lang_name, language.lang_code))
		.map((language) => ({
			name: language.lang_name
				? `${String(language.lang_name)} (${String(language.lang_code)})`
				: String(language.lang_code),
			value: String(language.lang_code),
		}));
	return { results };
}
