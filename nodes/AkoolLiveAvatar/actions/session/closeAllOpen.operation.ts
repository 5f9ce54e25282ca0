import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ItemError } from '../../helpers/itemError';
import { AKOOL_ENDPOINTS, OPEN_SESSION_STATUSES, readPages } from '../../transport';
import { closeSession } from './closeSession';

/**
 * Close, then look again, at most this many times. Sessions opened while the node runs (another workflow, a
 * user) show up in the next look and are closed too; a server that keeps reporting sessions as open after
 * closing them cannot keep the node busy for ever.
 */
export const MAX_CLOSE_ROUNDS = 5;

const properties: INodeProperties[] = [
	{
		displayName:
			'Closes every queueing or processing session of the account, then lists them again until none is left open. Outputs one item per input item: how many sessions were closed, in how many rounds, and which. Runs once per input item: turn on Settings → Execute Once if the input has several items.',
		name: 'closeAllOpenNotice',
		type: 'notice',
		default: '',
	},
];

/** A second item must see what the first one closed, so items never run side by side. */
export const sequential = true;

export const option: INodePropertyOptions = {
	name: 'Close All Open',
	value: 'closeAllOpen',
	description:
		'Close every queueing or processing session, e.g. to make sure nothing keeps consuming credits',
	action: 'Close all open sessions',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['closeAllOpen'] } },
	properties,
);

/**
 * Proves its result: lists every open session, closes each, and lists again, until a list comes back
 * empty. It fails, naming the sessions, if any is still open after MAX_CLOSE_ROUNDS rounds or could not be
 * closed: it never reports success while a session may still be using credits.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const closed: IDataObject[] = [];
	const failures = new Map<string, string>();
	for (let round = 1; round <= MAX_CLOSE_ROUNDS + 1; round++) {
		const open = (await listOpenSessions(this, itemIndex)).filter(
			(s) => !failures.has(String(s._id)),
		);
		if (open.length === 0) {
			if (failures.size > 0) break;
			return { closed: closed.length, rounds: round - 1, sessions: closed };
		}
		if (round > MAX_CLOSE_ROUNDS) {
			throw stillOpenError(
				open.map((s) => String(s._id)),
				closed.length,
			);
		}
		// Every session gets its close request even when an earlier one fails: each one left open uses credits.
		for (const session of open) {
			const sessionId = String(session._id);
			try {
				// "Already closed" means someone else (a user, the duration running out) closed it meanwhile.
				const { alreadyClosed } = await closeSession(this, sessionId, itemIndex, {
					succeedIfAlreadyClosed: true,
				});
				closed.push({ _id: sessionId, previousStatus: session.status, alreadyClosed, round });
			} catch (error) {
				failures.set(sessionId, (error as Error).message);
			}
		}
	}
	const listed = [...failures].map(([id, why]) => `${id}: ${why}`);
	throw new ItemError(
		`Could not close ${failures.size} open session${failures.size === 1 ? '' : 's'}`,
		`Closed ${closed.length}. Failed: ${listed.join('; ')}. Run the node again to close the ones left open.`,
	);
}

function stillOpenError(ids: string[], closedCount: number): ItemError {
	const shown =
		ids.slice(0, 20).join(', ') + (ids.length > 20 ? ` and ${ids.length - 20} more` : '');
	return new ItemError(
		`${ids.length} session${ids.length === 1 ? ' is' : 's are'} still open after ${MAX_CLOSE_ROUNDS} rounds of closing`,
		`Closed ${closedCount}, but Akool still lists these as queueing or processing: ${shown}. New sessions may be starting as fast as they are closed, or Akool may be slow to update its list: run the node again, or check them with Session → Get.`,
	);
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
	for (const status of OPEN_SESSION_STATUSES) {
		const sessions = await readPages.call(context, {
			endpoint: AKOOL_ENDPOINTS.listSessions,
			qs: { status },
			itemIndex,
		});
		for (const session of sessions) {
			// Trust the status Akool reports, not the filter: a server may ignore `status`.
			const reallyOpen = OPEN_SESSION_STATUSES.includes(Number(session.status));
			if (typeof session._id === 'string' && session._id !== '' && reallyOpen)
				open.set(session._id, session);
		}
	}
	return [...open.values()];
}
