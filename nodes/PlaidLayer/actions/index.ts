import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { getBalance } from './account/getBalance.operation';
import { getManyAccounts } from './account/getAll.operation';
import { getAuth } from './auth/get.operation';
import { requestOptionsProperty } from './execute';
import { getIdentity } from './identity/get.operation';
import { matchIdentity } from './identity/match.operation';
import { exchangePublicToken } from './item/exchangePublicToken.operation';
import { getItem } from './item/get.operation';
import { removeItem } from './item/remove.operation';
import { createLinkToken } from './linkToken/create.operation';
import { getLinkToken } from './linkToken/get.operation';
import { renderLayerOnboardingPage } from './onboardingPage/render.operation';
import { createSandboxPublicToken } from './sandbox/createPublicToken.operation';
import { createSessionToken } from './sessionToken/create.operation';
import type { NodeOperation } from './types';
import { createUser } from './user/create.operation';
import { getUser } from './user/get.operation';
import { getUserItems } from './user/getItems.operation';
import { removeUser } from './user/remove.operation';
import { getUserAccountSession } from './userAccountSession/get.operation';

/** resource → operation → its module. The execute loop looks operations up here. */
const operations: Record<string, Record<string, NodeOperation>> = {
	account: { getAll: getManyAccounts, getBalance },
	auth: { get: getAuth },
	identity: { get: getIdentity, match: matchIdentity },
	item: { exchangePublicToken, get: getItem, remove: removeItem },
	linkToken: { create: createLinkToken, get: getLinkToken },
	onboardingPage: { render: renderLayerOnboardingPage },
	sandbox: { createPublicToken: createSandboxPublicToken },
	sessionToken: { create: createSessionToken },
	user: { create: createUser, get: getUser, getItems: getUserItems, remove: removeUser },
	userAccountSession: { get: getUserAccountSession },
};

export function findOperation(resource: string, operation: string): NodeOperation | undefined {
	return operations[resource]?.[operation];
}

/** The Operation field of one resource: its choices (sorted by name), the first named default. */
function operationProperty(resource: string, options: INodePropertyOptions[], defaultOperation: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultOperation,
	};
}

const operationProperties: INodeProperties[] = [
	operationProperty(
		'account',
		[
			{
				name: 'Get Balance',
				value: 'getBalance',
				action: 'Get real-time balances',
				description: 'Get the real-time balance of each account of an Item, fetched from the bank now (/accounts/balance/get)',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many accounts',
				description: 'Get the accounts of an Item, with balances as Plaid last saw them (/accounts/get, free)',
			},
		],
		'getAll',
	),
	operationProperty(
		'auth',
		[
			{
				name: 'Get Auth',
				value: 'get',
				action: 'Get account and routing numbers',
				description: 'Get the account and routing numbers of the checking and savings accounts of an Item (/auth/get)',
			},
		],
		'get',
	),
	operationProperty(
		'identity',
		[
			{
				name: 'Get Identity',
				value: 'get',
				action: 'Get account holder identity',
				description: "Get the names, phone numbers, emails and addresses the bank has on file for the accounts' owners (/identity/get)",
			},
			{
				name: 'Match Identity',
				value: 'match',
				action: 'Match identity against the account holder',
				description: "Score how well your user's name, phone, email and address match the bank's account holder (/identity/match)",
			},
		],
		'get',
	),
	operationProperty(
		'item',
		[
			{
				name: 'Exchange Public Token',
				value: 'exchangePublicToken',
				action: 'Exchange a public token',
				description: 'Turn the public_token of a finished Link session into the access_token of the Item, once',
			},
			{ name: 'Get Item', value: 'get', action: 'Get an item', description: "Get an Item's institution, products and status" },
			{
				name: 'Remove Item',
				value: 'remove',
				action: 'Remove an item',
				description: 'End the bank connection; its access token stops working',
			},
		],
		'exchangePublicToken',
	),
	operationProperty(
		'linkToken',
		[
			{
				name: 'Create Link Token',
				value: 'create',
				action: 'Create a link token',
				description: 'Create the link_token that starts standard Plaid Link (for everyone Layer cannot serve, and update mode)',
			},
			{
				name: 'Get Link Token',
				value: 'get',
				action: 'Get a link token',
				description: "Get a link_token's sessions and their public tokens, to finish a Link session without a front-end callback",
			},
		],
		'create',
	),
	operationProperty(
		'onboardingPage',
		[
			{
				name: 'Render Layer Onboarding Page',
				value: 'render',
				action: 'Render a layer onboarding page',
				description:
					'Build the HTML page that runs Plaid Layer in the browser and posts the result to your workflow; sends no request to Plaid',
			},
		],
		'render',
	),
	operationProperty(
		'sandbox',
		[
			{
				name: 'Create Sandbox Public Token',
				value: 'createPublicToken',
				action: 'Create a sandbox public token',
				description: 'Create a public token for a new test Item without Link (Plaid Sandbox only)',
			},
		],
		'createPublicToken',
	),
	operationProperty(
		'sessionToken',
		[
			{
				name: 'Create Layer Session Token',
				value: 'create',
				action: 'Create a layer session token',
				description: 'Create the link_token that starts Plaid Layer in your front end',
			},
		],
		'create',
	),
	operationProperty(
		'user',
		[
			{
				name: 'Create User',
				value: 'create',
				action: 'Create a user',
				description: 'Create a Plaid user; its user_id can start a Layer or Link session',
			},
			{ name: 'Get User', value: 'get', action: 'Get a user', description: 'Get what Plaid holds about a user' },
			{
				name: 'Get User Items',
				value: 'getItems',
				action: 'Get the items of a user',
				description: "Get the Items (bank connections) linked in a user's sessions, with their status",
			},
			{ name: 'Remove User', value: 'remove', action: 'Remove a user', description: 'Delete a user and their Items' },
		],
		'create',
	),
	operationProperty(
		'userAccountSession',
		[
			{
				name: 'Get User Account Session',
				value: 'get',
				action: 'Get a user account session',
				description: 'Get the identity and accounts a user shared in a finished Layer session',
			},
		],
		'get',
	),
];

/** "resource:operation" → the operation's name, for the node's subtitle. */
export const operationNames: Record<string, string> = Object.fromEntries(
	operationProperties.flatMap((property) =>
		(property.options as INodePropertyOptions[]).map((option) => [`${property.displayOptions!.show!.resource![0]}:${option.value}`, option.name]),
	),
);

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Auth', value: 'auth' },
			{ name: 'Identity', value: 'identity' },
			{ name: 'Item', value: 'item' },
			{ name: 'Link Token', value: 'linkToken' },
			{ name: 'Onboarding Page', value: 'onboardingPage' },
			{ name: 'Sandbox', value: 'sandbox' },
			{ name: 'Session Token', value: 'sessionToken' },
			{ name: 'User', value: 'user' },
			{ name: 'User Account Session', value: 'userAccountSession' },
		],
		default: 'sessionToken',
	},
	...operationProperties,
	...Object.values(operations).flatMap((byOperation) => Object.values(byOperation).flatMap((operation) => operation.properties)),
	requestOptionsProperty,
];
