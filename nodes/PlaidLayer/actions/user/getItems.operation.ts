import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { outputProperty, readOutput } from '../itemData';
import type { PlaidOperation } from '../types';
import { buildUserIdRequest, userIdProperty } from './userId';
import { itemContext, readParameter } from '../parameters';

const showOnlyHere = { show: { resource: ['user'], operation: ['getItems'] } };

/** `/user/items/get`: the Items (bank connections) linked in sessions of this user, with their status. No access tokens. */
export const getUserItems: PlaidOperation = {
	endpoint: '/user/items/get',
	properties: [userIdProperty(showOnlyHere), outputProperty(showOnlyHere, 'Item', 'user_id and request_id')],
	buildRequest(context: IExecuteFunctions, itemIndex: number) {
		return buildUserIdRequest(itemContext(context, itemIndex), readParameter(context, 'userId', itemIndex, ''));
	},
	toOutput(response: IDataObject, context: IExecuteFunctions, itemIndex: number) {
		if (readOutput(context, itemIndex) === 'whole') return response;
		const userId = readParameter(context, 'userId', itemIndex, '') as string;
		return ((response.items ?? []) as IDataObject[]).map((item) => ({ ...item, user_id: String(userId).trim(), request_id: response.request_id }));
	},
};
