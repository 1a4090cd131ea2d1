import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { type ItemContext, requireText } from '../parameters';

/** The Plaid user_id field of Get User, Remove User and Get User Items. */
export function userIdProperty(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.user_id }}',
		description: 'The Plaid user_id (usr_…) from Create User, not your own Client User ID',
		displayOptions,
	};
}

/** `{ user_id }` for Plaid's new user APIs (no user_token: the package creates users without one). */
export function buildUserIdRequest(at: ItemContext, userId: unknown): IDataObject {
	return { user_id: requireText(at, userId, 'User ID', 'Map the user_id from Create User, e.g. {{ $json.user_id }}.') };
}
