import type { INodeParameters } from 'n8n-workflow';

/** A resource locator value in "By ID" mode, as the editor stores it. */
export const byId = (value: unknown) => ({ __rl: true, mode: 'id', value }) as INodeParameters['x'];

/** Parameters of Session → Close for one session ID (a literal or an expression). */
export const closeSession = (
	sessionId: unknown,
	options: INodeParameters = {},
): INodeParameters => ({
	resource: 'session',
	operation: 'close',
	sessionId: byId(sessionId),
	options,
});
