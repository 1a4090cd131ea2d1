import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { onceOnly } from '../../transport/retry';
import type { PlaidOperation } from '../types';
import { buildUserIdRequest, userIdProperty } from './userId';
import { itemContext, readParameter } from '../parameters';

const showOnlyHere = { show: { resource: ['user'], operation: ['remove'] } };

/** A removed user is USER_NOT_FOUND from then on, so a retry after a lost answer meets that. */
export const REMOVE_USER_RETRY = onceOnly({
	refusal: 'USER_NOT_FOUND',
	probablyDone: 'the first attempt probably removed the user already',
	afterLostAnswer:
		'An earlier attempt got no answer ({lost}). Plaid most likely removed the user (and their Items) then, and refused the retry because the user no longer exists. Nothing more to do if the user was to be removed: Get User answers USER_NOT_FOUND once they are gone.',
	ifDone: 'An attempt may have reached Plaid and removed the user: Get User answers USER_NOT_FOUND if so.',
});

/** `/user/remove`: deletes the user and everything Plaid holds for them, their Items included. */
export const removeUser: PlaidOperation = {
	endpoint: '/user/remove',
	properties: [userIdProperty(showOnlyHere)],
	retryPolicy: REMOVE_USER_RETRY,
	buildRequest(context: IExecuteFunctions, itemIndex: number) {
		return buildUserIdRequest(itemContext(context, itemIndex), readParameter(context, 'userId', itemIndex, ''));
	},
	// Plaid answers only a request_id; `removed` says what happened, as Remove Item's output does.
	toOutput: (response: IDataObject) => ({ removed: true, request_id: response.request_id }),
};
