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
