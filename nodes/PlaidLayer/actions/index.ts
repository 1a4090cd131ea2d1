import type { INodeProperties } from 'n8n-workflow';

import { createSessionToken } from './sessionToken/create.operation';
import type { PlaidOperation } from './types';

/** resource → operation → its module. The execute loop looks operations up here. */
const operations: Record<string, Record<string, PlaidOperation>> = {
	sessionToken: { create: createSessionToken },
};

export function findOperation(resource: string, operation: string): PlaidOperation | undefined {
	return operations[resource]?.[operation];
}

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Session Token', value: 'sessionToken' }],
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
	...createSessionToken.properties,
];
