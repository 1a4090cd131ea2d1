import type { INodeProperties } from 'n8n-workflow';

import { createSessionToken } from './sessionToken/create.operation';
import type { PlaidOperation } from './types';

interface Resource {
	name: string;
	operations: Record<string, { name: string; action: string; description: string; operation: PlaidOperation }>;
}

/**
 * Every resource and operation the node offers. Adding an operation means adding one module and
 * one entry here; the node description and the execute loop are derived from this table.
 */
const resources: Record<string, Resource> = {
	sessionToken: {
		name: 'Session Token',
		operations: {
			create: {
				name: 'Create Layer Session Token',
				action: 'Create a Layer session token',
				description: 'Create the link_token that starts Plaid Layer in your front end',
				operation: createSessionToken,
			},
		},
	},
};

export function findOperation(resource: string, operation: string): PlaidOperation | undefined {
	return resources[resource]?.operations[operation]?.operation;
}

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: Object.entries(resources).map(([value, { name }]) => ({ name, value })),
	default: Object.keys(resources)[0],
};

const operationProperties: INodeProperties[] = Object.entries(resources).map(
	([resource, { operations }]) => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: Object.entries(operations).map(([value, { name, action, description }]) => ({
			name,
			value,
			action,
			description,
		})),
		default: Object.keys(operations)[0],
	}),
);

export const nodeProperties: INodeProperties[] = [
	resourceProperty,
	...operationProperties,
	...Object.values(resources).flatMap(({ operations }) =>
		Object.values(operations).flatMap(({ operation }) => operation.properties),
	),
];
