/**
 * Serves a trigger workflow on 127.0.0.1 the way n8n's webhook server does: each POST reaches
 * the trigger node's `webhook()` through n8n-core's WebhookContext with the raw body kept, the
 * trigger's answer goes back to the caller, and the workflow runs when the trigger says so.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode, IWebhookData, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { LocalCredentialsHelper } from './credentials-helper';
import { LocalNodeTypes } from './node-types';
import { additionalDataFor, runWorkflow, type WorkflowDefinition, type WorkflowRun } from './run-workflow';

export interface TriggerServer {
	/** Where the trigger listens: give this to Plaid (here: to the emulator). */
	webhookUrl: string;
	/** Every workflow run the trigger started, in order. */
	runs: WorkflowRun[];
	/** Resolves once every started run has finished. */
	idle(): Promise<void>;
	stop(): Promise<void>;
}

const WEBHOOK_PATH = '/webhook/plaid';

/** The parts of Express's request and response that trigger nodes use. */
function expressLike(request: IncomingMessage, response: ServerResponse, rawBody: Buffer) {
	let body: unknown = {};
	if (String(request.headers['content-type'] ?? '').includes('json')) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	const req = Object.assign(request, { rawBody, body, query: {}, params: {} });
	const res = Object.assign(response, {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(value: unknown) {
			response.setHeader('Content-Type', 'application/json; charset=utf-8');
			response.end(JSON.stringify(value));
			return res;
		},
		send(value: string) {
			response.end(value);
			return res;
		},
	});
	return { req, res };
}

export async function serveTriggerWorkflow(
	definition: WorkflowDefinition,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): Promise<TriggerServer> {
	const nodeTypes = new LocalNodeTypes();
	const trigger = definition.nodes.find((node) => nodeTypes.getByNameAndVersion(node.type, node.typeVersion).webhook) as INode;
	if (!trigger) throw new Error('The workflow has no webhook trigger');
	const triggerType = nodeTypes.getByNameAndVersion(trigger.type, trigger.typeVersion);
	const runs: WorkflowRun[] = [];
	const pending = new Set<Promise<void>>();

	async function handle(request: IncomingMessage, response: ServerResponse, rawBody: Buffer): Promise<void> {
		if (request.method !== 'POST' || request.url !== WEBHOOK_PATH) {
			response.writeHead(404).end();
			return;
		}
		const { req, res } = expressLike(request, response, rawBody);
		const workflow = new Workflow({ id: 'local', nodes: definition.nodes, connections: definition.connections, active: true, nodeTypes });
		const additionalData = { ...additionalDataFor(new LocalCredentialsHelper(credentials)), httpRequest: req, httpResponse: res };
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: trigger.name,
			path: WEBHOOK_PATH,
			webhookDescription: triggerType.description.webhooks![0],
			workflowId: 'local',
			workflowExecuteAdditionalData: additionalData as never,
		};
		const context = new WebhookContext(workflow, trigger, additionalData as never, 'webhook', webhookData, [], null);
		let result: IWebhookResponseData;
		try {
			result = await triggerType.webhook!.call(context);
		} catch (error) {
			res.status(500).json({ message: (error as Error).message });
			return;
		}
		if (!result.noWebhookResponse) res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
		if (result.workflowData) {
			const run = runWorkflow(definition, { mode: 'webhook', credentials, triggerItems: result.workflowData[0] });
			const done = run.then((finished) => {
				runs.push(finished);
			});
			pending.add(done);
			void done.finally(() => pending.delete(done));
		}
	}

	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => void handle(request, response, Buffer.concat(chunks)));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
		runs,
		idle: async () => {
			await Promise.all([...pending]);
		},
		stop: async () => {
			await Promise.all([...pending]);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
