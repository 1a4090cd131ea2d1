import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter, type ItemContext, itemContext, readLeaveOut, readParameter, requireText } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['userAccountSession'], operation: ['get'] } };

const SENSITIVE_FIELDS = ['ssn', 'access_token'] as const;

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
			'The public_token from the finished Layer session: from the Plaid Trigger (SESSION_FINISHED, public_tokens) or from your front end',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Leave Out',
		name: 'leaveOut',
		type: 'multiOptions',
		default: ['ssn'],
		description:
			'Sensitive fields to drop before they reach later nodes and the execution log. The identity is what the user submitted in Layer and is not verified.',
		options: [
			{ name: 'Full SSN', value: 'ssn', description: 'Keep only ssn_last_4' },
			{ name: 'Access Tokens', value: 'access_token', description: 'Drop each item’s access_token, keep item_id' },
		],
		displayOptions: showOnlyHere,
	},
];

/** Builds the `/user_account/session/get` body. */
export function buildUserAccountSessionRequest(at: ItemContext, publicToken: unknown): IDataObject {
	const token = requireText(
		at,
		publicToken,
		'Public Token',
		'Map it from the Plaid Trigger, e.g. {{ $json.public_tokens[0] }}.',
	);
	if (!token.startsWith('public-')) {
		throw invalidParameter(
			at,
			'Public Token',
			`is not a Plaid public token: "${token}"`,
			'A public token starts with public-, e.g. public-sandbox-…; a link_token or access_token does not work here.',
		);
	}
	return { public_token: token };
}

/** Plaid's answer without the fields the user chose to leave out. */
export function withoutSensitiveFields(response: IDataObject, leaveOut: readonly string[]): IDataObject {
	const output: IDataObject = { ...response };
	const identity = response.identity as IDataObject | null | undefined;
	if (leaveOut.includes('ssn') && identity) {
		const kept = { ...identity };
		delete kept.ssn;
		output.identity = kept;
	}
	if (leaveOut.includes('access_token') && Array.isArray(response.items)) {
		output.items = (response.items as IDataObject[]).map((item) => {
			const kept = { ...item };
			delete kept.access_token;
			return kept;
		});
	}
	return output;
}

export const getUserAccountSession: PlaidOperation = {
	endpoint: '/user_account/session/get',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number) {
		return buildUserAccountSessionRequest(
			itemContext(context, itemIndex),
			readParameter(context, 'publicToken', itemIndex, ''),
		);
	},
	toOutput(response: IDataObject, context: IExecuteFunctions, itemIndex: number) {
		const leaveOut = readLeaveOut(itemContext(context, itemIndex), readParameter(context, 'leaveOut', itemIndex, ['ssn']), SENSITIVE_FIELDS);
		const { identity = null, items = [], request_id, ...rest } = withoutSensitiveFields(response, leaveOut);
		return { identity, items, ...rest, request_id };
	},
};
