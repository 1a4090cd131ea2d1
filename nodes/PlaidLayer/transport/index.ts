import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

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
import {
	backoffMs,
	isTransient,
	lostAnswerBehind,
	MAX_RETRY_AFTER_MS,
	maybeDoneNote,
	parseRetryAfter,
	REPEATABLE,
	type FailedAttempt,
	type RetryPolicy,
} from './retry';

export { onceOnly, REPEATABLE, type RetryPolicy } from './retry';

export const CREDENTIAL_TYPE = 'plaidLayerApi';

/** Action nodes call Plaid while executing; the trigger while handling a webhook. */
export type PlaidCaller = IExecuteFunctions | IWebhookFunctions;

/** How hard to try each request. */
export interface RequestPolicy {
	/** Retries after the first attempt, for 429, 5xx, resets and timeouts. */
	maxRetries: number;
	timeoutMs: number;
}

/** Where and as whom one node execution talks to Plaid; resolved once, used for every item. */
export interface PlaidConnection {
	environment: PlaidEnvironment;
	baseUrl: string;
	/** Handed to n8n with each request so it does not fetch and decrypt the credential per item. */
	credentials: ICredentialsDecrypted;
	policy: RequestPolicy;
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

export async function openPlaidConnection(
	this: PlaidCaller,
	policy: RequestPolicy,
): Promise<PlaidConnection> {
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
		policy,
	};
}

/** A short, secret-free excerpt of a non-Plaid answer, to say what answered instead. */
function describeBody(body: unknown, secret: unknown): string {
	const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
	const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
	return typeof secret === 'string' && secret ? excerpt.split(secret).join('[secret]') : excerpt;
}

type Attempt =
	| { answered: true; statusCode: number; body: unknown; headers: IDataObject }
	| { answered: false; code: string };

/** One POST; a transport failure comes back as its code, not as n8n's error (which holds the request). */
async function attempt(
	this: PlaidCaller,
	connection: PlaidConnection,
	endpoint: string,
	body: IDataObject,
): Promise<Attempt> {
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url: `${connection.baseUrl}${endpoint}`,
				body,
				json: true,
				timeout: connection.policy.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			{ credentialsDecrypted: connection.credentials },
		)) as IN8nHttpFullResponse;
		return { answered: true, statusCode: response.statusCode, body: response.body, headers: response.headers };
	} catch (error) {
		// The transport's code (ECONNRESET, ECONNABORTED…) is on `cause`; n8n-workflow 1.99–1.120
		// drop `cause`, but keep the code as the error's httpCode.
		const cause = (error as NodeApiError).cause as { code?: string } | undefined;
		const httpCode = (error as NodeApiError).httpCode;
		const code = cause?.code ?? (error as { code?: string }).code ?? (httpCode && /^E[A-Z]+$/.test(httpCode) ? httpCode : undefined);
		return { answered: false, code: code ?? 'NO_RESPONSE' };
	}
}

/**
 * POSTs one request to Plaid and returns its JSON answer, retrying what Plaid documents as
 * transient, or throws a NodeApiError Plaid users can read. `retryPolicy` says how failed attempts
 * of this call are read: a once-only call's refusal after a lost answer is explained as such.
 */
export async function plaidRequest(
	this: PlaidCaller,
	connection: PlaidConnection,
	endpoint: string,
	body: IDataObject,
	itemIndex: number,
	retryPolicy: RetryPolicy = REPEATABLE,
): Promise<IDataObject> {
	const { maxRetries } = connection.policy;
	const secret = connection.credentials.data?.secret;
	const failed: FailedAttempt[] = [];
	for (let retry = 0; ; retry++) {
		const result = await attempt.call(this, connection, endpoint, body);
		if (result.answered && result.statusCode >= 200 && result.statusCode < 300) {
			if (typeof result.body === 'object' && result.body !== null) return result.body as IDataObject;
			// Not retried: Plaid may have done the work already, and a retry could do it twice.
			throw unexpectedResponseError(this.getNode(), result.statusCode, describeBody(result.body, secret), itemIndex);
		}
		const failure: FailedAttempt = result.answered ? { status: result.statusCode } : { connectionError: result.code };
		const retryAfterMs = result.answered ? parseRetryAfter(result.headers['retry-after']) : undefined;
		if (isTransient(failure) && retry < maxRetries && (retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS) {
			failed.push(failure);
			await sleep(backoffMs(retry, retryAfterMs));
			continue;
		}
		const attempts = retry + 1;
		const note = maybeDoneNote(retryPolicy, [...failed, failure]);
		if (result.answered && isPlaidErrorBody(result.body)) {
			const lostAnswer = lostAnswerBehind(retryPolicy, result.body.error_code, failed);
			throw plaidApiError(this.getNode(), result.statusCode, result.body, itemIndex, attempts, lostAnswer ? { lostAnswer } : { note });
		}
		if (!result.answered) throw connectionError(this.getNode(), connection.baseUrl, result.code, itemIndex, attempts, note);
		throw unexpectedResponseError(this.getNode(), result.statusCode, describeBody(result.body, secret), itemIndex, attempts, note);
	}
}
