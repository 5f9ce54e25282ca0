import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { AKOOL_CREDENTIAL_TYPE, AKOOL_ENDPOINTS } from './endpoints';
import { untilAborted } from './pause';

const renewals = new WeakMap<object, Promise<void>>();

/**
 * Gets a new token after Akool rejected the stored one with code 1101. Akool says so with HTTP 200, so n8n
 * never refreshes the token by itself (it does on HTTP 401 only). Hand n8n the credential with the token
 * blanked: its pre-authentication exchanges the client ID and secret for a new token and stores it, and the
 * next request reads it. Items that hit 1101 together share one renewal instead of each asking for a token.
 * The exchange is bounded by the credential's own timeout; a cancelled execution stops waiting for it at once.
 */
export async function renewToken(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
	cancel: AbortSignal | undefined,
): Promise<void> {
	let renewal = renewals.get(context);
	if (!renewal) {
		const ref = context.getNode().credentials?.[AKOOL_CREDENTIAL_TYPE];
		renewal = context.helpers.httpRequestWithAuthentication
			.call(
				context,
				AKOOL_CREDENTIAL_TYPE,
				// Any cheap authenticated read: what matters is the pre-authentication before it.
				{
					method: 'GET',
					url: `${baseUrl}${AKOOL_ENDPOINTS.getCreditBalance.path}`,
					json: true,
					disableFollowRedirect: true,
				},
				ref?.id
					? {
							credentialsDecrypted: {
								id: ref.id,
								name: ref.name,
								type: AKOOL_CREDENTIAL_TYPE,
								data: { ...credentials, clientToken: '' },
							},
						}
					: undefined,
			)
			.then(
				() => undefined,
				() => undefined, // a failed renewal shows as the retried request's own error
			);
		renewals.set(context, renewal);
		void renewal.then(() => renewals.delete(context));
	}
	await (cancel ? untilAborted(renewal, cancel) : renewal);
}
