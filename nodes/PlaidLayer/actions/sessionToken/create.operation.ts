import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { additionalFieldsProperty, invalidParameter, type ItemContext, itemContext, readParameter, readText, readUserIds, requireText, withLinkDestinations } from '../parameters';
import type { PlaidOperation } from '../types';
import { buildUserCreateRequest } from '../user/create.operation';

const showOnlyHere = { show: { resource: ['sessionToken'], operation: ['create'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. template_4uinBNe4B2x9',
		description:
			'The Layer template to run. Find it in the Plaid Dashboard under Layer → Templates; it starts with template_.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Create User First',
		name: 'createUser',
		type: 'boolean',
		default: false,
		description:
			'Whether to create the Plaid user for the Client User ID first (/user/create) and start the session with its user_id, so no Create User node is needed. Plaid answers a Client User ID it already knows with the same user, so running this again is safe.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.user_id }}',
		description:
			'The Plaid user_id returned by the Create User operation. Give this, a Client User ID, or both.',
		displayOptions: { show: { ...showOnlyHere.show, createUser: [false] } },
	},
	{
		displayName: 'Client User ID',
		name: 'clientUserId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.body.userId }}',
		description:
			'Your own stable ID for this person, such as the user ID in your database. Do not use an email address or phone number. Give this, a User ID, or both; required with Create User First.',
		displayOptions: showOnlyHere,
	},
	additionalFieldsProperty(showOnlyHere, [
		{
			displayName: 'Android Package Name',
			name: 'androidPackageName',
			type: 'string',
			default: '',
			placeholder: 'e.g. com.example.onboarding',
			description:
				'Only when Layer opens in an Android app: its package name, also listed under Allowed Android package names in the Plaid Dashboard. Leave Redirect URI empty then.',
		},
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://app.example.com/plaid/oauth',
			description:
				'Where the browser returns after a bank OAuth login. Must be listed under Allowed redirect URIs in the Plaid Dashboard, have no query string, and use https in Production.',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhook',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/plaid',
			description:
				"Where Plaid sends this session's webhooks, overriding the template's webhook. Use the Production URL of a Plaid Trigger node.",
		},
	]),
];

export interface SessionTokenInput {
	templateId: unknown;
	userId: unknown;
	clientUserId: unknown;
	/** Create User First: the body is sent after /user/create, which supplies its user_id. */
	createUser?: boolean;
	redirectUri?: unknown;
	androidPackageName?: unknown;
	webhook?: unknown;
}

/** Builds the `/session/token/create` body, or throws a NodeOperationError naming the field to fix. */
export function buildSessionTokenRequest(
	at: ItemContext,
	input: SessionTokenInput,
	environment: PlaidEnvironment,
): IDataObject {
	const body: IDataObject = {
		template_id: requireText(
			at,
			input.templateId,
			'Template ID',
			'Copy the template ID from the Plaid Dashboard under Layer → Templates (it starts with template_).',
		),
	};

	if (input.createUser) {
		const clientUserId = readText(at, input.clientUserId, 'Client User ID');
		if (clientUserId === '') {
			throw invalidParameter(
				at,
				'Client User ID',
				'is empty: Create User First needs it',
				'Set Client User ID to your own ID for this person, e.g. {{ $json.body.userId }}, or turn off Create User First and give a User ID.',
			);
		}
		// Checked as /user/create takes it (1–128 characters); its user_id is added before sending.
		body.user = { client_user_id: buildUserCreateRequest(at, clientUserId, {}).client_user_id };
		return withLinkDestinations(at, body, input, environment);
	}
	const { userId, clientUserId } = readUserIds(at, input);
	if (userId !== '') body.user_id = userId;
	if (clientUserId !== '') body.user = { client_user_id: clientUserId };
	return withLinkDestinations(at, body, input, environment);
}


export const createSessionToken: PlaidOperation = {
	endpoint: '/session/token/create',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		const additional = readParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
		const createUser = readParameter(context, 'createUser', itemIndex, false) === true;
		return buildSessionTokenRequest(
			itemContext(context, itemIndex),
			{
				templateId: readParameter(context, 'templateId', itemIndex, ''),
				userId: createUser ? '' : readParameter(context, 'userId', itemIndex, ''),
				clientUserId: readParameter(context, 'clientUserId', itemIndex, ''),
				createUser,
				...additional,
			},
			environment,
		);
	},
	prerequisite(context: IExecuteFunctions, itemIndex: number, body: IDataObject) {
		if (readParameter(context, 'createUser', itemIndex, false) !== true) return undefined;
		// /user/create is idempotent per client_user_id (Plaid's New User APIs,
		// https://plaid.com/docs/api/users/user-apis/): a retry, or running the item again after the
		// token request failed, gets the same user. No identity: Layer collects it from the person.
		return {
			endpoint: '/user/create',
			body: { client_user_id: (body.user as IDataObject).client_user_id },
			complete: (sessionBody: IDataObject, user: IDataObject) => ({ ...sessionBody, user_id: user.user_id }),
		};
	},
	toOutput(response: IDataObject) {
		const link = (response.link ?? {}) as IDataObject;
		const output: IDataObject = {
			link_token: link.link_token,
			expiration: link.expiration,
		};
		// Plaid echoes the user_id the session was started with (SessionTokenCreateResponseLink).
		if (link.user_id !== undefined) output.user_id = link.user_id;
		output.request_id = response.request_id;
		return output;
	},
};
