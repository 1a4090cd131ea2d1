/**
 * Executions as n8n 2.41's REST API reports them: GET /rest/executions?filter={"workflowId"} for
 * the list, GET /rest/executions/:id for one run, whose `data` is n8n's run data serialized with
 * `flatted` (parsed here with n8n's own copy of flatted, from the cached install).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { N8nClient, N8nServer } from './n8n';

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: 'new' | 'running' | 'success' | 'error' | 'crashed' | 'canceled' | 'waiting' | 'unknown';
	startedAt: string | null;
	stoppedAt: string | null;
}

interface NodeRun {
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	error?: { message?: string; description?: string };
}

export interface ExecutionDetail {
	id: string;
	status: ExecutionSummary['status'];
	mode: string;
	lastNodeExecuted?: string;
	error?: { message?: string };
	runData: Record<string, NodeRun[]>;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

export async function listExecutions(client: N8nClient, workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { results } = await client.rest<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}`);
	return results;
}

/** Waits until the workflow has at least `count` executions and all of them have finished. */
export async function waitForExecutions(client: N8nClient, workflowId: string, count: number, timeoutMs = 30_000): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let executions: ExecutionSummary[] = [];
	while (Date.now() < deadline) {
		executions = await listExecutions(client, workflowId);
		if (executions.length >= count && executions.every((execution) => FINISHED.has(execution.status))) return executions;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`workflow ${workflowId} has ${executions.length} execution(s) (${executions.map((e) => e.status).join(', ')}), expected ${count} finished`);
}

export async function getExecution(server: N8nServer, client: N8nClient, id: string): Promise<ExecutionDetail> {
	const detail = await client.rest<{ id: string; status: ExecutionSummary['status']; mode: string; data: string }>('GET', `/rest/executions/${id}`);
	const flatted = createRequire(join(server.install.dir, 'node_modules/n8n/package.json'))('flatted') as { parse(text: string): unknown };
	const data = flatted.parse(detail.data) as { resultData: { runData: Record<string, NodeRun[]>; lastNodeExecuted?: string; error?: { message?: string } } };
	return {
		id: detail.id,
		status: detail.status,
		mode: detail.mode,
		lastNodeExecuted: data.resultData.lastNodeExecuted,
		error: data.resultData.error,
		runData: data.resultData.runData,
	};
}

/** The JSON of every item a node put on its first output in its last run ([] when it did not run). */
export function outputOf(execution: ExecutionDetail, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.runData[nodeName];
	if (!runs?.length) return [];
	return (runs[runs.length - 1].data?.main?.[0] ?? []).map((item) => item.json);
}
