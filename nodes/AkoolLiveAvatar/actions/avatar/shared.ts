import { statusNameFrom } from '../../helpers/simplify';

/** What "Simplify" keeps of an avatar: what a workflow needs to pick one and start a session with it. */
export const AVATAR_FIELDS = [
	'_id',
	'avatar_id',
	'name',
	'available',
	'status',
	'voice_id',
	'gender',
	'url',
	'thumbnailUrl',
	'platform',
] as const;

/** Status of a streaming avatar (list, detail and upload): processed avatars are ready (3) or failed (4). */
export const AVATAR_STATUS = { queueing: 1, processing: 2, ready: 3, failed: 4 } as const;
export const avatarStatusName = statusNameFrom(AVATAR_STATUS);
