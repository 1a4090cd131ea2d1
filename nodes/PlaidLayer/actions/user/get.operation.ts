import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PlaidOperation } from '../types';
import { buildUserIdRequest, userIdProperty } from './userId';
import { itemContext, readParameter } from '../parameters';

const showOnlyHere = { show: { resource: ['user'], operation: ['get'] } };

/** `/user/get`: what Plaid holds about a user of the new user APIs (client_user_id, identity, created_at). */
export const getUser: PlaidOperation = {
	endpoint: '/user/get',
	properties: [userIdProperty(showOnlyHere)],
	buildRequest(context: IExecuteFunctions, itemIndex: number) {
		return buildUserIdRequest(itemContext(context, itemIndex), readParameter(context, 'userId', itemIndex, ''));
	},
	toOutput(response: IDataObject) {
		const { user_id, client_user_id = null, identity = null, request_id, ...rest } = response;
		return { user_id, client_user_id, identity, ...rest, request_id };
	},
};
