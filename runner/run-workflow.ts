/**
 * Runs a workflow (n8n's exported JSON) through n8n-core's real WorkflowExecute, the engine n8n's
 * server runs, with this package's nodes and a few n8n-nodes-base nodes. The demo, the
 * integration tests and the benchmark all run workflows through here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteResponsePromiseData,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { LocalCredentialsHelper } from './credentials-helper';
import { releaseN8nTimers } from './n8n-compat';
import { LocalNodeTypes } from './node-types';

export type WorkflowDefinition = Pick<IWorkflowBase, 'nodes' | 'connections'> &
	Partial<Pick<IWorkflowBase, 'name' | 'settings'>>;

export interface RunOptions {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** What the start node emits, e.g. the webhook request `{ headers, query, body }`. */
	triggerItems?: INodeExecutionData[];
	mode?: WorkflowExecuteMode;
}

export interface WorkflowRun {
	run: IRun;
	/** The workflow-level error, when a node failed without continue-on-fail. */
	error?: ExecutionError;
	/** What a Respond to Webhook node answered, if one ran. */
	webhookResponse?: IExecuteResponsePromiseData;
	credentialsHelper: LocalCredentialsHelper;
	/** Output items of a node's first run, first output. */
	itemsOf(nodeName: string): INodeExecutionData[];
	/** The `json` of those items. */
	jsonOf(nodeName: string): IDataObject[];
}

// n8n-core keeps instance settings (an encryption key) in a user folder; give it a throwaway one
// instead of writing to the home directory, removed when this process ends. (The test suites give
// one to the whole run: test/support/global-setup.js.)
if (!process.env.N8N_USER_FOLDER) {
	const userFolder = mkdtempSync(join(tmpdir(), 'plaid-layer-runner-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.once('exit', () => rmSync(userFolder, { recursive: true, force: true }));
}
process.env.N8N_ENCRYPTION_KEY ??= randomBytes(24).toString('hex');

const nodeTypes = new LocalNodeTypes();

export function additionalDataFor(
	credentialsHelper: LocalCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available to the local runner');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: async () => {},
		startRunnerTask: async () => {
			throw new Error('Task runners are not available to the local runner');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The node nothing connects into: the trigger the run starts from. */
function startNodeOf(workflow: Workflow): INode {
	const fed = new Set(
		Object.values(workflow.connectionsBySourceNode).flatMap((outputs) =>
			Object.values(outputs).flatMap((byIndex) => byIndex.flatMap((targets) => (targets ?? []).map((target) => target.node))),
		),
	);
	const start = Object.values(workflow.nodes).find((node) => !fed.has(node.name) && !node.disabled);
	if (!start) throw new Error('The workflow has no start node');
	return start;
}

export async function runWorkflow(definition: WorkflowDefinition, options: RunOptions): Promise<WorkflowRun> {
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: 'local',
		name: definition.name ?? 'local',
		nodes: definition.nodes,
		connections: definition.connections,
		nodeTypes,
		settings: definition.settings ?? {},
		active: false,
	});

	const credentialsHelper = new LocalCredentialsHelper(options.credentials);
	const hooks = new ExecutionLifecycleHooks(mode, 'local-execution', {
		id: 'local',
		name: definition.name ?? 'local',
		nodes: definition.nodes,
		connections: definition.connections,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as IWorkflowBase);
	let finishedRun: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		finishedRun = fullRunData;
	});
	let webhookResponse: IExecuteResponsePromiseData | undefined;
	hooks.addHandler('sendResponse', (response) => {
		webhookResponse = response;
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNodeOf(workflow),
					data: { main: [options.triggerItems ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const execution = new WorkflowExecute(additionalDataFor(credentialsHelper, hooks), mode, runExecutionData);
	let returned: IRun;
	try {
		returned = await execution.processRunExecutionData(workflow);
	} finally {
		releaseN8nTimers();
	}
	// The workflowExecuteAfter hook sees the run as n8n's server stores it.
	const run = finishedRun ?? returned;

	const itemsOf = (nodeName: string): INodeExecutionData[] =>
		run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
	return {
		run,
		error: run.data.resultData.error,
		webhookResponse,
		credentialsHelper,
		itemsOf,
		jsonOf: (nodeName) => itemsOf(nodeName).map((item) => item.json),
	};
}
