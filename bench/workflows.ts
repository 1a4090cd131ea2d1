/**
 * The two n8n workflows the benchmark runs: a webhook-style source emitting `{ user }` items into
 * either our Plaid Layer node or an HTTP Request node set up by hand for the same Plaid call.
 */
import type { INode, INodeExecutionData } from 'n8n-workflow';

import type { WorkflowDefinition } from '../runner/run-workflow';
import { chain, plaidLayerNode, webhookSource } from '../test/integration/workflows';
import type { EmulatorTarget } from './emulator-host';
import { MINIMAL_NODE_TYPE } from './minimal-node';

export const SOURCE_NODE = 'Source';
export const PLAID_NODE = 'Plaid Layer';
export const HTTP_NODE = 'HTTP Request';

/** What n8n 2.41 gives a newly added HTTP Request node (its `defaultVersion`). */
export const HTTP_REQUEST_TYPE_VERSION = 4.5;

/** The items a sign-up source hands on: one `{ user }` per item. */
export function userItems(count: number, prefix = 'user'): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({ json: { user: `${prefix}-${String(i).padStart(6, '0')}` } }));
}

/**
 * Source → Plaid Layer (Create Layer Session Token), `requestOptions.concurrency` = concurrency.
 * clientUserId is the expression `{{ $json.user }}` unless a constant is given (to price the expression).
 */
export function plaidLayerWorkflow(target: EmulatorTarget, concurrency: number, clientUserId = '={{ $json.user }}'): WorkflowDefinition {
	return chain([
		webhookSource(SOURCE_NODE),
		plaidLayerNode({
			templateId: target.templateId,
			clientUserId,
			requestOptions: { concurrency },
		}),
	]);
}

export interface HttpBatching {
	/** `options.batching.batch.batchSize`: items per batch. */
	batchSize: number;
	/** `options.batching.batch.batchInterval` (ms) between batches; 0 = no pause at all. */
	batchIntervalMs: number;
}

/**
 * Source → HTTP Request, the way a no-code user builds the call from Plaid's docs: POST, "Send
 * Body", "Specify Body: Using JSON", the JSON pasted from Plaid's curl sample (client_id and secret
 * in the body, as Plaid's docs show them) with `{{ $json.user }}` for the user. No credential.
 */
export function httpRequestWorkflow(target: EmulatorTarget, batching?: HttpBatching): WorkflowDefinition {
	const jsonBody = [
		'={',
		`  "client_id": "${target.clientId}",`,
		`  "secret": "${target.secret}",`,
		`  "template_id": "${target.templateId}",`,
		'  "user": { "client_user_id": "{{ $json.user }}" }',
		'}',
	].join('\n');
	const node: INode = {
		id: 'http',
		name: HTTP_NODE,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_TYPE_VERSION,
		position: [200, 0],
		parameters: {
			method: 'POST',
			url: `${target.url}/session/token/create`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody,
			options: batching
				? { batching: { batch: { batchSize: batching.batchSize, batchInterval: batching.batchIntervalMs } } }
				: {},
		},
	};
	return chain([webhookSource(SOURCE_NODE), node]);
}

export const MINIMAL_NODE = 'Minimal Session Token';

/** Source → the benchmark's minimal node with the same parameters as plaidLayerWorkflow. */
export function minimalNodeWorkflow(target: EmulatorTarget): WorkflowDefinition {
	const node: INode = {
		id: 'minimal',
		name: MINIMAL_NODE,
		type: MINIMAL_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: { templateId: target.templateId, userId: '', clientUserId: '={{ $json.user }}', additionalFields: {} },
		credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
	};
	return chain([webhookSource(SOURCE_NODE), node]);
}

/**
 * n8n's Custom Auth credential (httpCustomAuth) carrying Plaid's two headers: the credential a user
 * without this package would pick for Plaid (Header Auth holds a single header).
 */
export function plaidCustomAuth(target: EmulatorTarget): { json: string } {
	return { json: JSON.stringify({ headers: { 'PLAID-CLIENT-ID': target.clientId, 'PLAID-SECRET': target.secret } }) };
}

/** An HTTP Request node POSTing a JSON body to Plaid with the Custom Auth credential. */
export function plaidHttpRequestNode(name: string, url: string, jsonBody: string, position: [number, number], id = name): INode {
	return {
		id,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_TYPE_VERSION,
		position,
		parameters: {
			method: 'POST',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpCustomAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody,
			options: {},
		},
		credentials: { httpCustomAuth: { id: '2', name: 'Plaid keys' } },
	};
}

/** Source → HTTP Request with the Custom Auth credential: the keys in headers, the body as an expression. */
export function httpRequestCredentialWorkflow(target: EmulatorTarget): WorkflowDefinition {
	const jsonBody = `={ "template_id": "${target.templateId}", "user": { "client_user_id": "{{ $json.user }}" } }`;
	return chain([webhookSource(SOURCE_NODE), plaidHttpRequestNode(HTTP_NODE, `${target.url}/session/token/create`, jsonBody, [200, 0], 'http')]);
}
