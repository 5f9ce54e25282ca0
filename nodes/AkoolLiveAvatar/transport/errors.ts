import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { AKOOL_ERROR_HINTS } from './akoolCodes';

/** How much of an unexpected response body an error quotes. */
const BODY_QUOTE_LENGTH = 200;

export interface AkoolErrorDetails {
	/** What went wrong, in one sentence. */
	message: string;
	/** What to do about it. */
	description: string;
	httpCode?: number;
	akoolCode?: number;
	itemIndex?: number;
}

/**
 * Builds the NodeApiError for a failed Akool call from plain strings only, never from the request or the
 * HTTP client's error: those carry the request headers, that is the API key or token.
 */
export function akoolApiError(node: INode, details: AkoolErrorDetails): NodeApiError {
	const { message, description, httpCode, akoolCode, itemIndex } = details;
	const where = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	const response: JsonObject = { message, description };
	if (akoolCode !== undefined) response.akoolCode = akoolCode;
	const error = new NodeApiError(node, response, {
		message: `${message}${where}`,
		description,
		httpCode: httpCode === undefined ? undefined : String(httpCode),
		itemIndex,
	});
	if (akoolCode !== undefined) error.context.akoolCode = akoolCode;
	return error;
}

/** The error for an envelope whose `code` is not 1000. */
export function akoolCodeError(
	node: INode,
	envelope: { code: number; msg?: unknown },
	itemIndex: number | undefined,
): NodeApiError {
	const known = AKOOL_ERROR_HINTS[envelope.code];
	const said =
		typeof envelope.msg === 'string' && envelope.msg.trim() !== ''
			? envelope.msg.trim()
			: known?.meaning;
	return akoolApiError(node, {
		message: `Akool returned code ${envelope.code}: ${said ?? 'unknown error'}`,
		description:
			known?.hint ??
			`See https://docs.akool.com/ai-tools-suite/error-code for code ${envelope.code}${known ? ` (${known.meaning})` : ''}.`,
		akoolCode: envelope.code,
		itemIndex,
	});
}

/** The first part of a response body, on one line, for error messages. */
export function quoteBody(body: string): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	if (flat === '') return '(empty body)';
	return flat.length > BODY_QUOTE_LENGTH ? `"${flat.slice(0, BODY_QUOTE_LENGTH)}…"` : `"${flat}"`;
}

/** An error's message without the " [item N]" it ends with, to quote it inside another item's message. */
export const messageWithoutItem = (error: unknown): string =>
	String((error as Error)?.message ?? error).replace(/ \[item \d+\]$/, '');
