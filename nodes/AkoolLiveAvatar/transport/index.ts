import { NodeApiError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { AKOOL_SUCCESS_CODE } from './akoolCodes';
import { AKOOL_CODE, AKOOL_ENDPOINTS, baseUrlOf, type AkoolEndpoint } from './endpoints';
import { akoolApiError, akoolCodeError, messageWithoutItem, quoteBody } from './errors';
import {
	httpFailureKind,
	isRetried,
	networkFailureKind,
	parseRetryAfter,
	RETRIED_CODES,
	retryDelayMs,
	retrySettingsFrom,
	type FailureKind,
	type RetrySettings,
} from './retryPolicy';
import { pause } from './pause';
import { throttleOf } from './throttle';

export const AKOOL_CREDENTIAL_TYPE = 'akoolApi';

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
	/**
	 * Codes that mean success when an earlier attempt went unanswered: it may have done the work, as when a
	 * retried Close hears "already closed" (1219) because the first, lost, attempt closed the session.
	 */
	acceptCodesAfterUnclearAttempt?: readonly number[];
}

/** One attempt's outcome: Akool's envelope, or a failure with its kind (see retryPolicy.ts). */
type Failure = { failure: FailureKind; error: NodeApiError; retryAfterMs?: number };
type Attempt = { envelope: AkoolEnvelope } | Failure;

/**
 * The one place that talks HTTP to Akool. Sends the request through n8n's `httpRequestWithAuthentication`
 * (the credential adds the auth header), retries it as retryPolicy.ts allows, and returns Akool's
 * `{code, msg, data}` envelope when `code` is 1000 (or one of `acceptCodes`). Everything else becomes a
 * NodeApiError that says what happened and what to do; a body that is not an envelope is never returned.
 */
export async function akoolApiRequest(
	this: AkoolContext,
	request: AkoolRequest,
	options: AkoolRequestOptions = {},
): Promise<AkoolEnvelope> {
	const { endpoint } = request;
	const itemIndex = options.itemIndex;
	const credentials = await credentialsOf(this);
	const settings = requestSettings(this, itemIndex);
	const throttle = throttleOf(this);
	const signal = cancelSignalOf(this);
	const httpOptions: IHttpRequestOptions = {
		method: endpoint.method,
		url: `${baseUrlOf(credentials)}${endpoint.path}`,
		headers: { Accept: 'application/json' },
		body: request.body,
		qs: request.qs,
		json: true,
		// Read the body as text and the status as it is: Akool reports most errors as HTTP 200 with a code,
		// proxies answer with HTML pages, and both must become clear errors rather than parse failures.
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: settings.timeoutMs,
	};

	const started = Date.now();
	let renewedToken = false;
	let unclearAttempt = false;
	for (let attempt = 1; ; attempt++) {
		await throttle.waitTurn(signal);
		const outcome = await attemptOnce(this, httpOptions, itemIndex);
		if ('envelope' in outcome) {
			const { envelope } = outcome;
			const accepted =
				envelope.code === AKOOL_SUCCESS_CODE ||
				options.acceptCodes?.includes(envelope.code) ||
				(unclearAttempt && options.acceptCodesAfterUnclearAttempt?.includes(envelope.code));
			if (accepted) {
				throttle.onSuccess();
				return envelope;
			}
			if (
				envelope.code === AKOOL_CODE.invalidToken &&
				credentials.authMethod === 'clientCredentials' &&
				!renewedToken
			) {
				renewedToken = true;
				attempt--;
				await renewToken(this, credentials);
				continue;
			}
		}
		const failure: Failure =
			'envelope' in outcome
				? {
						failure: RETRIED_CODES[outcome.envelope.code] ?? 'final',
						error: akoolCodeError(this.getNode(), outcome.envelope, itemIndex),
					}
				: outcome;
		unclearAttempt ||= failure.failure === 'ambiguous';
		if (failure.failure === 'refused') throttle.onRefused(failure.retryAfterMs);
		await waitOrThrow(this, failure, endpoint, settings, attempt, started, itemIndex);
	}
}

const credentialsCache = new WeakMap<object, Promise<ICredentialDataDecryptedObject>>();
const tokenRenewals = new WeakMap<object, Promise<void>>();

/** The credential, read once per node execution (decrypting it for every request costs CPU). */
async function credentialsOf(context: AkoolContext): Promise<ICredentialDataDecryptedObject> {
	let credentials = credentialsCache.get(context);
	if (!credentials) {
		credentials = context.getCredentials(AKOOL_CREDENTIAL_TYPE);
		credentialsCache.set(context, credentials);
	}
	return await credentials;
}

/**
 * Gets a new token after Akool rejected the stored one with code 1101. Akool says so with HTTP 200, so n8n
 * never refreshes the token by itself (it does on HTTP 401 only). Hand n8n the credential with the token
 * blanked: its pre-authentication exchanges the client ID and secret for a new token and stores it, and the
 * next request reads it. Items that hit 1101 together share one renewal instead of each asking for a token.
 */
async function renewToken(
	context: AkoolContext,
	credentials: ICredentialDataDecryptedObject,
): Promise<void> {
	let renewal = tokenRenewals.get(context);
	if (!renewal) {
		const ref = context.getNode().credentials?.[AKOOL_CREDENTIAL_TYPE];
		renewal = context.helpers.httpRequestWithAuthentication
			.call(
				context,
				AKOOL_CREDENTIAL_TYPE,
				// Any cheap authenticated read: what matters is the pre-authentication before it.
				{
					method: 'GET',
					url: `${baseUrlOf(credentials)}${AKOOL_ENDPOINTS.getCreditBalance.path}`,
					json: true,
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
		tokenRenewals.set(context, renewal);
		void renewal.then(() => tokenRenewals.delete(context));
	}
	await renewal;
}

const cancelSignalOf = (context: AkoolContext) =>
	'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;

/** Waits before the next attempt, or throws when this failure is not retried or the budget is spent. */
async function waitOrThrow(
	context: AkoolContext,
	failure: Failure,
	endpoint: AkoolEndpoint,
	settings: RetrySettings,
	attempt: number,
	started: number,
	itemIndex: number | undefined,
): Promise<void> {
	if (!isRetried(failure.failure, endpoint.idempotent)) {
		if (failure.failure === 'ambiguous' && endpoint.ifUnanswered) {
			throw unansweredError(context, failure.error, endpoint, itemIndex);
		}
		throw failure.error;
	}
	const delay = retryDelayMs(settings, attempt, failure.retryAfterMs);
	const elapsed = Date.now() - started;
	if (attempt >= settings.maxAttempts || elapsed + delay > settings.maxRetryTimeMs) {
		if (attempt > 1) {
			failure.error.description =
				`${failure.error.description ?? ''} (Tried ${attempt} times over ${Math.round(elapsed / 1000)} s.)`.trim();
		}
		throw failure.error;
	}
	await pause(delay, cancelSignalOf(context));
}

/** For a request that costs something and may have been processed: say so, and how to check. */
function unansweredError(
	context: AkoolContext,
	cause: NodeApiError,
	endpoint: AkoolEndpoint,
	itemIndex: number | undefined,
): NodeApiError {
	const { mayHave, check } = endpoint.ifUnanswered!;
	const what = messageWithoutItem(cause);
	return akoolApiError(context.getNode(), {
		message: `No clear answer from Akool, which may have ${mayHave}`,
		description: `${what}. The request was not sent again, so that nothing is created or charged twice. ${check}`,
		httpCode: cause.httpCode ? Number(cause.httpCode) || undefined : undefined,
		itemIndex,
	});
}

/** "Request Options" of the item; list searches in the editor run with the defaults. */
function requestSettings(context: AkoolContext, itemIndex: number | undefined): RetrySettings {
	if (itemIndex === undefined) return retrySettingsFrom(undefined);
	const options = (context as IExecuteFunctions).getNodeParameter(
		'requestOptions',
		itemIndex,
		{},
	) as IDataObject;
	return retrySettingsFrom(options);
}

async function attemptOnce(
	context: AkoolContext,
	httpOptions: IHttpRequestOptions,
	itemIndex: number | undefined,
): Promise<Attempt> {
	const node = context.getNode();
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			AKOOL_CREDENTIAL_TYPE,
			{
				...httpOptions,
			},
		)) as IN8nHttpFullResponse;
	} catch (error) {
		const code = errorCode(error);
		return {
			failure: code ? networkFailureKind(code) : 'final',
			error: akoolApiError(node, {
				...describeTransportFailure(error, code, httpOptions),
				itemIndex,
			}),
		};
	}
	return readEnvelope(context, response, itemIndex, await credentialsOf(context));
}

/** Turns an HTTP response into Akool's envelope, or a failure that quotes what came back instead. */
function readEnvelope(
	context: AkoolContext,
	response: IN8nHttpFullResponse,
	itemIndex: number | undefined,
	credentials: ICredentialDataDecryptedObject,
): Attempt {
	const status = response.statusCode;
	const text =
		typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
	let parsed: unknown;
	try {
		parsed = text.trim() === '' ? undefined : JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	const isEnvelope =
		typeof parsed === 'object' &&
		parsed !== null &&
		typeof (parsed as AkoolEnvelope).code === 'number';

	if (isEnvelope && (status < 300 || (parsed as AkoolEnvelope).code !== AKOOL_SUCCESS_CODE)) {
		return { envelope: parsed as AkoolEnvelope };
	}
	const quoted = redactSecrets(quoteBody(text), credentials);
	const node = context.getNode();
	if (status >= 300) {
		return {
			failure: httpFailureKind(status),
			retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
			error: akoolApiError(node, {
				message: `Akool answered HTTP ${status}${status === 429 ? ' (too many requests)' : ''}: ${quoted}`,
				description:
					status === 429 || status >= 500
						? 'Akool or a proxy in front of it failed to answer. This is usually temporary: try again later.'
						: 'Check the base URL in the Akool API credential: it should be https://openapi.akool.com or a proxy that forwards to it.',
				httpCode: status,
				itemIndex,
			}),
		};
	}
	return {
		// A 2xx answer that is cut off or empty may come after Akool did the work.
		failure: 'ambiguous',
		error: akoolApiError(node, {
			message:
				parsed === undefined
					? `Akool's answer is not JSON (HTTP ${status}): ${quoted}`
					: `Akool's answer has no "code" field (HTTP ${status}): ${quoted}`,
			description:
				"Expected Akool's {code, msg, data} envelope. Check the base URL in the Akool API credential; if it is right, Akool may be having problems: try again later.",
			httpCode: status,
			itemIndex,
		}),
	};
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
	const wrapped = error as {
		code?: unknown;
		httpCode?: unknown;
		cause?: { code?: unknown };
		errorResponse?: { code?: unknown };
	};
	const candidates = [
		wrapped?.code,
		wrapped?.cause?.code,
		wrapped?.errorResponse?.code,
		wrapped?.httpCode,
	];
	return candidates.find(
		(code): code is string => typeof code === 'string' && /^E[A-Z_]+$/.test(code),
	);
}

function describeTransportFailure(
	error: unknown,
	code: string | undefined,
	httpOptions: IHttpRequestOptions,
) {
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
			? `No answer within ${httpOptions.timeout} ms (${code}). Akool may be slow or unreachable: try again later, or raise the timeout in Request Options.`
			: `Network error ${code}. Check the base URL in the Akool API credential and that this n8n instance can reach it.`,
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
