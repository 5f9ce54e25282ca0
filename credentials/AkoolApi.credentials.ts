import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	AKOOL_CODES,
	AKOOL_ENDPOINTS,
	AKOOL_SUCCESS_CODE,
	BaseUrlError,
	CREDENTIAL_ERROR_MARK,
	credentialErrorKind,
	checkBaseUrl,
	DEFAULT_BASE_URL,
	describeAkoolCode,
} from '../nodes/AkoolLiveAvatar/transport';

/**
 * Every documented non-success code fails "Test connection", in the node's own words: Akool reports a wrong
 * key as HTTP 200. (n8n's rules compare for equality only, hence one rule per code.)
 */
const failingCodeRules: IAuthenticateRuleResponseSuccessBody[] = Object.keys(AKOOL_CODES).map(
	(code) => {
		const { headline, hint } = describeAkoolCode(Number(code));
		return {
			type: 'responseSuccessBody' as const,
			properties: { key: 'code', value: Number(code), message: `${headline}. ${hint}` },
		};
	},
);

/** "Test connection" on an answer that is neither a success nor a documented code. */
const UNDOCUMENTED_CODE_MESSAGE =
	"Akool's answer is not a success (code 1000 with the credit balance), and its code is not one the node knows. Run Account → Get Credit Balance with this credential to see Akool's code and message.";

/** How long the token exchange may take in all; it runs before the node's own time budget starts. */
const TOKEN_EXCHANGE_TIMEOUT_MS = 30_000;

/**
 * An error of this credential, marked so that the node's transport can tell it from a network failure: the
 * mark says whether the request may have reached Akool (see the node's retryPolicy.ts). It rides in
 * `httpCode`, the one field n8n copies when it wraps the error.
 */
function credentialError(message: string, description: string, kind: 'notSent' | 'final'): Error {
	return Object.assign(new Error(message), { description, httpCode: CREDENTIAL_ERROR_MARK[kind] });
}

/** The checked Base URL, or an error that says what is wrong with it (and never echoes a password). */
function checkedBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const checked = checkBaseUrl(credentials);
	if (checked instanceof BaseUrlError) {
		throw credentialError(checked.message, checked.description, 'final');
	}
	return checked;
}

export class AkoolApi implements ICredentialType {
	name = 'akoolApi';

	displayName = 'Akool API';

	documentationUrl = 'https://docs.akool.com/authentication/usage';

	icon: Icon = { light: 'file:akool.svg', dark: 'file:akool.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication Method',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description: "Akool's recommended method: the API key is sent in the x-api-key header",
				},
				{
					name: 'Bearer Token',
					value: 'bearerToken',
					description: 'A token you obtained from Akool yourself, sent as Authorization: Bearer',
				},
				{
					name: 'Client ID and Secret',
					value: 'clientCredentials',
					description:
						'Legacy: n8n exchanges the client ID and secret for a token and renews it when Akool rejects it',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: 'In the Akool dashboard: API Credentials → API Key',
			displayOptions: { show: { authMethod: ['apiKey'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: "A token returned by Akool's getToken endpoint",
			displayOptions: { show: { authMethod: ['bearerToken'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			hint: 'In the Akool dashboard: API Credentials → Client ID',
			displayOptions: { show: { authMethod: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: 'Akool no longer shows a separate client secret: it is the value its dashboard now calls API Key (API Credentials page). With that value you can also choose the simpler API Key method above.',
			displayOptions: { show: { authMethod: ['clientCredentials'] } },
		},
		{
			// The token obtained from the client ID and secret. n8n fetches it through preAuthentication when this
			// field is empty and stores it with the credential; Akool says tokens last more than a year.
			displayName: 'Client Token',
			name: 'clientToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: DEFAULT_BASE_URL,
			description:
				'Change only to go through a proxy, or to test against a local stand-in for Akool. An https:// address without a query, fragment or password; plain http:// only for this machine, unless Allow Insecure HTTP is on.',
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether a Base URL with plain http:// to another machine is allowed. The API key or token then crosses the network unencrypted: only for a proxy on a network you trust.',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject> {
		if (credentials.authMethod !== 'clientCredentials') return {};
		const url = `${checkedBaseUrl(credentials)}${AKOOL_ENDPOINTS.getToken.path}`;
		const origin = new URL(url).origin;
		let response: IDataObject;
		try {
			const full = await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// The body carries the client secret: never let a redirect take it elsewhere.
				disableFollowRedirect: true,
				timeout: TOKEN_EXCHANGE_TIMEOUT_MS,
				abortSignal: AbortSignal.timeout(TOKEN_EXCHANGE_TIMEOUT_MS),
			});
			if (full.statusCode >= 300 && full.statusCode < 400) {
				throw credentialError(
					`Akool's address answered the token exchange with a redirect (HTTP ${full.statusCode})`,
					'The client ID and secret were not sent on. Put the address of Akool’s API (or of your proxy) into the Base URL of the Akool API credential.',
					'final',
				);
			}
			response =
				typeof full.body === 'object' && full.body !== null ? (full.body as IDataObject) : {};
		} catch (error) {
			// Its own errors (a redirect, above) are already safe to show.
			if (credentialErrorKind(error)) throw error;
			// Not rethrown as is: the HTTP client's error carries the request body, that is the client secret.
			throw credentialError(
				`Could not reach Akool at ${origin} to exchange the client ID and secret for a token`,
				`No answer within ${TOKEN_EXCHANGE_TIMEOUT_MS / 1000} s, or the connection failed. Check the Base URL of the Akool API credential and that n8n can reach it.`,
				'notSent',
			);
		}
		// Akool's docs put the token at the top level; its JS SDK guide reads `data.token`. Accept both.
		const token = response?.token ?? (response?.data as IDataObject | undefined)?.token;
		if (response?.code !== AKOOL_SUCCESS_CODE || typeof token !== 'string' || token === '') {
			const code = typeof response?.code === 'number' ? response.code : undefined;
			const said =
				code === undefined
					? 'an answer without a token'
					: `code ${code} (${describeAkoolCode(code).headline})`;
			throw credentialError(
				'Akool did not issue a token for this client ID and secret',
				`It returned ${said}. Check the client ID and client secret in the Akool API credential, or switch the authentication method to API Key.`,
				'final',
			);
		}
		return { clientToken: token };
	}

	/**
	 * Adds the one auth header, and only to a request for the configured, checked Base URL; never lets a
	 * redirect carry it on. This runs for every request that carries the secret, "Test connection" included.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseUrl = checkedBaseUrl(credentials);
		const target = new URL(requestOptions.url, requestOptions.baseURL ?? baseUrl);
		if (target.origin !== new URL(baseUrl).origin) {
			throw credentialError(
				`Refused to send the Akool credential to ${target.origin}`,
				'It goes only to the Base URL of the Akool API credential.',
				'final',
			);
		}
		// Exactly one auth header: when both reach Akool, it silently uses Bearer and ignores x-api-key.
		const headers: IDataObject = {};
		for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
			if (!['authorization', 'x-api-key'].includes(name.toLowerCase())) headers[name] = value;
		}
		if (credentials.authMethod === 'bearerToken') {
			headers.Authorization = `Bearer ${credentials.accessToken}`;
		} else if (credentials.authMethod === 'clientCredentials') {
			headers.Authorization = `Bearer ${credentials.clientToken}`;
		} else {
			headers['x-api-key'] = credentials.apiKey;
		}
		return { ...requestOptions, headers, disableFollowRedirect: true };
	}

	// The cheapest authenticated read: the account's credit balance.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl || "https://openapi.akool.com").trim().replace(/\\/+$/, "") }}',
			disableFollowRedirect: true,
			url: AKOOL_ENDPOINTS.getCreditBalance.path,
			method: 'GET',
		},
		rules: [
			...failingCodeRules,
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: undefined,
					message:
						"The base URL answered, but not like Akool's API (no code in the answer). Check the Base URL field.",
				},
			},
			// Any other code: n8n's rules cannot say "code is not 1000", but only Akool's success answer carries
			// the balance, so an answer without one fails whatever its code.
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'data.credit',
					value: undefined,
					message: UNDOCUMENTED_CODE_MESSAGE,
				},
			},
		],
	};
}
