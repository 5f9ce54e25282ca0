import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	NodeApiError,
} from 'n8n-workflow';

import { AKOOL_CODE, AKOOL_SUCCESS_CODE, type AuthMethod } from './akoolCodes';
import { BaseUrlError, checkBaseUrl } from './baseUrl';
import { AKOOL_CREDENTIAL_TYPE, type AkoolEndpoint } from './endpoints';
import {
	akoolApiError,
	akoolCodeError,
	quote,
	secretsRedactor,
	type Redact,
	type RequestLabel,
} from './errors';
import { pause, untilAborted } from './pause';
import {
	codeFailureKind,
	httpFailureKind,
	isRetried,
	networkFailureKind,
	parseRetryAfter,
	retryDelayMs,
	retrySettingsFrom,
	type FailureKind,
	type RetrySettings,
} from './retryPolicy';
import { REFUSED_PAUSE_MS, throttleOf } from './throttle';
import { renewToken } from './tokenRenewal';

export type AkoolContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Akool's response envelope. getToken puts `token` at the top level, hence the index signature. */
export interface AkoolEnvelope {
	code: number;
	msg: string;
	data?: unknown;
	[key: string]: unknown;
}

export interface AkoolRequest {
	endpoint: AkoolEndpoint;
	body?: IDataObject;
	qs?: IDataObject;
}

export interface AkoolRequestOptions {
	/** The item whose Request Options apply; list searches in the editor run with the defaults. */
	itemIndex?: number;
	/** Business codes the caller handles itself: returned instead of thrown (e.g. 1219 on close). */
	acceptCodes?: readonly number[];
	/**
	 * Codes that mean success when an earlier attempt went unanswered: it may have done the work, as when a
	 * retried Close hears "already closed" (1219) because the first, lost, attempt closed the session.
	 */
	acceptCodesAfterUnclearAttempt?: readonly number[];
	/** Secrets in the request besides the credential's (an ElevenLabs key, a room token): never quoted back. */
	secrets?: readonly unknown[];
}

/** One attempt's outcome: Akool's envelope, or a failure with its kind (see retryPolicy.ts). */
type Failure = { failure: FailureKind; error: NodeApiError; retryAfterMs?: number };
type Attempt = { envelope: AkoolEnvelope; httpCode: number } | Failure;

/** What every request of one node execution shares: the credential, read once, and what follows from it. */
interface Session {
	credentials: ICredentialDataDecryptedObject;
	baseUrl: string;
	redact: Redact;
	authMethod?: AuthMethod;
}

const sessions = new WeakMap<object, Promise<Session>>();
const settingsByItem = new WeakMap<object, RetrySettings[]>();

/** The router's checked Request Options of every item, so that requests never read them unchecked. */
export function useRequestSettings(context: object, settings: RetrySettings[]): void {
	settingsByItem.set(context, settings);
}

/**
 * The one place that talks HTTP to Akool. Sends the request through n8n's `httpRequestWithAuthentication`
 * (the credential adds the auth header), never follows a redirect (it would carry the credential to another
 * host), bounds each attempt by the Timeout and the whole request by Max Retry Time, retries it as
 * retryPolicy.ts allows, and returns Akool's `{code, msg, data}` envelope when `code` is 1000 (or one of
 * `acceptCodes`). Everything else becomes a NodeApiError that says what happened and what to do.
 */
export async function akoolApiRequest(
	this: AkoolContext,
	request: AkoolRequest,
	options: AkoolRequestOptions = {},
): Promise<AkoolEnvelope> {
	const { endpoint } = request;
	const shared = await sessionOf(this);
	const session = options.secrets?.length
		? { ...shared, redact: secretsRedactor(shared.credentials, options.secrets) }
		: shared;
	const settings =
		(options.itemIndex !== undefined && settingsByItem.get(this)?.[options.itemIndex]) ||
		retrySettingsFrom(undefined);
	const throttle = throttleOf(this);
	const cancel = cancelSignalOf(this);
	const label: RequestLabel = { method: endpoint.method, path: endpoint.path };
	const httpOptions: IHttpRequestOptions = {
		method: endpoint.method,
		url: `${session.baseUrl}${endpoint.path}`,
		headers: { Accept: 'application/json' },
		body: request.body,
		qs: request.qs,
		json: true,
		// Read the body as text and the status as it is: Akool reports most errors as HTTP 200 with a code,
		// proxies answer with HTML pages, and both must become clear errors rather than parse failures.
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: settings.timeoutMs,
	};

	const started = Date.now();
	const budgetLeft = () => settings.maxRetryTimeMs - (Date.now() - started);
	let renewedToken = false;
	let unclearAttempt = false;
	for (let attempt = 1; ; attempt++) {
		await throttle.waitTurn(cancel, budgetLeft());
		const outcome = await attemptOnce(this, httpOptions, settings.timeoutMs, session, label);
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
				session.authMethod === 'clientCredentials' &&
				!renewedToken
			) {
				renewedToken = true;
				attempt--;
				await renewToken(this, session.credentials, session.baseUrl, cancel);
				continue;
			}
		}
		const failure: Failure =
			'envelope' in outcome
				? {
						failure: codeFailureKind(outcome.envelope.code),
						error: akoolCodeError(this.getNode(), outcome.envelope, {
							authMethod: session.authMethod,
							httpCode: outcome.httpCode,
							request: label,
							redact: session.redact,
						}),
					}
				: outcome;
		unclearAttempt ||= failure.failure === 'ambiguous';
		// A Retry-After longer than the budget fails this request at once (waitOrThrow), and holds no one else up.
		const pauseMs = failure.retryAfterMs ?? REFUSED_PAUSE_MS;
		if (failure.failure === 'refused' && pauseMs <= budgetLeft()) throttle.onRefused(pauseMs);
		await waitOrThrow(this, failure, endpoint, settings, attempt, budgetLeft(), cancel);
	}
}

/** The credential of this execution, read and checked once (decrypting it for every request costs CPU). */
async function sessionOf(context: AkoolContext): Promise<Session> {
	let session = sessions.get(context);
	if (!session) {
		session = context.getCredentials(AKOOL_CREDENTIAL_TYPE).then((credentials) => {
			const redact = secretsRedactor(credentials);
			const baseUrl = checkBaseUrl(credentials);
			if (baseUrl instanceof BaseUrlError) {
				throw akoolApiError(context.getNode(), {
					message: baseUrl.message,
					description: `${baseUrl.description} No request was sent.`,
				});
			}
			const authMethod = (credentials.authMethod as AuthMethod | undefined) ?? 'apiKey';
			return { credentials, baseUrl, redact, authMethod };
		});
		sessions.set(context, session);
	}
	return await session;
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
	budgetLeftMs: number,
	cancel: AbortSignal | undefined,
): Promise<void> {
	if (!isRetried(failure.failure, endpoint.idempotent)) {
		if (failure.failure === 'ambiguous' && endpoint.ifUnanswered) {
			throw unansweredError(context, failure.error, endpoint);
		}
		throw failure.error;
	}
	if (failure.retryAfterMs !== undefined && failure.retryAfterMs > budgetLeftMs) {
		// Waiting as long as Akool asks would overrun Max Retry Time: say so now instead of stalling.
		failure.error.description =
			`Akool asked to wait ${seconds(failure.retryAfterMs)} before trying again (Retry-After), longer than the ${seconds(Math.max(0, budgetLeftMs))} left of Request Options → Max Retry Time. Try again later, or raise Max Retry Time.\n\n${failure.error.description ?? ''}`.trim();
		throw failure.error;
	}
	const delay = retryDelayMs(settings, attempt, failure.retryAfterMs);
	if (attempt >= settings.maxAttempts || delay > budgetLeftMs) {
		if (attempt > 1) {
			failure.error.description =
				`${failure.error.description ?? ''}\n\nTried ${attempt} times.`.trim();
		}
		throw failure.error;
	}
	await pause(delay, cancel);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** For a request that costs something and may have been processed: say so, and how to check. */
function unansweredError(
	context: AkoolContext,
	cause: NodeApiError,
	endpoint: AkoolEndpoint,
): NodeApiError {
	const { mayHave, check } = endpoint.ifUnanswered!;
	return akoolApiError(context.getNode(), {
		message: `No clear answer from Akool, which may have ${mayHave}`,
		description: `${cause.message}. The request was not sent again, so that nothing is created or charged twice. ${check}`,
		httpCode: cause.httpCode ? Number(cause.httpCode) || undefined : undefined,
		request: { method: endpoint.method, path: endpoint.path },
	});
}

/**
 * One attempt, bounded by `timeoutMs` from start to the last byte of the body (n8n's own `timeout` is an idle
 * timeout: a body dripping a byte at a time never trips it) and ended by the execution's cancellation.
 */
async function attemptOnce(
	context: AkoolContext,
	httpOptions: IHttpRequestOptions,
	timeoutMs: number,
	session: Session,
	label: RequestLabel,
): Promise<Attempt> {
	const cancel = cancelSignalOf(context);
	const deadline = AbortSignal.timeout(timeoutMs);
	const signal = cancel ? AbortSignal.any([cancel, deadline]) : deadline;
	// n8n hands each request the execution's cancel signal, read from `this`: hand it ours instead.
	const scoped = Object.create(context, { getExecutionCancelSignal: { value: () => signal } });
	let response: IN8nHttpFullResponse;
	try {
		response = (await untilAborted(
			context.helpers.httpRequestWithAuthentication.call(scoped, AKOOL_CREDENTIAL_TYPE, {
				...httpOptions,
				abortSignal: signal,
			}),
			signal,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		return transportFailure(context, error, { cancel, deadline, timeoutMs, session, label });
	}
	return readEnvelope(context, response, session, label);
}

/** A request that got no HTTP answer: why, and whether it may have reached Akool. */
function transportFailure(
	context: AkoolContext,
	error: unknown,
	at: {
		cancel?: AbortSignal;
		deadline: AbortSignal;
		timeoutMs: number;
		session: Session;
		label: RequestLabel;
	},
): Failure {
	const node = context.getNode();
	const origin = new URL(at.session.baseUrl).origin;
	const cancelled = at.cancel?.aborted === true;
	const code = cancelled ? 'ERR_CANCELED' : at.deadline.aborted ? 'ETIMEDOUT' : errorCode(error);
	const own = ownErrorOf(error);
	if (own) {
		// The credential refused (its Base URL check) or failed its token exchange: nothing reached the endpoint.
		return {
			failure: own.kind,
			error: akoolApiError(node, {
				message: own.message,
				description: own.description,
				request: at.label,
			}),
		};
	}
	const explanation = (code && NETWORK_EXPLANATIONS[code]) ?? 'the answer could not be read';
	const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED';
	return {
		failure: networkFailureKind(code, cancelled),
		error: akoolApiError(node, {
			message: cancelled
				? 'The execution was cancelled'
				: `Could not reach Akool at ${origin}: ${explanation}`,
			description: cancelled
				? 'The request to Akool was stopped.'
				: timedOut
					? `No complete answer within ${at.timeoutMs} ms. Akool may be slow or unreachable: try again later, or raise Request Options → Timeout.`
					: `Network error ${code ?? '(no code)'}. Check the Base URL in the Akool API credential and that this n8n instance can reach it.`,
			request: at.label,
		}),
	};
}

const NETWORK_EXPLANATIONS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	ENETUNREACH: 'the network is unreachable',
	EHOSTUNREACH: 'the host is unreachable',
	ECONNRESET: 'the connection was closed before Akool answered',
	EPIPE: 'the connection was closed while sending the request',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	Z_DATA_ERROR: 'the compressed answer was corrupt',
	ERR_CANCELED: 'the request was cancelled',
};

/**
 * The error code (ECONNREFUSED, Z_DATA_ERROR, HPE_INVALID_CONSTANT...) of a failed request. n8n-core wraps
 * the HTTP client's error in a NodeApiError; depending on the realm the original is its `cause` or its
 * `errorResponse`, and the code is also copied to `httpCode`.
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
		(code): code is string => typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code),
	);
}

/**
 * How the credential marks its own errors (a refused Base URL, a failed token exchange), in the `httpCode`
 * that n8n keeps when it wraps them: whether the request may have reached Akool.
 */
export const CREDENTIAL_ERROR_MARK = {
	final: 'AKOOL_CREDENTIAL_REFUSED',
	notSent: 'AKOOL_CREDENTIAL_UNREACHABLE',
} as const;

/** Whether the request of a credential error may have reached Akool; undefined for any other error. */
export function credentialErrorKind(
	error: unknown,
): keyof typeof CREDENTIAL_ERROR_MARK | undefined {
	const kinds = Object.keys(CREDENTIAL_ERROR_MARK) as Array<keyof typeof CREDENTIAL_ERROR_MARK>;
	return kinds.find(
		(k) => CREDENTIAL_ERROR_MARK[k] === (error as { httpCode?: unknown })?.httpCode,
	);
}

/** An error of this package's own credential, found inside n8n's wrapping. */
function ownErrorOf(
	error: unknown,
): { kind: FailureKind; message: string; description: string } | undefined {
	const own = error as { message?: string; description?: string };
	const kind = credentialErrorKind(error);
	return kind
		? { kind, message: own.message ?? '', description: own.description ?? '' }
		: undefined;
}

/** Turns an HTTP response into Akool's envelope, or a failure that quotes what came back instead. */
function readEnvelope(
	context: AkoolContext,
	response: IN8nHttpFullResponse,
	session: Session,
	label: RequestLabel,
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
		return { envelope: parsed as AkoolEnvelope, httpCode: status };
	}
	const node = context.getNode();
	const quoted = quote(text, session.redact);
	if (status >= 300 && status < 400) {
		const location = response.headers?.location;
		return { failure: 'final', error: redirectError(context, status, location, session, label) };
	}
	if (status >= 400) {
		return {
			failure: httpFailureKind(status),
			retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
			error: akoolApiError(node, {
				message: `Akool answered HTTP ${status}${status === 429 ? ' (too many requests)' : ''}`,
				description:
					status === 429 || status >= 500
						? `Akool or a proxy in front of it failed to answer. This is usually temporary: try again later. It answered: ${quoted}`
						: `Check the Base URL in the Akool API credential: it should be https://openapi.akool.com or a proxy that forwards to it. It answered: ${quoted}`,
				httpCode: status,
				request: label,
			}),
		};
	}
	return {
		// A 2xx answer that is cut off or empty may come after Akool did the work.
		failure: 'ambiguous',
		error: akoolApiError(node, {
			message:
				parsed === undefined
					? `Akool's answer is not JSON (HTTP ${status})`
					: `Akool's answer has no "code" field (HTTP ${status})`,
			description: `Expected Akool's {code, msg, data} envelope, got ${quoted}. Check the Base URL in the Akool API credential; if it is right, Akool may be having problems: try again later.`,
			httpCode: status,
			request: label,
		}),
	};
}

/** A redirect is never followed: it would carry the API key or token to wherever it points. */
function redirectError(
	context: AkoolContext,
	status: number,
	location: unknown,
	session: Session,
	label: RequestLabel,
): NodeApiError {
	let target = '(no Location header)';
	if (typeof location === 'string' && location !== '') {
		try {
			const url = new URL(location, session.baseUrl);
			target = session.redact(`${url.protocol}//${url.host}${url.pathname}`);
		} catch {
			target = quote(location, session.redact);
		}
	}
	return akoolApiError(context.getNode(), {
		message: `Akool's address answered with a redirect (HTTP ${status}) to ${target}`,
		description: `The node does not follow redirects, so that the credential is never sent to another address. If that address is really Akool's API (or your proxy), put its origin into the Base URL of the Akool API credential; otherwise check the Base URL (it should be https://openapi.akool.com).`,
		httpCode: status,
		request: label,
	});
}
