import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest } from '../transport';

/** How many characters of a session ID an entry shows: the end of an ID differs most between sessions. */
const SHORT_ID_LENGTH = 6;

/**
 * The names of the avatars that `sessions` use, by avatar_id. Sessions carry only the avatar_id, so each
 * distinct one is looked up once; an avatar that cannot be read keeps its avatar_id as its name.
 */
export async function avatarNamesOf(
	context: ILoadOptionsFunctions,
	sessions: IDataObject[],
): Promise<Map<string, string>> {
	const avatarIds = [
		...new Set(
			sessions.map((s) => s.avatar_id).filter((id) => typeof id === 'string' && id !== ''),
		),
	] as string[];
	const names = await Promise.all(
		avatarIds.map(async (avatarId) => {
			try {
				const { data } = await akoolApiRequest.call(context, {
					endpoint: AKOOL_ENDPOINTS.getAvatar,
					qs: { avatar_id: avatarId },
				});
				const name = (data as IDataObject | undefined)?.name;
				return typeof name === 'string' && name !== '' ? name : avatarId;
			} catch {
				return avatarId;
			}
		}),
	);
	return new Map(avatarIds.map((id, i) => [id, names[i]]));
}

/**
 * When a session started, in the instance's time zone and saying which, e.g. "2026-11-30 08:41 GMT+1";
 * undefined when Akool gives no time.
 */
function startedAt(session: IDataObject, timeZone: string): string | undefined {
	const time = Number(session.create_time);
	if (!Number.isFinite(time) || time <= 0) return undefined;
	const date = new Date(time);
	try {
		// Swedish dates are written the ISO way (2026-11-30 08:41); the zone's short name comes from English.
		const local = new Intl.DateTimeFormat('sv-SE', {
			timeZone,
			dateStyle: 'short',
			timeStyle: 'short',
		});
		const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
			.formatToParts(date)
			.find((part) => part.type === 'timeZoneName')?.value;
		return [local.format(date), zone].filter(Boolean).join(' ');
	} catch {
		return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
	}
}

/**
 * A session as the picker lists it: what a person recognises (the avatar, when it started, the end of its ID)
 * and nothing that changes, since the editor saves the label with the workflow. `undefined` when it does not
 * match `filter` (any of the avatar's name and avatar_id, the start time, the whole ID; case ignored).
 */
export function sessionEntry(
	session: IDataObject,
	avatarNames: Map<string, string>,
	timeZone: string,
	filter = '',
): INodeListSearchItems | undefined {
	const id = String(session._id);
	const avatarId = typeof session.avatar_id === 'string' ? session.avatar_id : '';
	const avatar = avatarNames.get(avatarId) ?? avatarId;
	const started = startedAt(session, timeZone);
	const wanted = filter.trim().toLowerCase();
	const searched = [avatar, avatarId, started, id].filter(Boolean).join(' ').toLowerCase();
	if (wanted !== '' && !searched.includes(wanted)) return undefined;
	const name = [
		avatar || 'Session',
		started && `started ${started}`,
		`…${id.slice(-SHORT_ID_LENGTH)}`,
	]
		.filter(Boolean)
		.join(' · ');
	return { name, value: id };
}
