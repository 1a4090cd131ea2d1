import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	PLAID_BASE_URLS,
	type PlaidEnvironment,
} from '../../../credentials/PlaidLayerApi.credentials';
import {
	connectionError,
	isPlaidErrorBody,
	plaidApiError,
	unexpectedResponseError,
} from './errors';

export const CREDENTIAL_TYPE = 'plaidLayerApi';

/** Action nodes call Plaid while executing; the trigger while handling a webhook. */
export type PlaidCaller = IExecuteFunctions | IWebhookFunctions;

/** Where and as whom one node execution talks to Plaid; resolved once, used for every item. */
export interface PlaidConnection {
	environment: PlaidEnvironment;
	baseUrl: string;
	/** Handed to n8n with each request so it does not fetch and decrypt the credential per item. */
	credentials: ICredentialsDecrypted;
}

function resolveBaseUrl(this: PlaidCaller, data: ICredentialDataDecryptedObject): string {
	const environment = data.environment as PlaidEnvironment;
	if (environment === 'sandbox' || environment === 'production') return PLAID_BASE_URLS[environment];
	const baseUrl = String(data.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/?#\s]+/.test(baseUrl)) {
		throw new NodeOperationError(
			this.getNode(),
			`The Plaid Layer API credential's Base URL is not an absolute URL: "${baseUrl}"`,
			{ description: 'Open the credential and enter the gateway address, e.g. https://plaid-gateway.example.com.' },
		);
	}
	return baseUrl;
}

export async function openPlaidConnection(this: PlaidCaller): Promise<PlaidConnection> {
	const data = await this.getCredentials(CREDENTIAL_TYPE);
	const environment = (data.environment ?? 'sandbox') as PlaidEnvironment;
	if (environment !== 'custom' && (!data.clientId || !data.secret)) {
		throw new NodeOperationError(
			this.getNode(),
			'The Plaid Layer API credential has no Client ID or no Secret',
			{ description: 'Copy both from Plaid Dashboard → Developers → Keys into the credential.' },
		);
	}
	const reference = this.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		environment,
		baseUrl: resolveBaseUrl.call(this, data),
		credentials: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data },
	};
}

/** A short, secret-free excerpt of a non-Plaid answer, to say what answered instead. */
function describeBody(body: unknown, secret: unknown): string {
	const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
	const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
	return typeof secret === 'string' && secret ? excerpt.split(secret).join('[secret]') : excerpt;
}

/** POSTs one request to Plaid and returns its JSON answer, or throws a NodeApiError Plaid users can read. */
export async function plaidRequest(
	this: PlaidCaller,
	connection: PlaidConnection,
	endpoint: string,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url: `${connection.baseUrl}${endpoint}`,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			{ credentialsDecrypted: connection.credentials },
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// n8n wraps the transport error; rebuild it from the code alone so no request detail
		// (headers hold the secret) travels into run data.
		const cause = (error as NodeApiError).cause as { code?: string } | undefined;
		const code = cause?.code ?? (error as { code?: string }).code ?? 'NO_RESPONSE';
		throw connectionError(this.getNode(), connection.baseUrl, code, itemIndex);
	}

	const { statusCode, body: answer } = response;
	if (statusCode >= 200 && statusCode < 300 && typeof answer === 'object' && answer !== null) {
		return answer as IDataObject;
	}
	if (isPlaidErrorBody(answer)) throw plaidApiError(this.getNode(), statusCode, answer, itemIndex);
	throw unexpectedResponseError(
		this.getNode(),
		statusCode,
		describeBody(answer, connection.credentials.data?.secret),
		itemIndex,
	);
}
