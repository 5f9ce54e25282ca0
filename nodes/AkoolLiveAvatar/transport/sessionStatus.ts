/**
 * The statuses of a Live Avatar session, in one place: the Get Many filter, the readable `statusName` of
 * simplified outputs, the session picker and Close All Open are all built from this table.
 */
export const SESSION_STATUSES = [
	{
		code: 1,
		name: 'queueing',
		label: 'Queueing',
		description: 'Created, waiting for the avatar to start',
		open: true,
	},
	{
		code: 2,
		name: 'processing',
		label: 'Processing',
		description: 'Running: the avatar is live and using credits',
		open: true,
	},
	{
		code: 3,
		name: 'completed',
		label: 'Completed',
		description: 'Closed, or ended when its duration ran out',
		open: false,
	},
	{ code: 4, name: 'failed', label: 'Failed', description: 'Could not run', open: false },
] as const;

export type SessionStatusName = (typeof SESSION_STATUSES)[number]['name'];

/** Status codes by name, e.g. SESSION_STATUS.processing === 2. */
export const SESSION_STATUS = Object.fromEntries(SESSION_STATUSES.map((s) => [s.name, s.code])) as {
	[K in SessionStatusName]: number;
};

/** Statuses of a session that runs, or is about to, and so uses credits. */
export const OPEN_SESSION_STATUSES: number[] = SESSION_STATUSES.filter((s) => s.open).map(
	(s) => s.code,
);

/** The status's name ("processing"), or undefined for a code Akool has not documented. */
export const sessionStatusName = (code: unknown): string | undefined =>
	SESSION_STATUSES.find((s) => s.code === Number(code))?.name;
