import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { buildAccountsRequest } from '../account/getAll.operation';
import { accessTokenProperty, accountIdsOption, outputProperty, readAccessTokenInput, readOutput, splitByAccount } from '../itemData';
import { additionalFieldsProperty, itemContext } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['identity'], operation: ['get'] } };

const properties: INodeProperties[] = [
	accessTokenProperty(showOnlyHere),
	outputProperty(showOnlyHere, 'account', 'its owners, item_id and request_id'),
	additionalFieldsProperty(showOnlyHere, [accountIdsOption]),
];

/** `/identity/get`: names, phone numbers, e-mails and addresses the bank has on file for each account's owners. */
export const getIdentity: PlaidOperation = {
	endpoint: '/identity/get',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildAccountsRequest(itemContext(context, itemIndex), readAccessTokenInput(context, itemIndex), environment);
	},
	// Each account already carries its `owners`.
	toOutput: (response: IDataObject, context: IExecuteFunctions, itemIndex: number) => splitByAccount(response, readOutput(context, itemIndex)),
};
