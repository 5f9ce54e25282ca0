/**
 * Akool's business codes (https://docs.akool.com/ai-tools-suite/error-code and the product pages), in one
 * table: what happened, in our words, and what to do. Akool answers most failures with HTTP 200 and one of
 * these codes in the body, so this table, not the HTTP status, decides what an error says and whether the
 * request is tried again. The node and the credential test read the same table, so they say the same words.
 */
export const AKOOL_SUCCESS_CODE = 1000;

/** Codes the node reacts to itself. */
export const AKOOL_CODE = {
	parameterError: 1003,
	tooFrequent: 1005,
	invalidToken: 1101,
	noAuthorization: 1102,
	sessionNotFound: 1216,
	alreadyClosed: 1219,
	knowledgeBaseNotFound: 1232,
	serverError: 2001,
} as const;

export type AuthMethod = 'apiKey' | 'bearerToken' | 'clientCredentials';

export interface AkoolCodeInfo {
	/** What happened, as a headline a person understands. */
	headline: string;
	/** What to do about it; a function when the advice depends on the credential's auth method. */
	hint?: string | ((authMethod: AuthMethod | undefined) => string);
	/** Whether the request is tried again: Akool refused it as too frequent, or failed inside. */
	retry?: 'refused' | 'ambiguous';
}

/** Where each auth method's secret comes from, for advice after Akool rejected it. */
const CREDENTIAL_ADVICE: Record<AuthMethod, string> = {
	apiKey:
		'Check the API key in the Akool API credential (Akool dashboard → API Credentials → API Key) and its Base URL.',
	bearerToken:
		'The bearer token is wrong or has expired: get a new one from Akool and paste it into the Akool API credential, or switch the credential to API Key.',
	clientCredentials:
		'Check the client ID and client secret in the Akool API credential (Akool dashboard → API Credentials) and its Base URL.',
};
export const credentialAdvice = (authMethod: AuthMethod | undefined): string =>
	authMethod
		? CREDENTIAL_ADVICE[authMethod]
		: 'Check the API key (or token, or client ID and secret) and the Base URL of the Akool API credential.';

const CHECK_BILLING = 'Check the plan and credit balance of the Akool account, then try again.';

export const AKOOL_CODES: Record<number, AkoolCodeInfo> = {
	1003: {
		headline: 'Akool rejected a parameter as missing or invalid',
		hint: 'Check the node parameters of this item, in particular IDs mapped from earlier nodes.',
	},
	1004: { headline: 'Akool requires verification of this account' },
	1005: {
		headline: 'Akool is rate limiting this account (operation too frequent)',
		hint: 'The node already waited and retried. Lower Request Options → Concurrency, or run fewer items at a time.',
		retry: 'refused',
	},
	1006: { headline: 'The Akool account has too little quota left', hint: CHECK_BILLING },
	1008: { headline: 'The content does not exist in Akool' },
	1009: {
		headline: 'The credential has no permission for this resource',
		hint: 'Check that the Akool API credential belongs to the account that owns it.',
	},
	1010: { headline: 'Akool cannot operate on this content' },
	1011: { headline: 'Akool has already operated on this content' },
	1014: {
		headline: 'The resource does not exist',
		hint: 'Check the ID: it must exist in the Akool account the credential belongs to.',
	},
	1101: { headline: 'Akool rejected the credential', hint: credentialAdvice },
	1102: {
		headline: 'No API key or token reached Akool',
		hint: (method) => `The request carried no credential. ${credentialAdvice(method)}`,
	},
	1103: {
		headline: 'The Akool account is not paid or its payment is overdue',
		hint: CHECK_BILLING,
	},
	1104: {
		headline: 'The Akool account has too few credits',
		hint: 'Sessions pre-charge credits for their whole duration: top up, or ask for a shorter duration.',
	},
	1105: { headline: 'Akool failed to process the avatar' },
	1109: { headline: 'The Akool account does not exist', hint: credentialAdvice },
	1200: {
		headline: 'The Akool account has been banned',
		hint: 'Contact Akool support about this account.',
	},
	1209: {
		headline: 'Akool does not support the video encoding',
		hint: 'Re-encode the avatar video (H.264 MP4 works) and upload it again.',
	},
	1210: {
		headline: 'The video frame rate is above Akool’s limit',
		hint: 'Re-encode the avatar video at a lower frame rate and upload it again.',
	},
	1213: { headline: 'This needs an Akool subscription', hint: CHECK_BILLING },
	1214: {
		headline: 'The session is still starting',
		hint: 'Wait a moment and try again.',
	},
	1215: {
		headline: 'The avatar is busy',
		hint: 'Try again in a moment, or use another avatar.',
	},
	1216: {
		headline: 'The session does not exist',
		hint: 'Use the _id returned by Create Session (not a channel, avatar or user ID), with a credential of the same Akool account.',
	},
	1217: { headline: 'Akool’s live avatar callback failed' },
	1218: {
		headline: 'Akool failed to run the session',
		hint: 'Try again; if it keeps failing, try another avatar.',
	},
	1219: {
		headline: 'The session is already closed',
		hint: 'It was closed before (or its duration ran out), so nothing is being charged for it. To count this as success, turn on the option Succeed If Already Closed.',
	},
	1220: {
		headline: 'Akool could not upload the avatar video',
		hint: 'Check that the video URL is reachable by Akool and shows one person clearly.',
	},
	1221: { headline: 'The Akool account is not subscribed', hint: CHECK_BILLING },
	1222: {
		headline: 'The resource already exists',
		hint: 'Choose another ID or name: this one is taken.',
	},
	1223: {
		headline: 'The account has reached its number of uploaded avatars',
		hint: 'Delete an avatar in Akool, or upgrade the plan.',
	},
	1232: {
		headline: 'The knowledge base does not exist',
		hint: 'Check the knowledge base ID: it must be the _id of a knowledge base of this account.',
	},
	1233: {
		headline: 'A knowledge base with this name exists already',
		hint: 'Choose another name, or update the existing one.',
	},
	1234: { headline: 'Akool failed to create the knowledge base' },
	1235: { headline: 'Akool failed to update the knowledge base' },
	1236: { headline: 'Akool failed to read the knowledge base' },
	2001: { headline: 'Akool had an internal error', hint: 'Try again later.', retry: 'ambiguous' },
};

/** The headline and advice for a code, for the auth method in use; unknown codes get a generic pair. */
export function describeAkoolCode(
	code: number,
	authMethod?: AuthMethod,
): { headline: string; hint: string } {
	const known = AKOOL_CODES[code];
	const docs = `See https://docs.akool.com/ai-tools-suite/error-code for code ${code}.`;
	if (!known) return { headline: `Akool refused the request (code ${code})`, hint: docs };
	const hint = typeof known.hint === 'function' ? known.hint(authMethod) : known.hint;
	return { headline: known.headline, hint: hint ?? docs };
}
