import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { buildAccessTokenRequest } from '../item/get.operation';
import { accessTokenProperty, accountIdsOption, accountIdsRequest, outputProperty, readAccessTokenInput, readOutput, splitByAccount } from '../itemData';
import { additionalFieldsProperty, type ItemContext, itemContext } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['account'], operation: ['getAll'] } };

const properties: INodeProperties[] = [
	accessTokenProperty(showOnlyHere),
	outputProperty(showOnlyHere, 'account', 'item_id and request_id'),
	additionalFieldsProperty(showOnlyHere, [accountIdsOption]),
];

export function buildAccountsRequest(at: ItemContext, input: { accessToken: unknown; accountIds?: unknown }, environment: PlaidEnvironment): IDataObject {
	return { ...buildAccessTokenRequest(at, input.accessToken, environment), ...accountIdsRequest(at, input.accountIds) };
}

/** `/accounts/get`: the Item's accounts with balances as Plaid last saw them (free, cached). */
export const getManyAccounts: PlaidOperation = {
	endpoint: '/accounts/get',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildAccountsRequest(itemContext(context, itemIndex), readAccessTokenInput(context, itemIndex), environment);
	},
	toOutput: (response: IDataObject, context: IExecuteFunctions, itemIndex: number) => splitByAccount(response, readOutput(context, itemIndex)),
};
