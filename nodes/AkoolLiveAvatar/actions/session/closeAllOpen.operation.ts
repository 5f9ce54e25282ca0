import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { akoolGetMany } from '../../helpers/pagination';
import { AKOOL_ENDPOINTS, SESSION_STATUS } from '../../transport/endpoints';
import { messageWithoutItem } from '../../transport/errors';
import { closeSession } from './closeSession';

/** The statuses of a session that still runs, or is about to, and so uses credits. */
const OPEN_STATUSES = [SESSION_STATUS.queueing, SESSION_STATUS.processing];

const properties: INodeProperties[] = [
	{
		displayName:
			'Closes every queueing or processing session of the account. Outputs one item per session closed (session_id, previousStatus, alreadyClosed), or a single item {"closed": 0} when none was open. Runs once per input item: turn on Settings → Execute Once if the input has several items.',
		name: 'closeAllOpenNotice',
		type: 'notice',
		default: '',
	},
];

/** A second item must see what the first one closed, so items never run side by side. */
export const sequential = true;

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['closeAllOpen'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const open = await listOpenSessions(this, itemIndex);
	// One item even when there is nothing to do, so that the workflow goes on (e.g. to report "0 closed").
	if (open.length === 0) return [{ closed: 0 }];

	const closed: IDataObject[] = [];
	const failures: string[] = [];
	// Every session gets its close request even when an earlier one fails: each one left open keeps using credits.
	for (const session of open) {
		const sessionId = String(session._id);
		try {
			// 1219 means someone else (a user, another workflow, the duration running out) closed it meanwhile.
			const { alreadyClosed } = await closeSession(this, sessionId, itemIndex, {
				succeedIfAlreadyClosed: true,
			});
			closed.push({ session_id: sessionId, previousStatus: session.status, alreadyClosed });
		} catch (error) {
			// The item index is said once, in the message below.
			failures.push(`${sessionId}: ${messageWithoutItem(error)}`);
		}
	}
	if (failures.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Could not close ${failures.length} of ${open.length} open sessions [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Closed ${closed.length}. Failed: ${failures.join('; ')}. Run the node again to close the ones left open.`,
			},
		);
	}
	return closed;
}

/**
 * Every open session, read in full before any is closed: closing while paging would shrink the filtered
 * list under the reader and skip sessions. A session that moved from queueing to processing between the
 * two lists is counted once, with its newer status.
 */
async function listOpenSessions(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject[]> {
	const open = new Map<string, IDataObject>();
	for (const status of OPEN_STATUSES) {
		const sessions = await akoolGetMany.call(context, {
			endpoint: AKOOL_ENDPOINTS.listSessions,
			qs: { status },
			returnAll: true,
			itemIndex,
		});
		for (const session of sessions) {
			if (typeof session._id === 'string' && session._id !== '') open.set(session._id, session);
		}
	}
	return [...open.values()];
}
