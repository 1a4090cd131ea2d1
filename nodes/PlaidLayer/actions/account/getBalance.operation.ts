import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { accessTokenProperty, accountIdsOption, outputProperty, readAccessTokenInput, readOutput, splitByAccount } from '../itemData';
import { additionalFieldsProperty, invalidParameter, type ItemContext, itemContext, readText } from '../parameters';
import type { PlaidOperation } from '../types';
import { buildAccountsRequest } from './getAll.operation';

const showOnlyHere = { show: { resource: ['account'], operation: ['getBalance'] } };

const properties: INodeProperties[] = [
	accessTokenProperty(showOnlyHere),
	outputProperty(showOnlyHere, 'account', 'item_id and request_id'),
	additionalFieldsProperty(showOnlyHere, [
		accountIdsOption,
		{
			displayName: 'Min Last Updated Datetime',
			name: 'minLastUpdatedDatetime',
			type: 'dateTime',
			default: '',
			description:
				'The oldest balance you accept. Plaid needs it only for Capital One (ins_128026) non-depository accounts, which give no real-time balance; elsewhere it is ignored.',
		},
	]),
];

export interface BalanceInput {
	accessToken: unknown;
	accountIds?: unknown;
	minLastUpdatedDatetime?: unknown;
}

/** Builds the `/accounts/balance/get` body, or throws a NodeOperationError naming the field to fix. */
export function buildBalanceRequest(at: ItemContext, input: BalanceInput, environment: PlaidEnvironment, now = Date.now()): IDataObject {
	const body = buildAccountsRequest(at, input, environment);
	const text = readText(at, input.minLastUpdatedDatetime, 'Min Last Updated Datetime');
	if (text !== '') {
		const time = Date.parse(text);
		if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
			throw invalidParameter(at, 'Min Last Updated Datetime', `is not a date and time: "${text}"`, 'Pick a date and time, or write it like 2026-11-26T09:00:00Z.');
		}
		if (time > now) {
			throw invalidParameter(at, 'Min Last Updated Datetime', `is in the future: "${text}"`, 'It is the oldest balance you accept, so it lies in the past: e.g. an hour ago, {{ $now.minus(1, "hour") }}.');
		}
		// Plaid's format: YYYY-MM-DDTHH:mm:ssZ, in UTC.
		const options = (body.options ?? {}) as IDataObject;
		body.options = { ...options, min_last_updated_datetime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z') };
	}
	return body;
}

/** `/accounts/balance/get`: real-time balances, fetched from the bank now (paid; may take seconds). */
export const getBalance: PlaidOperation = {
	endpoint: '/accounts/balance/get',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildBalanceRequest(itemContext(context, itemIndex), readAccessTokenInput(context, itemIndex), environment);
	},
	toOutput: (response: IDataObject, context: IExecuteFunctions, itemIndex: number) => splitByAccount(response, readOutput(context, itemIndex)),
};
