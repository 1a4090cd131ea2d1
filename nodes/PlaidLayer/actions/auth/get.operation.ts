import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { buildAccountsRequest } from '../account/getAll.operation';
import { accessTokenProperty, accountIdsOption, outputProperty, readAccessTokenInput, readOutput, splitByAccount } from '../itemData';
import { additionalFieldsProperty, itemContext } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['auth'], operation: ['get'] } };

const properties: INodeProperties[] = [
	accessTokenProperty(showOnlyHere),
	outputProperty(showOnlyHere, 'account', 'its numbers, item_id and request_id'),
	additionalFieldsProperty(showOnlyHere, [accountIdsOption]),
];

const NUMBER_KINDS = ['ach', 'eft', 'international', 'bacs'] as const;

/** Each account with its own numbers beside it, in Plaid's `numbers` shape (`numbers.ach[0].routing`). */
export function authOutput(response: IDataObject, shape: 'split' | 'whole'): IDataObject | IDataObject[] {
	const numbers = (response.numbers ?? {}) as Record<string, IDataObject[] | undefined>;
	return splitByAccount(response, shape, (account) => ({
		numbers: Object.fromEntries(NUMBER_KINDS.map((kind) => [kind, (numbers[kind] ?? []).filter((entry) => entry.account_id === account.account_id)])),
	}));
}

/** `/auth/get`: account and routing numbers of the Item's checking, savings and cash management accounts. */
export const getAuth: PlaidOperation = {
	endpoint: '/auth/get',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildAccountsRequest(itemContext(context, itemIndex), readAccessTokenInput(context, itemIndex), environment);
	},
	toOutput: (response: IDataObject, context: IExecuteFunctions, itemIndex: number) => authOutput(response, readOutput(context, itemIndex)),
};
