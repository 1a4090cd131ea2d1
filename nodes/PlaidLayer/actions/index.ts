import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsProperty } from './execute';
import { renderLayerOnboardingPage } from './onboardingPage/render.operation';
import { createSessionToken } from './sessionToken/create.operation';
import type { NodeOperation } from './types';
import { createUser } from './user/create.operation';
import { getUserAccountSession } from './userAccountSession/get.operation';

/** resource → operation → its module. The execute loop looks operations up here. */
const operations: Record<string, Record<string, NodeOperation>> = {
	user: { create: createUser },
	sessionToken: { create: createSessionToken },
	userAccountSession: { get: getUserAccountSession },
	onboardingPage: { render: renderLayerOnboardingPage },
};

export function findOperation(resource: string, operation: string): NodeOperation | undefined {
	return operations[resource]?.[operation];
}

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Onboarding Page', value: 'onboardingPage' },
			{ name: 'Session Token', value: 'sessionToken' },
			{ name: 'User', value: 'user' },
			{ name: 'User Account Session', value: 'userAccountSession' },
		],
		default: 'sessionToken',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sessionToken'] } },
		options: [
			{
				name: 'Create Layer Session Token',
				value: 'create',
				action: 'Create a layer session token',
				description: 'Create the link_token that starts Plaid Layer in your front end',
			},
		],
		default: 'create',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create User',
				value: 'create',
				action: 'Create a user',
				description: 'Create a Plaid user; its user_id can start a Layer session',
			},
		],
		default: 'create',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userAccountSession'] } },
		options: [
			{
				name: 'Get User Account Session',
				value: 'get',
				action: 'Get a user account session',
				description: 'Get the identity and accounts a user shared in a finished Layer session',
			},
		],
		default: 'get',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['onboardingPage'] } },
		options: [
			{
				name: 'Render Layer Onboarding Page',
				value: 'render',
				action: 'Render a layer onboarding page',
				description:
					'Build the HTML page that runs Plaid Layer in the browser and posts the result to your workflow; sends no request to Plaid',
			},
		],
		default: 'render',
	},
	...createSessionToken.properties,
	...createUser.properties,
	...getUserAccountSession.properties,
	...renderLayerOnboardingPage.properties,
	requestOptionsProperty,
];
