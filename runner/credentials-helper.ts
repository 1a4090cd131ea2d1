/**
 * Supplies credentials to a locally run workflow and applies a credential type's `authenticate`
 * to each request the way n8n's server does, so the node under test sends what it would in n8n.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INodeCredentialsDetails,
	INodeProperties,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { PlaidLayerApi } from '../credentials/PlaidLayerApi.credentials';

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	plaidLayerApi: new PlaidLayerApi(),
};

export class LocalCredentialsHelper extends ICredentialsHelper {
	/** How many times n8n asked for a decrypted credential (a database read in a real n8n). */
	decryptions = 0;

	constructor(private readonly credentialsByType: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialType(typeName);
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate !== 'function') {
			throw new Error(`${typeName}: only function-style authenticate is applied by this runner`);
		}
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		throw new Error(`getCredentials(${type}) is not used by these nodes`);
	}

	async getDecrypted(
		_additionalData: unknown,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.decryptions++;
		const data = this.credentialsByType[type];
		if (!data) throw new Error(`No credentials of type ${type} were given to the runner`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialType(type).properties;
	}

	credentialType(type: string): ICredentialType {
		const credentialType = CREDENTIAL_TYPES[type];
		if (!credentialType) throw new Error(`Unknown credential type ${type}`);
		return credentialType;
	}
}
