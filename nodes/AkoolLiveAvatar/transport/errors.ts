import { NodeApiError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INode, JsonObject } from 'n8n-workflow';

import { describeAkoolCode, type AuthMethod } from './akoolCodes';

/** How much of a text from the network (a body, Akool's msg) an error quotes. */
const QUOTE_LENGTH = 200;

/** Which request failed, for the error's details: never the URL's host or query, never a header. */
export interface RequestLabel {
	method: string;
	path: string;
}

export interface AkoolErrorDetails {
	/** What went wrong, in one sentence. */
	message: string;
	/** What to do about it. */
	description: string;
	httpCode?: number;
	akoolCode?: number;
	/** Akool's own words (its `msg`), already redacted. */
	akoolMessage?: string;
	request?: RequestLabel;
}

/**
 * Builds the NodeApiError for a failed Akool call from plain strings only, never from the request or the
 * HTTP client's error: those carry the request headers, that is the API key or token. Akool's code and
 * message, the HTTP status and the endpoint go in the details below what to do.
 */
export function akoolApiError(node: INode, details: AkoolErrorDetails): NodeApiError {
	const { message, httpCode, akoolCode, akoolMessage, request } = details;
	const facts = [
		akoolCode !== undefined ? `Akool code ${akoolCode}` : undefined,
		akoolMessage ? `Akool said: ${akoolMessage}` : undefined,
		httpCode !== undefined ? `HTTP ${httpCode}` : undefined,
		request ? `${request.method} ${request.path}` : undefined,
	].filter(Boolean);
	const description = facts.length
		? `${details.description}\n\n${facts.join(' · ')}`
		: details.description;
	const response: JsonObject = { message, description };
	if (akoolCode !== undefined) response.akoolCode = akoolCode;
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: httpCode === undefined ? undefined : String(httpCode),
	});
	if (akoolCode !== undefined) error.context.akoolCode = akoolCode;
	return error;
}

/** The error for an envelope whose `code` is not 1000: our headline, Akool's words in the details. */
export function akoolCodeError(
	node: INode,
	envelope: { code: number; msg?: unknown },
	context: { authMethod?: AuthMethod; httpCode: number; request: RequestLabel; redact: Redact },
): NodeApiError {
	const { headline, hint } = describeAkoolCode(envelope.code, context.authMethod);
	const said = typeof envelope.msg === 'string' ? envelope.msg.trim() : '';
	return akoolApiError(node, {
		message: headline,
		description: hint,
		akoolCode: envelope.code,
		akoolMessage: said ? quote(said, context.redact) : undefined,
		httpCode: context.httpCode,
		request: context.request,
	});
}

export type Redact = (text: string) => string;

/** The credential fields whose values are secret. */
const SECRET_FIELDS = ['apiKey', 'accessToken', 'clientSecret', 'clientToken'];
/** A secret's fragment this long or longer is hidden too, so a cut or partly echoed key still does not show. */
const FRAGMENT_LENGTH = 8;

/**
 * A function that hides the credential's secrets in a text from the network: each secret, any fragment of
 * one, and whatever follows "Bearer" or an x-api-key. Applied before a text is cut, so that a secret that
 * crosses the cut is still hidden whole.
 */
export function secretsRedactor(
	credentials: ICredentialDataDecryptedObject,
	moreSecrets: readonly unknown[] = [],
): Redact {
	const secrets = [...SECRET_FIELDS.map((field) => credentials[field]), ...moreSecrets].filter(
		(value): value is string => typeof value === 'string' && value.length >= 4,
	);
	const fragments = new Set<string>();
	for (const secret of secrets) {
		if (secret.length <= FRAGMENT_LENGTH) fragments.add(secret);
		for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++) {
			fragments.add(secret.slice(i, i + FRAGMENT_LENGTH));
		}
	}
	return (text) => {
		let safe = text
			.replace(/(bearer\s+)[^\s"',;]+/gi, '$1***')
			.replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1***');
		for (const secret of secrets) safe = safe.split(secret).join('***');
		if ([...fragments].some((fragment) => safe.includes(fragment))) {
			// A fragment of a secret is left: hide every run of characters that contains one.
			safe = safe.replace(/[^\s"',;:()[\]{}<>]+/g, (word) =>
				[...fragments].some((fragment) => word.includes(fragment)) ? '***' : word,
			);
		}
		return safe;
	};
}

/** A text from the network, secrets hidden first, then flattened to one line and cut, in quotes. */
export function quote(text: string, redact: Redact): string {
	const flat = redact(text).replace(/\s+/g, ' ').trim();
	if (flat === '') return '(empty)';
	return flat.length > QUOTE_LENGTH ? `"${flat.slice(0, QUOTE_LENGTH)}…"` : `"${flat}"`;
}
