import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import {
	checkAndroidPackageName,
	checkRedirectUri,
	checkWebhookUrl,
	invalidParameter,
	type ItemContext,
	readText,
	requireText,
} from '../parameters';
import type { PlaidOperation } from '../types';

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
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.user_id }}',
		description:
			'The Plaid user_id returned by the Create User operation. Give this, a Client User ID, or both.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Client User ID',
		name: 'clientUserId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.body.userId }}',
		description:
			'Your own stable ID for this person, such as the user ID in your database. Do not use an email address or phone number. Give this, a User ID, or both.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showOnlyHere,
		options: [
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
		],
	},
];

export interface SessionTokenInput {
	templateId: unknown;
	userId: unknown;
	clientUserId: unknown;
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

	const userId = readText(at, input.userId, 'User ID');
	const clientUserId = readText(at, input.clientUserId, 'Client User ID');
	if (userId === '' && clientUserId === '') {
		throw invalidParameter(
			at,
			'User ID or Client User ID',
			'is required: both are empty',
			'Set Client User ID to your own ID for this person, or User ID to the user_id from Create User.',
		);
	}
	if (userId !== '') body.user_id = userId;
	if (clientUserId !== '') body.user = { client_user_id: clientUserId };

	const redirectUri = readText(at, input.redirectUri, 'Redirect URI');
	const androidPackageName = readText(at, input.androidPackageName, 'Android Package Name');
	if (redirectUri !== '' && androidPackageName !== '') {
		throw invalidParameter(
			at,
			'Redirect URI',
			'cannot be used together with Android Package Name',
			'Plaid takes Android Package Name for Android apps and Redirect URI for everything else: remove one of them.',
		);
	}
	if (redirectUri !== '') {
		checkRedirectUri(at, redirectUri, environment);
		body.redirect_uri = redirectUri;
	}
	if (androidPackageName !== '') {
		checkAndroidPackageName(at, androidPackageName);
		body.android_package_name = androidPackageName;
	}

	const webhook = readText(at, input.webhook, 'Webhook URL');
	if (webhook !== '') {
		checkWebhookUrl(at, webhook, 'Webhook URL');
		body.webhook = webhook;
	}
	return body;
}

export const createSessionToken: PlaidOperation = {
	endpoint: '/session/token/create',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		return buildSessionTokenRequest(
			{ node: context.getNode(), itemIndex },
			{
				templateId: context.getNodeParameter('templateId', itemIndex, ''),
				userId: context.getNodeParameter('userId', itemIndex, ''),
				clientUserId: context.getNodeParameter('clientUserId', itemIndex, ''),
				...additional,
			},
			environment,
		);
	},
	toOutput(response: IDataObject) {
		const link = (response.link ?? {}) as IDataObject;
		const output: IDataObject = {
			link_token: link.link_token,
			expiration: link.expiration,
		};
		if (link.user_id !== undefined) output.user_id = link.user_id;
		output.request_id = response.request_id;
		return output;
	},
};
