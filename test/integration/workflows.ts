/** Workflows the integration tests run: a webhook-style source, our node, and a node after it. */
import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import type { WorkflowDefinition } from '../../runner/run-workflow';

export const PLAID_NODE = 'Plaid Layer';
export const NEXT_NODE = 'Use token';

/** Connects nodes in a line, first to last. */
export function chain(nodes: INode[]): WorkflowDefinition {
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { nodes, connections };
}

export function webhookSource(name = 'Sign-up webhook'): INode {
	return {
		id: 'source',
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		parameters: { httpMethod: 'POST', path: 'signup', options: {} },
		webhookId: 'source-webhook',
	};
}

/** The Plaid Layer node on Create Layer Session Token, the operation most tests run. */
export function plaidLayerNode(parameters: IDataObject, options: { continueOnFail?: boolean } = {}): INode {
	return { ...plaidNode(PLAID_NODE, { resource: 'sessionToken', operation: 'create', ...parameters }, options), id: 'plaid' };
}

/** An Edit Fields (Set) node that reads the token through expressions, as a user's next step would. */
export function useTokenNode(): INode {
	return {
		id: 'next',
		name: NEXT_NODE,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [400, 0],
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: [
					{ id: 'a1', name: 'token', type: 'string', value: '={{ $json.link_token }}' },
					{ id: 'a2', name: 'open_url', type: 'string', value: '=https://app.example.com/onboard#{{ $json.link_token }}' },
					{ id: 'a3', name: 'for_user', type: 'string', value: "={{ $('Sign-up webhook').item.json.body.user }}" },
				],
			},
			options: {},
		},
	};
}

export function sessionTokenWorkflow(parameters: IDataObject, options: { continueOnFail?: boolean } = {}): WorkflowDefinition {
	return chain([webhookSource(), plaidLayerNode(parameters, options), useTokenNode()]);
}

/** Webhook node output items for sign-ups of these users. */
export function signups(...users: string[]) {
	return users.map((user) => ({ json: { headers: {}, params: {}, query: {}, body: { user } } }));
}

/** A Plaid Layer node of any resource and operation, named as the user would see it. */
export function plaidNode(name: string, parameters: IDataObject, options: { continueOnFail?: boolean } = {}): INode {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: 'n8n-nodes-plaid-layer.plaidLayer',
		typeVersion: 1,
		position: [200, 0],
		parameters: parameters as INode['parameters'],
		credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** An Edit Fields (Set) node whose fields are expressions, as a user's next step reads our output. */
export function readNode(name: string, fields: Record<string, string>): INode {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [400, 0],
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: Object.entries(fields).map(([field, value], i) => ({ id: `f${i}`, name: field, type: 'string', value })),
			},
			options: {},
		},
	};
}
