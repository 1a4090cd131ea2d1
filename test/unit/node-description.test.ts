/** The Plaid Layer node's description: every operation reachable, named in the subtitle, its secrets masked. */
import type { IDataObject, INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { findOperation } from '../../nodes/PlaidLayer/actions';
import { PlaidLayer } from '../../nodes/PlaidLayer/PlaidLayer.node';
import { LocalNodeTypes } from '../../runner/node-types';

const { description } = new PlaidLayer();
const properties = description.properties;
const resources = (properties.find((property) => property.name === 'resource')!.options as INodePropertyOptions[]).map((option) => String(option.value));
const operationsOf = (resource: string) =>
	properties
		.filter((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource))
		.flatMap((property) => property.options as INodePropertyOptions[]);

/** An expression of the description (subtitle, a hint's condition), as n8n evaluates it for a node with `parameters`. */
function evaluate(expression: string, parameters: IDataObject): unknown {
	const node: INode = { id: '1', name: 'Plaid Layer', type: 'n8n-nodes-plaid-layer.plaidLayer', typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new LocalNodeTypes() });
	return workflow.expression.getSimpleParameterValue(node, expression, 'manual', {});
}

test('every resource has operations, each with a module, and the subtitle names it as the operation list does', () => {
	const pairs = resources.flatMap((resource) => operationsOf(resource).map((option) => [resource, option] as const));
	expect(pairs).toHaveLength(18);
	for (const [resource, option] of pairs) {
		expect(findOperation(resource, String(option.value))).toBeDefined();
		expect(evaluate(String(description.subtitle), { resource, operation: option.value })).toBe(option.name);
	}
});

test('the names and values saved workflows depend on', () => {
	const byResource = Object.fromEntries(resources.map((resource) => [resource, operationsOf(resource).map((option) => option.value)]));
	expect(byResource).toEqual({
		account: ['getBalance', 'getAll'],
		auth: ['get'],
		identity: ['get', 'match'],
		item: ['exchangePublicToken', 'get', 'remove'],
		linkToken: ['create', 'get'],
		onboardingPage: ['render'],
		sandbox: ['createPublicToken'],
		sessionToken: ['create'],
		user: ['create', 'get', 'getItems', 'remove'],
		userAccountSession: ['get'],
	});
	const fieldsOf = (resource: string, operation: string) =>
		properties
			.filter((property) => property.displayOptions?.show?.resource?.includes(resource) && property.displayOptions.show.operation?.includes(operation))
			.map((property) => property.name);
	expect(fieldsOf('linkToken', 'create')).toEqual(['clientName', 'language', 'countryCodes', 'products', 'userId', 'clientUserId', 'additionalFields']);
	expect(fieldsOf('item', 'exchangePublicToken')).toEqual(['publicToken', 'leaveOut']);
	for (const [resource, operation] of [['item', 'get'], ['item', 'remove'], ['account', 'getAll'], ['account', 'getBalance'], ['auth', 'get'], ['identity', 'get'], ['identity', 'match']]) {
		expect(fieldsOf(resource, operation)[0]).toBe('accessToken');
	}
	for (const operation of ['get', 'remove', 'getItems']) expect(fieldsOf('user', operation)[0]).toBe('userId');
	expect(fieldsOf('linkToken', 'get')).toEqual(['linkToken']);
});

test('every token field is masked like a password, in collections too', () => {
	const all = (list: INodeProperties[]): INodeProperties[] => list.flatMap((property) => [property, ...all((property.options ?? []).filter((option): option is INodeProperties => 'displayName' in option))]);
	const tokenFields = all(properties).filter((property) => /Token$|^overridePassword$/.test(property.name));
	expect(tokenFields.map((property) => property.name)).toEqual(expect.arrayContaining(['accessToken', 'publicToken', 'linkToken', 'overridePassword']));
	for (const field of tokenFields) expect(field.typeOptions?.password).toBe(true);
});

test('outputs that carry access tokens say so in a hint, unless Leave Out drops them', () => {
	const hint = description.hints!.find((entry) => /access tokens/.test(entry.message))!;
	expect(hint).toMatchObject({ type: 'warning', location: 'outputPane', whenToDisplay: 'afterExecution' });
	const shown = (parameters: IDataObject) => evaluate(String(hint.displayCondition), parameters);
	expect(shown({ resource: 'item', operation: 'exchangePublicToken' })).toBe(true);
	expect(shown({ resource: 'item', operation: 'exchangePublicToken', leaveOut: [] })).toBe(true);
	expect(shown({ resource: 'item', operation: 'exchangePublicToken', leaveOut: ['access_token'] })).toBe(false);
	expect(shown({ resource: 'userAccountSession', operation: 'get', leaveOut: ['ssn'] })).toBe(true);
	expect(shown({ resource: 'userAccountSession', operation: 'get', leaveOut: ['ssn', 'access_token'] })).toBe(false);
	for (const [resource, operation] of [['item', 'get'], ['auth', 'get'], ['user', 'getItems'], ['linkToken', 'get']]) expect(shown({ resource, operation })).toBe(false);
});
