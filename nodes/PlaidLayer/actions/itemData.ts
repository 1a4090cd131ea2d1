/**
 * What the operations that read an Item share: the Access Token field, the Account IDs filter,
 * and the choice between one output item per account (or per Item) and Plaid's whole answer.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter, type ItemContext, itemContext, readList, readParameter, readText } from './parameters';

export function accessTokenProperty(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.access_token }}',
		description:
			"The Item's access_token, from Exchange Public Token or Get User Account Session. It opens the user's bank connection: keep it secret.",
		displayOptions,
	};
}

export const accountIdsOption: INodeProperties = {
	displayName: 'Account IDs',
	name: 'accountIds',
	type: 'string',
	default: '',
	placeholder: 'e.g. BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp',
	description: 'Only these accounts (Plaid account_id values, separated by commas, or an expression giving a list). Empty: all accounts of the Item.',
};

/** `options.account_ids` for the request, or nothing when all accounts are wanted. */
export function accountIdsRequest(at: ItemContext, value: unknown): IDataObject {
	const accountIds = readList(at, value, 'Account IDs');
	return accountIds.length > 0 ? { options: { account_ids: accountIds } } : {};
}

export type OutputShape = 'split' | 'whole';

/** The Output choice: one n8n item per entry of Plaid's list (`each`, e.g. "account", with `beside`), or the whole answer. */
export function outputProperty(displayOptions: IDisplayOptions, each: string, beside: string): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'split',
		options: [
			{
				name: 'One Item Each',
				value: 'split',
				description: `Each ${each} as its own item, with ${beside}, ready for the next node`,
			},
			{ name: "Plaid's Whole Answer", value: 'whole', description: 'One item per input item, exactly as Plaid answered' },
		],
		displayOptions,
	};
}

/** What an operation on an Item reads for one item: its Access Token beside its Additional Fields. */
export function readAccessTokenInput(context: IExecuteFunctions, itemIndex: number): { accessToken: unknown; [field: string]: unknown } {
	const additional = readParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
	return { accessToken: readParameter(context, 'accessToken', itemIndex, ''), ...additional };
}

export function readOutput(context: IExecuteFunctions, itemIndex: number): OutputShape {
	const at = itemContext(context, itemIndex);
	const value = readText(at, readParameter(context, 'output', itemIndex, 'split'), 'Output');
	if (value !== 'split' && value !== 'whole') {
		throw invalidParameter(at, 'Output', `must be split or whole, not "${value}"`, 'Choose One Item Each or Plaid’s Whole Answer.');
	}
	return value;
}

/**
 * Plaid's list answer as one object per account, each with the Item's id and the request id (and
 * whatever `beside` adds for that account, e.g. its numbers); or the answer as it came.
 */
export function splitByAccount(
	response: IDataObject,
	shape: OutputShape,
	beside: (account: IDataObject) => IDataObject = () => ({}),
): IDataObject | IDataObject[] {
	if (shape === 'whole') return response;
	const item = (response.item ?? {}) as IDataObject;
	return ((response.accounts ?? []) as IDataObject[]).map((account) => ({
		...account,
		...beside(account),
		item_id: item.item_id,
		request_id: response.request_id,
	}));
}
