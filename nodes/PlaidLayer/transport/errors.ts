import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** The fields of Plaid's error object that a user or Plaid support needs. */
const PLAID_ERROR_FIELDS = [
	'error_type',
	'error_code',
	'error_message',
	'display_message',
	'request_id',
	'documentation_url',
	'suggested_action',
] as const;

export type PlaidErrorBody = Partial<Record<(typeof PLAID_ERROR_FIELDS)[number], string | null>>;

export function isPlaidErrorBody(body: unknown): body is PlaidErrorBody {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as IDataObject).error_code === 'string' &&
		typeof (body as IDataObject).error_type === 'string'
	);
}

/** Keeps only Plaid's documented error fields, so nothing else from a response travels on. */
function pickPlaidFields(body: PlaidErrorBody): JsonObject {
	const picked: JsonObject = {};
	for (const field of PLAID_ERROR_FIELDS) {
		if (body[field] !== undefined) picked[field] = body[field] ?? null;
	}
	return picked;
}

/** Said when a request was sent more than once before failing. */
function attemptsNote(attempts: number): string | undefined {
	return attempts > 1 ? `Tried ${attempts} times; the last answer is shown.` : undefined;
}

/** What most likely happened when Plaid's error follows a lost answer (see retry.ts `lostAnswerBehind`). */
export interface LostAnswer {
	message: string;
	description: string;
}

/**
 * Plaid answered with its error object: message carries the code, description what to do. After
 * a lost answer (`lostAnswer`), the message says what most likely happened instead of Plaid's
 * text, which then leads the description. `note` is added to the description.
 */
export function plaidApiError(
	node: INode,
	httpStatus: number,
	body: PlaidErrorBody,
	itemIndex: number,
	attempts = 1,
	{ lostAnswer, note }: { lostAnswer?: LostAnswer; note?: string } = {},
): NodeApiError {
	const details = [
		lostAnswer?.description,
		lostAnswer ? `Plaid's answer to the retry: ${body.error_message}` : undefined,
		body.display_message ? `Message for the user: ${body.display_message}` : undefined,
		body.suggested_action ? `Suggested action: ${body.suggested_action}` : undefined,
		body.request_id ? `Plaid request ID: ${body.request_id}` : undefined,
		body.documentation_url ? `Docs: ${body.documentation_url}` : undefined,
		note,
		attemptsNote(attempts),
	].filter(Boolean);
	return new NodeApiError(node, pickPlaidFields(body), {
		message: `Plaid ${body.error_code}: ${lostAnswer?.message ?? body.error_message}`,
		description: details.join('\n'),
		httpCode: String(httpStatus),
		itemIndex,
	});
}

/** Something other than Plaid answered (a proxy's error page, a wrong URL). */
export function unexpectedResponseError(
	node: INode,
	httpStatus: number,
	snippet: string,
	itemIndex: number,
	attempts = 1,
	note?: string,
): NodeApiError {
	const success = httpStatus >= 200 && httpStatus < 300;
	return new NodeApiError(
		node,
		{ http_status: httpStatus },
		{
			message: success
				? `Plaid answered HTTP ${httpStatus} with a body that is not a JSON object`
				: `Plaid request failed with HTTP ${httpStatus} and no Plaid error in the answer`,
			description: [
				snippet ? `The answer began with: ${snippet}` : 'The answer was empty.',
				success
					? 'Not retried, as Plaid may have completed the request. Check the credential\'s Base URL if this repeats.'
					: "Check the credential's Environment or Base URL.",
				note,
				attemptsNote(attempts),
			]
				.filter(Boolean)
				.join('\n'),
			httpCode: String(httpStatus),
			itemIndex,
		},
	);
}

/** The request never got an answer: refused, reset, timed out. */
export function connectionError(
	node: INode,
	baseUrl: string,
	code: string,
	itemIndex: number,
	attempts = 1,
	note?: string,
): NodeApiError {
	// The code stays out of the message: n8n swaps any message naming ECONNREFUSED & co. for
	// generic text, and ours says where the request went.
	return new NodeApiError(
		node,
		{ connection_error: code },
		{
			message: `Could not reach Plaid at ${baseUrl}`,
			description: [
				`The connection failed with ${code}. Check the network and the credential's Environment or Base URL.`,
				note,
				attemptsNote(attempts),
			]
				.filter(Boolean)
				.join('\n'),
			itemIndex,
		},
	);
}

/** Any error thrown while handling one item, as the NodeError n8n shows for that item. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** The `error` object of a continue-on-fail output item: readable, with Plaid's fields kept. */
export function errorToJson(error: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { message: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.http_code = error.httpCode;
	const plaid = error.errorResponse;
	if (isPlaidErrorBody(plaid)) Object.assign(json, pickPlaidFields(plaid));
	return json;
}
