import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
} from 'n8n-workflow';

import { AkoolApi } from '../../credentials/AkoolApi.credentials';

export const CREDENTIAL_REF: INodeCredentialsDetails = {
	id: 'akool-cred-1',
	name: 'Akool account',
};

/**
 * The credential as n8n's database holds it, and the part of n8n's CredentialsHelper (packages/cli) that a
 * node execution uses: decrypting with defaults applied, applying `authenticate`, running `preAuthentication`
 * when the expirable token is empty or expired, and persisting what it returns.
 */
export class CredentialStore {
	readonly type = new AkoolApi();

	/** Every write n8n would make to the stored credential (token renewals). */
	readonly updates: ICredentialDataDecryptedObject[] = [];

	constructor(public stored: ICredentialDataDecryptedObject) {}

	decrypted(): ICredentialDataDecryptedObject {
		const withDefaults: ICredentialDataDecryptedObject = {};
		for (const property of this.type.properties) {
			withDefaults[property.name] = this.stored[property.name] ?? (property.default as string);
		}
		return withDefaults;
	}

	helper(): ICredentialsHelper {
		const type = this.type;
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		const helper = {
			getParentTypes: () => [],
			getDecrypted: async () => this.decrypted(),
			getCredentialsProperties: () => type.properties,
			authenticate: async (
				credentials: ICredentialDataDecryptedObject,
				_typeName: string,
				options: IHttpRequestOptions,
			) => await type.authenticate(credentials, options),
			updateCredentials: async (
				_ref: INodeCredentialsDetails,
				_type: string,
				data: ICredentialDataDecryptedObject,
			) => {
				this.stored = { ...data };
				this.updates.push({ ...data });
			},
			preAuthentication: async (
				helpers: IHttpRequestHelper,
				credentials: ICredentialDataDecryptedObject,
				_typeName: string,
				node: INode,
				credentialsExpired: boolean,
			) => {
				if (!expirable) return undefined;
				if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
				const output = await type.preAuthentication.call(helpers, credentials);
				if (output[expirable.name] === undefined) return undefined;
				if (node.credentials) {
					await helper.updateCredentials(CREDENTIAL_REF, type.name, { ...this.stored, ...output });
					return Object.assign(credentials, output);
				}
				return undefined;
			},
		};
		return helper as unknown as ICredentialsHelper;
	}
}
