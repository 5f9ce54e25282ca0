import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { AKOOL_SUCCESS_CODE } from './akoolCodes';
import { AKOOL_CODE, type AkoolEndpoint } from './endpoints';
import { akoolApiError, akoolCodeError, quoteBody } from './errors';

export const AKOOL_CREDENTIAL_TYPE = 'akoolApi';
export const DEFAULT_BASE_URL = 'https://openapi.akool.com';
export const DEFAULT_TIMEOUT_MS = 30_000;

export type AkoolContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Akool's response envelope. getToken puts `token` at the top level, hence the index signature. */
export interface AkoolEnvelope {
	code: number;
	msg: string;
	data?: IDataObject | IDataObject[];
	[key: string]: unknown;
}

export interface AkoolRequest {
	endpoint: AkoolEndpoint;
	body?: IDataObject;
	qs?: IDataObject;
}

export interface AkoolRequestOptions {
	itemIndex?: number;
	/** Business codes the caller handles itself: returned instead of thrown (e.g. 1219 on close). */
	acceptCodes?: readonly number[];
	timeoutMs?: number;
}

/**
 * The one place that talks HTTP to Akool. Sends the request through n8n's
 * `httpRequestWithAuthentication` (the credential adds the auth header), reads Akool's `{code, msg, data}`
 * envelope and returns it when `code` is 1000; anything else becomes a NodeApiError that says what happened
 * and what to do. Never returns a body that is not an envelope.
 */
export async function akoolApiRequest(
	this: AkoolContext,
	request: AkoolRequest,
	options: AkoolRequestOptions = {},
): Promise<AkoolEnvelope> {
	const credentials = await this.getCredentials(AKOOL_CREDENTIAL_TYPE);
	const baseUrl = baseUrlOf(credentials);
	const httpOptions: IHttpRequestOptions = {
		method: request.endpoint.method,
		url: `${baseUrl}${request.endpoint.path}`,
		headers: { Accept: 'application/json' },
		body: request.body,
		qs: request.qs,
		json: true,
		// Read the body as text and the status as it is: Akool reports most errors as HTTP 200 with a code,
		// proxies answer with HTML pages, and both must become clear errors rather than parse failures.
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};

	let envelope = await send.call(this, httpOptions, credentials, options.itemIndex);
	if (envelope.code === AKOOL_CODE.invalidToken && credentials.authMethod === 'clientCredentials') {
		// Akool says "invalid token" with HTTP 200, so n8n never refreshes the cached token by itself (it does
		// on HTTP 401 only). Hand n8n the credential with the cached token blanked: its pre-authentication then
		// exchanges the client ID and secret for a new token, stores it, and the request is sent once more.
		envelope = await send.call(this, httpOptions, { ...credentials, clientToken: '' }, options.itemIndex, true);
	}
	if (envelope.code !== AKOOL_SUCCESS_CODE && !options.acceptCodes?.includes(envelope.code)) {
		throw akoolCodeError(this.getNode(), envelope, options.itemIndex);
	}
	return envelope;
}

export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const raw = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl : DEFAULT_BASE_URL;
	return raw.trim().replace(/\/+$/, '');
}

async function send(
	this: AkoolContext,
	httpOptions: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
	itemIndex: number | undefined,
	renewToken = false,
): Promise<AkoolEnvelope> {
	const node = this.getNode();
	let response: IN8nHttpFullResponse;
	try {
		const credentialRef = node.credentials?.[AKOOL_CREDENTIAL_TYPE];
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			AKOOL_CREDENTIAL_TYPE,
			{ ...httpOptions },
			renewToken && credentialRef?.id
				? {
						credentialsDecrypted: {
							id: credentialRef.id,
							name: credentialRef.name,
							type: AKOOL_CREDENTIAL_TYPE,
							data: credentials,
						},
					}
				: undefined,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw akoolApiError(node, {
			...describeTransportFailure(error, httpOptions),
			itemIndex,
		});
	}
	return readEnvelope(this, response, itemIndex, credentials);
}

/** Turns an HTTP response into Akool's envelope, or throws an error that quotes what came back instead. */
function readEnvelope(
	context: AkoolContext,
	response: IN8nHttpFullResponse,
	itemIndex: number | undefined,
	credentials: ICredentialDataDecryptedObject,
): AkoolEnvelope {
	const status = response.statusCode;
	const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
	let parsed: unknown;
	try {
		parsed = text.trim() === '' ? undefined : JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	const isEnvelope =
		typeof parsed === 'object' && parsed !== null && typeof (parsed as AkoolEnvelope).code === 'number';

	if (isEnvelope && (status < 300 || (parsed as AkoolEnvelope).code !== AKOOL_SUCCESS_CODE)) {
		return parsed as AkoolEnvelope;
	}
	const quoted = redactSecrets(quoteBody(text), credentials);
	if (status >= 300) {
		throw akoolApiError(context.getNode(), {
			message: `Akool answered HTTP ${status}${status === 429 ? ' (too many requests)' : ''}: ${quoted}`,
			description:
				status === 429 || status >= 500
					? 'Akool or a proxy in front of it failed to answer. This is usually temporary: try again later, or enable Retry On Fail in the node settings.'
					: 'Check the base URL in the Akool API credential: it should be https://openapi.akool.com or a proxy that forwards to it.',
			httpCode: status,
			itemIndex,
		});
	}
	throw akoolApiError(context.getNode(), {
		message:
			parsed === undefined
				? `Akool's answer is not JSON (HTTP ${status}): ${quoted}`
				: `Akool's answer has no "code" field (HTTP ${status}): ${quoted}`,
		description:
			'Expected Akool\'s {code, msg, data} envelope. Check the base URL in the Akool API credential; if it is right, Akool may be having problems: try again later.',
		httpCode: status,
		itemIndex,
	});
}

const NETWORK_EXPLANATIONS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	ECONNRESET: 'the connection was closed before Akool answered',
	EPIPE: 'the connection was closed while sending the request',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ERR_CANCELED: 'the execution was cancelled',
};

/**
 * The network error code (ECONNREFUSED, ...) of a failed request. n8n-core wraps the HTTP client's error in a
 * NodeApiError; depending on the realm the original is its `cause` or its `errorResponse`, and the code is
 * also copied to `httpCode`.
 */
function errorCode(error: unknown): string | undefined {
	const wrapped = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown }; errorResponse?: { code?: unknown } };
	const candidates = [wrapped?.code, wrapped?.cause?.code, wrapped?.errorResponse?.code, wrapped?.httpCode];
	return candidates.find((code): code is string => typeof code === 'string' && /^E[A-Z_]+$/.test(code));
}

function describeTransportFailure(error: unknown, httpOptions: IHttpRequestOptions) {
	const code = errorCode(error);
	const origin = new URL(httpOptions.url).origin;
	const explanation = code ? NETWORK_EXPLANATIONS[code] : undefined;
	if (!explanation) {
		// Not a network failure: n8n's own error, or the credential's token exchange saying what is wrong.
		const message = (error as { message?: string })?.message ?? 'unknown error';
		return {
			message: `The request to Akool failed: ${message}`,
			description:
				(error as { description?: string })?.description ??
				'Check the Akool API credential (Test connection) and the base URL.',
		};
	}
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
	// The network code goes in the description: NodeApiError replaces a message that contains one.
	return {
		message: `Could not reach Akool at ${origin}: ${explanation}`,
		description: timedOut
			? `No answer within ${httpOptions.timeout} ms (${code}). Akool may be slow or unreachable: try again later, or raise the timeout.`
			: `Network error ${code}. Check the base URL in the Akool API credential and that this n8n instance can reach it. If it is a temporary network problem, enable Retry On Fail in the node settings.`,
	};
}

/** Removes the credential's secret values from text that came from the network. */
function redactSecrets(text: string, credentials: ICredentialDataDecryptedObject): string {
	let safe = text;
	for (const key of ['apiKey', 'accessToken', 'clientSecret', 'clientToken']) {
		const secret = credentials[key];
		if (typeof secret === 'string' && secret.length >= 4) safe = safe.split(secret).join('***');
	}
	return safe;
}
