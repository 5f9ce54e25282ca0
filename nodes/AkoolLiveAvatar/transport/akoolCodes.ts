/**
 * Akool's business codes (https://docs.akool.com/ai-tools-suite/error-code and the product pages), with what
 * a person should do about the common ones. Akool answers most failures with HTTP 200 and one of these codes
 * in the body, so this table, not the HTTP status, decides what an error says.
 */
export interface AkoolCodeInfo {
	meaning: string;
	hint?: string;
}

export const AKOOL_SUCCESS_CODE = 1000;

/** Codes that mean the credential itself is wrong; the credential test fails on each of them. */
export const AKOOL_CREDENTIAL_CODES = [1101, 1102, 1109, 1200] as const;

const CHECK_CREDENTIAL =
	'Check the API key (Akool dashboard → API Credentials), or the client ID and secret, and the base URL of the Akool API credential.';
const CHECK_BILLING =
	'Check the plan and credit balance of the Akool account, then run the workflow again.';

export const AKOOL_ERROR_HINTS: Record<number, AkoolCodeInfo> = {
	1003: {
		meaning: 'Parameter error',
		hint: 'A value sent to Akool is missing or invalid. Check the node parameters of this item, in particular IDs mapped from earlier nodes.',
	},
	1004: { meaning: 'Requires verification' },
	1005: {
		meaning: 'Operation is too frequent',
		hint: 'Akool is rate limiting this account. Process fewer items at a time, or retry later (Settings → Retry On Fail).',
	},
	1006: { meaning: 'Insufficient quota balance', hint: CHECK_BILLING },
	1008: { meaning: 'Content does not exist' },
	1009: {
		meaning: 'Permission denied',
		hint: 'The credential has no permission for this resource. Check that it belongs to the account that owns it.',
	},
	1010: { meaning: 'This content cannot be operated' },
	1011: { meaning: 'This content has been operated' },
	1014: {
		meaning: 'Resource does not exist',
		hint: 'Check the ID: it must exist in the Akool account the credential belongs to.',
	},
	1101: {
		meaning: 'Invalid authorization, or the token has expired',
		hint: `Akool rejected the credential. ${CHECK_CREDENTIAL}`,
	},
	1102: {
		meaning: 'Authorization cannot be empty',
		hint: `No API key or token reached Akool. ${CHECK_CREDENTIAL}`,
	},
	1103: { meaning: 'Not paid or payment is overdue', hint: CHECK_BILLING },
	1104: {
		meaning: 'Insufficient credit balance',
		hint: 'The account has too few credits. Sessions pre-charge credits for their whole duration: top up, or ask for a shorter duration.',
	},
	1105: { meaning: 'Avatar processing error' },
	1109: { meaning: 'Account does not exist', hint: CHECK_CREDENTIAL },
	1200: {
		meaning: 'The account has been banned',
		hint: 'Contact Akool support about this account.',
	},
	1209: {
		meaning: 'The video encoding format is not supported',
		hint: 'Re-encode the avatar video (H.264 MP4 works) and upload it again.',
	},
	1210: {
		meaning: 'Video fps exceeds the limit',
		hint: 'Re-encode the avatar video at a lower frame rate and upload it again.',
	},
	1213: { meaning: 'Requires a subscription to use', hint: CHECK_BILLING },
	1214: {
		meaning: 'Live avatar is processing',
		hint: 'The session is still starting. Wait a moment and try again.',
	},
	1215: {
		meaning: 'Live avatar processing is busy',
		hint: 'This avatar is busy. Try again in a moment, or use another avatar.',
	},
	1216: {
		meaning: 'Live avatar session does not exist',
		hint: 'No session with this ID exists in the account. Use the `_id` returned by Create Session (not a channel, avatar or user ID), with a credential of the same Akool account.',
	},
	1217: { meaning: 'Live avatar callback error' },
	1218: {
		meaning: 'Live avatar processing error',
		hint: 'Akool failed to run the session. Try again; if it keeps failing, try another avatar.',
	},
	1219: {
		meaning: 'Live avatar session is already closed',
		hint: 'The session was closed before (or has ended). Nothing is being charged for it. To treat this as success, enable the option "Succeed If Already Closed".',
	},
	1220: {
		meaning: 'Live avatar upload error',
		hint: 'Check that the video URL is reachable by Akool and shows one person clearly.',
	},
	1221: { meaning: 'Account not subscribed', hint: CHECK_BILLING },
	1222: {
		meaning: 'Resource already exists',
		hint: 'Choose another ID or name: this one is taken.',
	},
	1223: {
		meaning: 'Live avatar upload limit exceeded',
		hint: 'The account has reached its number of uploaded avatars. Delete one in Akool, or upgrade the plan.',
	},
	1232: {
		meaning: 'Knowledge base not found',
		hint: 'Check the knowledge base ID: it must be the `_id` of a knowledge base of this account.',
	},
	1233: {
		meaning: 'Knowledge base already exists',
		hint: 'A knowledge base with this name exists already. Choose another name, or update the existing one.',
	},
	1234: { meaning: 'Knowledge base creation error' },
	1235: { meaning: 'Knowledge base update error' },
	1236: { meaning: 'Knowledge base detail error' },
	2001: { meaning: 'Server error', hint: 'Akool had an internal error. Try again later.' },
};
