import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { additionalFieldsProperty, checkWebhookUrl, invalidParameter, type ItemContext, itemContext, readChoices, readParameter, readText, requireText } from '../parameters';
import { PRODUCTS } from '../plaidValues';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['sandbox'], operation: ['createPublicToken'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Institution ID',
		name: 'institutionId',
		type: 'string',
		required: true,
		default: 'ins_109508',
		placeholder: 'e.g. ins_109508',
		description: 'A Sandbox test institution, e.g. ins_109508 (First Platypus Bank) or ins_109511 (Tartan Bank)',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Initial Products',
		name: 'initialProducts',
		type: 'multiOptions',
		options: PRODUCTS,
		required: true,
		default: ['auth', 'identity'],
		description: 'The products the new Item starts with; the institution must support them',
		displayOptions: showOnlyHere,
	},
	additionalFieldsProperty(showOnlyHere, [
		{
			displayName: 'Override Password',
			name: 'overridePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: "A Sandbox test password instead of pass_good, e.g. one of Plaid's error_… test passwords",
		},
		{
			displayName: 'Override Username',
			name: 'overrideUsername',
			type: 'string',
			default: '',
			placeholder: 'e.g. user_good',
			description: 'A Sandbox test username instead of user_good, e.g. user_custom',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.user_id }}',
			description: 'The Plaid user_id from Create User the new Item belongs to (Get User Items lists it)',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhook',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/plaid',
			description: "Where Plaid sends the new Item's webhooks: the Production URL of a Plaid Trigger node",
		},
	]),
];

export interface SandboxPublicTokenInput {
	institutionId: unknown;
	initialProducts: unknown;
	userId?: unknown;
	webhook?: unknown;
	overrideUsername?: unknown;
	overridePassword?: unknown;
}

/** Builds the `/sandbox/public_token/create` body, or throws a NodeOperationError naming the field to fix. */
export function buildSandboxPublicTokenRequest(at: ItemContext, input: SandboxPublicTokenInput, environment: PlaidEnvironment): IDataObject {
	if (environment === 'production') {
		throw invalidParameter(
			at,
			'Create Sandbox Public Token',
			'works only in Sandbox, but the credential is a Production one',
			'Choose a credential with Environment Sandbox; in Production, public tokens come from a Link session.',
		);
	}
	const institutionId = requireText(at, input.institutionId, 'Institution ID', 'Use a Sandbox institution, e.g. ins_109508 (First Platypus Bank).');
	if (!/^ins_\d+$/.test(institutionId)) {
		throw invalidParameter(at, 'Institution ID', `is not a Plaid institution ID: "${institutionId}"`, 'Institution IDs look like ins_109508 (First Platypus Bank in Sandbox).');
	}
	const initialProducts = readChoices(at, input.initialProducts, 'Initial Products', PRODUCTS);
	if (initialProducts.length === 0) {
		throw invalidParameter(at, 'Initial Products', 'is empty', 'Choose at least one product for the test Item, e.g. Auth.');
	}
	const body: IDataObject = { institution_id: institutionId, initial_products: initialProducts };
	const userId = readText(at, input.userId, 'User ID');
	if (userId !== '') body.user_id = userId;
	const options: IDataObject = {};
	const webhook = readText(at, input.webhook, 'Webhook URL');
	if (webhook !== '') {
		checkWebhookUrl(at, webhook, 'Webhook URL');
		options.webhook = webhook;
	}
	const username = readText(at, input.overrideUsername, 'Override Username');
	if (username !== '') options.override_username = username;
	const password = readText(at, input.overridePassword, 'Override Password');
	if (password !== '') options.override_password = password;
	if (Object.keys(options).length > 0) body.options = options;
	return body;
}

/** `/sandbox/public_token/create`: a public token for a new test Item, no Link session needed (Sandbox only). */
export const createSandboxPublicToken: PlaidOperation = {
	endpoint: '/sandbox/public_token/create',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		const additional = readParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
		return buildSandboxPublicTokenRequest(
			itemContext(context, itemIndex),
			{ institutionId: readParameter(context, 'institutionId', itemIndex, ''), initialProducts: readParameter(context, 'initialProducts', itemIndex, []), ...additional },
			environment,
		);
	},
	toOutput: (response: IDataObject) => ({ public_token: response.public_token, request_id: response.request_id }),
};
