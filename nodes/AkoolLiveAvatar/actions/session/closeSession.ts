import type { IExecuteFunctions } from 'n8n-workflow';

import { AKOOL_CODE, AKOOL_ENDPOINTS, akoolApiRequest, type AkoolEnvelope } from '../../transport';

export interface CloseSessionOptions {
	/** Whether Akool's "already closed" (1219) counts as success instead of an error. */
	succeedIfAlreadyClosed?: boolean;
}

export interface CloseSessionResult {
	envelope: AkoolEnvelope;
	/** True when Akool said the session was already closed (only possible with `succeedIfAlreadyClosed`). */
	alreadyClosed: boolean;
}

/** Sends one Close Session request: the single place that knows its body. Used by Close and Close All Open. */
export async function closeSession(
	context: IExecuteFunctions,
	sessionId: string,
	itemIndex: number,
	options: CloseSessionOptions = {},
): Promise<CloseSessionResult> {
	const envelope = await akoolApiRequest.call(
		context,
		// Akool's OpenAPI schema requires `id`; the hand-written samples on the same docs page send
		// `session_id`. Sending both, with the same value, works whichever one the server reads.
		{ endpoint: AKOOL_ENDPOINTS.closeSession, body: { id: sessionId, session_id: sessionId } },
		{
			itemIndex,
			acceptCodes: options.succeedIfAlreadyClosed ? [AKOOL_CODE.alreadyClosed] : [],
			// A retry after a lost answer hears "already closed" when the lost attempt did the closing.
			acceptCodesAfterUnclearAttempt: [AKOOL_CODE.alreadyClosed],
		},
	);
	// Without the option, a 1219 can only come from such a retry: the session was closed by this item.
	const alreadyClosed =
		envelope.code === AKOOL_CODE.alreadyClosed && options.succeedIfAlreadyClosed === true;
	return { envelope, alreadyClosed };
}
