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
	AKOOL_ERROR_HINTS,
	AKOOL_SUCCESS_CODE,
} from '../nodes/AkoolLiveAvatar/transport/akoolCodes';
import {
	AKOOL_ENDPOINTS,
	baseUrlOf,
	DEFAULT_BASE_URL,
} from '../nodes/AkoolLiveAvatar/transport/endpoints';

/** Every documented non-success code fails "Test connection": Akool reports a wrong key as HTTP 200. */
const failingCodeRules: IAuthenticateRuleResponseSuccessBody[] = Object.entries(
	AKOOL_ERROR_HINTS,
).map(([code, { meaning, hint }]) => ({
	type: 'responseSuccessBody' as const,
	properties: {
		key: 'code',
		value: Number(code),
		message: `Akool returned code ${code}: ${meaning}.${hint ? ` ${hint}` : ''}`,
	},
}));

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
			description:
				'Change only to go through a proxy, or to test against a local stand-in for Akool',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject> {
		if (credentials.authMethod !== 'clientCredentials') return {};
		const url = `${baseUrlOf(credentials)}${AKOOL_ENDPOINTS.getToken.path}`;
		let response: IDataObject;
		try {
			const full = await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			response =
				typeof full.body === 'object' && full.body !== null ? (full.body as IDataObject) : {};
		} catch {
			// Not rethrown as is: the HTTP client's error carries the request body, that is the client secret.
			throw new Error(
				`Could not reach Akool at ${new URL(url).origin} to exchange the client ID and secret for a token. Check the Base URL of the Akool API credential and that n8n can reach it.`,
			);
		}
		// Akool's docs put the token at the top level; its JS SDK guide reads `data.token`. Accept both.
		const token = response?.token ?? (response?.data as IDataObject | undefined)?.token;
		if (response?.code !== AKOOL_SUCCESS_CODE || typeof token !== 'string' || token === '') {
			const code = typeof response?.code === 'number' ? response.code : undefined;
			const said =
				code === undefined
					? 'an answer without a token'
					: `code ${code} (${AKOOL_ERROR_HINTS[code]?.meaning ?? String(response.msg)})`;
			throw new Error(
				`Akool did not issue a token for this client ID and secret: it returned ${said}. Check the client ID and client secret in the Akool API credential, or switch the authentication method to API Key.`,
			);
		}
		return { clientToken: token };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
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
		return { ...requestOptions, headers };
	}

	// The cheapest authenticated read: the account's credit balance.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl || "https://openapi.akool.com").trim().replace(/\\/+$/, "") }}',
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
		],
	};
}
