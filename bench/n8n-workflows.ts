/**
 * The workflows the real-n8n benchmark publishes, each behind its own production webhook that takes
 * `POST {"user_id": "…"}` like the start example:
 * - bare: Webhook → Respond to Webhook with a constant, n8n's own SingleWebhook scenario with a
 *   Respond node (what any webhook execution costs);
 * - ours: examples/start-layer-onboarding.json itself, Webhook → Create Layer Session Token (Create
 *   User First) → Respond, three nodes;
 * - ours4: the same with a separate Create User node, four nodes (the example before Create User First);
 * - http: the same two Plaid calls from two HTTP Request nodes with n8n's Custom Auth credential
 *   (n8n's CredentialHttpNode scenario), as a user without this package builds it.
 */
import { randomUUID } from 'node:crypto';

import { exampleWorkflow } from '../e2e/stack';
import { HTTP_REQUEST_TYPE_VERSION } from './workflows';

export type Flow = 'bare' | 'ours' | 'ours4' | 'http';

export interface FlowJson {
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> } & Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export const FLOW_PATHS: Record<Flow, string> = {
	bare: 'bench/bare',
	ours: 'layer/start',
	ours4: 'bench/start-4-nodes',
	http: 'bench/http-request',
};

export const FLOW_LABELS: Record<Flow, string> = {
	bare: 'bare Webhook → Respond',
	ours: 'start workflow, 3 nodes (Create User First)',
	ours4: 'start workflow, 4 nodes (Create User node)',
	http: 'HTTP Request flow, 4 nodes (Custom Auth credential)',
};

/** Plaid calls each 2xx sign-up must have made, by `"<path> <status>"`. */
export const PLAID_CALLS: Record<Flow, string[]> = {
	bare: [],
	ours: ['/user/create 200', '/session/token/create 200'],
	ours4: ['/user/create 200', '/session/token/create 200'],
	http: ['/user/create 200', '/session/token/create 200'],
};

const WEBHOOK = 'Sign-up webhook';

function webhook(path: string): FlowJson['nodes'][number] {
	return {
		parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
		id: randomUUID(),
		name: WEBHOOK,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: randomUUID(),
	};
}

function respond(responseBody: string, x: number): FlowJson['nodes'][number] {
	return {
		parameters: { respondWith: 'json', responseBody, options: {} },
		id: randomUUID(),
		name: 'Respond',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.5,
		position: [x, 0],
	};
}

function line(name: string, nodes: FlowJson['nodes']): FlowJson {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

function plaidNode(name: string, parameters: Record<string, unknown>, x: number, credentialId: string): FlowJson['nodes'][number] {
	return {
		parameters,
		id: randomUUID(),
		name,
		type: 'n8n-nodes-plaid-layer.plaidLayer',
		typeVersion: 1,
		position: [x, 0],
		credentials: { plaidLayerApi: { id: credentialId, name: 'Plaid Layer account' } },
	};
}

function httpNode(name: string, url: string, jsonBody: string, x: number, credentialId: string): FlowJson['nodes'][number] {
	return {
		parameters: { method: 'POST', url, authentication: 'genericCredentialType', genericAuthType: 'httpCustomAuth', sendBody: true, specifyBody: 'json', jsonBody, options: {} },
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_TYPE_VERSION,
		position: [x, 0],
		credentials: { httpCustomAuth: { id: credentialId, name: 'Plaid keys' } },
	};
}

export function flowWorkflow(flow: Flow, plaid: { url: string; templateId: string }, credentials: { plaidLayerApi: string; httpCustomAuth: string }): FlowJson {
	switch (flow) {
		case 'bare':
			return line('Bench: bare webhook', [webhook(FLOW_PATHS.bare), respond('{ "ok": true }', 220)]);
		case 'ours': {
			const example = exampleWorkflow('start-layer-onboarding.json') as FlowJson;
			const nodes = example.nodes.map((node) =>
				node.credentials?.plaidLayerApi
					? { ...node, parameters: { ...node.parameters, templateId: plaid.templateId }, credentials: { plaidLayerApi: { id: credentials.plaidLayerApi, name: 'Plaid Layer account' } } }
					: node,
			);
			return { ...example, name: 'Bench: start workflow, 3 nodes', nodes };
		}
		case 'ours4':
			return line('Bench: start workflow, 4 nodes', [
				webhook(FLOW_PATHS.ours4),
				plaidNode('Create User', { resource: 'user', operation: 'create', clientUserId: '={{ $json.body.user_id }}', identity: {} }, 220, credentials.plaidLayerApi),
				plaidNode(
					'Create Layer Session Token',
					{
						resource: 'sessionToken',
						operation: 'create',
						templateId: plaid.templateId,
						userId: '={{ $json.user_id }}',
						clientUserId: `={{ $('${WEBHOOK}').item.json.body.user_id }}`,
						additionalFields: {},
					},
					440,
					credentials.plaidLayerApi,
				),
				respond("={{ { link_token: $json.link_token, expiration: $json.expiration, user_id: $('Create User').item.json.user_id } }}", 660),
			]);
		case 'http':
			return line('Bench: HTTP Request flow', [
				webhook(FLOW_PATHS.http),
				httpNode('Create user', `${plaid.url}/user/create`, '={ "client_user_id": "{{ $json.body.user_id }}" }', 220, credentials.httpCustomAuth),
				httpNode(
					'Create session token',
					`${plaid.url}/session/token/create`,
					`={ "template_id": "${plaid.templateId}", "user_id": "{{ $json.user_id }}", "user": { "client_user_id": "{{ $('${WEBHOOK}').item.json.body.user_id }}" } }`,
					440,
					credentials.httpCustomAuth,
				),
				respond('={{ { link_token: $json.link.link_token, expiration: $json.link.expiration, user_id: $json.link.user_id } }}', 660),
			]);
	}
}
