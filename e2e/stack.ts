/**
 * Everything the end-to-end tests and `npm run n8n` need running: the Plaid emulator, a guard
 * that records any attempt to leave 127.0.0.1, and a real n8n with this package installed, its
 * owner set up and logged in, the Plaid Layer API credential pointing at the emulator, and both
 * example workflows imported with that credential (optionally activated).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PlaidEmulator } from '../emulator/server';
import { log, repoRoot } from './install';
import { checkPackageLoaded, N8nClient, N8nServer, OWNER, type N8nStartOptions } from './n8n';
import { OutboundGuard } from './outbound-guard';

export const CREDENTIAL_NAME = 'Plaid Layer account';
export const START_WORKFLOW = 'Start Layer onboarding';
export const FINISH_WORKFLOW = 'Finish Layer onboarding';

interface WorkflowJson {
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
	connections: unknown;
	settings?: unknown;
}

export interface ImportedWorkflow {
	id: string;
	versionId: string;
	name: string;
	json: WorkflowJson;
}

export interface Stack {
	emulator: PlaidEmulator;
	guard: OutboundGuard;
	n8n: N8nServer;
	client: N8nClient;
	credentialId: string;
	start: ImportedWorkflow;
	finish: ImportedWorkflow;
	/** The Plaid Trigger's production webhook URL: n8n 2.x serves `/webhook/<webhookId>/<path>`. */
	triggerWebhookUrl: string;
	/** The sign-up webhook's production URL (the Webhook node's full path `layer/start`). */
	startWebhookUrl: string;
	stop(): Promise<void>;
}

export function exampleWorkflow(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(repoRoot, 'examples', file), 'utf8')) as WorkflowJson;
}

/** The example with our credential filled into every node that uses plaidLayerApi. */
export function withCredential(workflow: WorkflowJson, credentialId: string): WorkflowJson {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.credentials?.plaidLayerApi ? { ...node, credentials: { ...node.credentials, plaidLayerApi: { id: credentialId, name: CREDENTIAL_NAME } } } : node,
		),
	};
}

export async function importWorkflow(client: N8nClient, json: WorkflowJson): Promise<ImportedWorkflow> {
	const created = await client.rest<{ id: string; versionId: string }>('POST', '/rest/workflows', {
		name: json.name,
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings ?? {},
		active: false,
	});
	return { id: created.id, versionId: created.versionId, name: json.name, json };
}

interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

/** Activation in 2.41 only queues the publication; its webhooks answer once the status says published. */
export async function activateWorkflow(client: N8nClient, workflow: ImportedWorkflow, timeoutMs = 30_000): Promise<void> {
	await client.rest('POST', `/rest/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
	const deadline = Date.now() + timeoutMs;
	let last: PublicationStatus | undefined;
	while (Date.now() < deadline) {
		last = await client.rest<PublicationStatus>('GET', `/rest/workflows/${workflow.id}/publication-status`);
		if (last.status === 'published' && last.liveVersionId === workflow.versionId) return;
		if (last.status === 'failed' || last.status === 'partial') break;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`workflow "${workflow.name}" was not published: ${JSON.stringify(last)}`);
}

/** The emulator's port when it is free, so the credential dialog (and its screenshot in docs/) shows the same Base URL every run. */
const PREFERRED_EMULATOR_PORT = 24_680;

async function startEmulator(): Promise<PlaidEmulator> {
	try {
		return await PlaidEmulator.start({ port: PREFERRED_EMULATOR_PORT });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
		return await PlaidEmulator.start();
	}
}

export async function startStack(options: { activate?: boolean; n8n?: N8nStartOptions } = {}): Promise<Stack> {
	const started = Date.now();
	const emulator = await startEmulator();
	const guard = await OutboundGuard.start();
	let n8n: N8nServer | undefined;
	try {
		n8n = await N8nServer.start({ ...options.n8n, env: { ...guard.env(), ...options.n8n?.env } });
		const client = new N8nClient(n8n.url);
		await client.setupOwner(OWNER);
		await client.login(OWNER);
		await checkPackageLoaded(n8n, client);

		const credential = await client.rest<{ id: string }>('POST', '/rest/credentials', {
			name: CREDENTIAL_NAME,
			type: 'plaidLayerApi',
			data: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
		});
		const start = await importWorkflow(client, withCredential(exampleWorkflow('start-layer-onboarding.json'), credential.id));
		const finish = await importWorkflow(client, withCredential(exampleWorkflow('finish-layer-onboarding.json'), credential.id));
		if (options.activate) {
			await activateWorkflow(client, start);
			await activateWorkflow(client, finish);
		}
		const trigger = finish.json.nodes.find((node) => node.type === 'n8n-nodes-plaid-layer.plaidTrigger')!;
		const signUp = start.json.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!;
		log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: n8n ${n8n.url}, emulator ${emulator.url}`);
		const server = n8n;
		return {
			emulator,
			guard,
			n8n: server,
			client,
			credentialId: credential.id,
			start,
			finish,
			triggerWebhookUrl: `${server.url}/webhook/${trigger.webhookId}/webhook`,
			startWebhookUrl: `${server.url}/webhook/${String(signUp.parameters.path)}`,
			async stop() {
				await server.stop();
				await guard.stop();
				await emulator.stop();
			},
		};
	} catch (error) {
		await n8n?.stop({ keepUserFolder: true });
		await guard.stop();
		await emulator.stop();
		throw error;
	}
}
