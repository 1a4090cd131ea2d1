import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { onceOnly } from '../../transport/retry';
import { type ItemContext, itemContext, readLeaveOut, readParameter, requireToken } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['item'], operation: ['exchangePublicToken'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Public Token',
		name: 'publicToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '={{ $json.public_tokens?.[0] ?? $json.public_token }}',
		placeholder: 'e.g. public-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce993d',
		description:
			'The public_token of a finished Link session: from the Plaid Trigger (SESSION_FINISHED), Get Link Token, your front end, or Create Sandbox Public Token. It works once, for 30 minutes.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Leave Out',
		name: 'leaveOut',
		type: 'multiOptions',
		default: [],
		description:
			'Fields to drop before they reach later nodes and the execution log. Plaid gives the access token only once: leave it out only when this workflow needs just the item_id.',
		options: [{ name: 'Access Token', value: 'access_token', description: 'Drop access_token, keep item_id; the token is then lost' }],
		displayOptions: showOnlyHere,
	},
];

export function buildExchangeRequest(at: ItemContext, publicToken: unknown, environment: PlaidEnvironment): IDataObject {
	return { public_token: requireToken(at, publicToken, 'Public Token', 'public', environment) };
}

/**
 * Plaid exchanges a public token once (https://plaid.com/docs/api/items/#itempublic_tokenexchange):
 * a retry after a lost answer meets INVALID_PUBLIC_TOKEN although the first attempt worked, and
 * the access token of that attempt cannot be had again.
 */
export const EXCHANGE_RETRY = onceOnly({
	refusal: 'INVALID_PUBLIC_TOKEN',
	probablyDone: 'the first attempt probably exchanged the public token, and its access token is lost',
	afterLostAnswer: [
		'An earlier attempt of this exchange got no answer ({lost}). Plaid most likely exchanged the public token then: the Item exists, but its access_token was in the lost answer, and Plaid refused the retry because a public token works only once.',
		'What to do: ask the user to link their bank again (a new Link session gives a new public token). The first Item then exists twice (https://plaid.com/docs/link/duplicate-items/): if the session had a User ID, Get User Items lists both, and Remove User removes a user with all their Items; otherwise quote the request IDs to Plaid support.',
	].join('\n'),
	ifDone:
		'An attempt may have reached Plaid: if Plaid exchanged the public token, its access token is lost with the answer, and running the exchange again fails with INVALID_PUBLIC_TOKEN.',
});

export const exchangePublicToken: PlaidOperation = {
	endpoint: '/item/public_token/exchange',
	properties,
	retryPolicy: EXCHANGE_RETRY,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildExchangeRequest(itemContext(context, itemIndex), readParameter(context, 'publicToken', itemIndex, ''), environment);
	},
	toOutput(response: IDataObject, context: IExecuteFunctions, itemIndex: number) {
		const leaveOut = readLeaveOut(itemContext(context, itemIndex), readParameter(context, 'leaveOut', itemIndex, []), ['access_token']);
		const output: IDataObject = leaveOut.includes('access_token') ? {} : { access_token: response.access_token };
		return { ...output, item_id: response.item_id, request_id: response.request_id };
	},
};
