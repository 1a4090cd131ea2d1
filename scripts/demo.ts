/**
 * The main job: runs the example onboarding through n8n-core. "Start Layer onboarding" answers a
 * sign-up with a link_token; then (emulator only) the user finishes Layer, Plaid's signed
 * SESSION_FINISHED webhook reaches "Finish Layer onboarding", which fetches what the user shared.
 * Against the embedded Plaid emulator by default; against Plaid Sandbox when PLAID_CLIENT_ID,
 * PLAID_SECRET and PLAID_TEMPLATE_ID are set (Sandbox cannot fire Layer webhooks on demand, so
 * the demo stops after the token there).
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import finishExample from '../examples/finish-layer-onboarding.json';
import startExample from '../examples/start-layer-onboarding.json';
import { DEFAULT_TEMPLATE_ID, PlaidEmulator } from '../emulator/server';
import { runWorkflow, type WorkflowDefinition, type WorkflowRun } from '../runner/run-workflow';
import { serveTriggerWorkflow } from '../runner/webhook-server';

const SESSION_TOKEN_NODE = 'Create Layer Session Token';
const RESULT_NODE = 'Shape onboarding result';

function chainOf(workflow: { name: string; nodes: Array<{ name: string }> }): string {
	return `${workflow.name} (${workflow.nodes.map((node) => node.name).join(' → ')})`;
}

function failure(run: WorkflowRun): string | undefined {
	if (!run.error) return undefined;
	return `The workflow failed in "${run.run.data.resultData.lastNodeExecuted}": ${run.error.message}\n${run.error.description ?? ''}`;
}

async function main(): Promise<number> {
	const { PLAID_CLIENT_ID, PLAID_SECRET, PLAID_TEMPLATE_ID } = process.env;
	const useSandbox = Boolean(PLAID_CLIENT_ID && PLAID_SECRET && PLAID_TEMPLATE_ID);
	const emulator = useSandbox ? undefined : await PlaidEmulator.start();
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		plaidLayerApi: emulator
			? { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret }
			: { environment: 'sandbox', clientId: PLAID_CLIENT_ID!, secret: PLAID_SECRET! },
	};

	const start = structuredClone(startExample) as unknown as WorkflowDefinition;
	const tokenNode = start.nodes.find((node: INode) => node.name === SESSION_TOKEN_NODE)!;
	tokenNode.parameters.templateId = PLAID_TEMPLATE_ID ?? DEFAULT_TEMPLATE_ID;
	const finishServer = emulator ? await serveTriggerWorkflow(finishExample as unknown as WorkflowDefinition, credentials) : undefined;

	try {
		const signUp = { user_id: `demo-user-${Date.now()}` };
		console.log(`Plaid:   ${emulator ? `embedded emulator at ${emulator.url}` : 'Plaid Sandbox (https://sandbox.plaid.com)'}`);
		console.log(`\n1. ${chainOf(startExample)}`);
		console.log(`   sign-up: POST /webhook/layer/start ${JSON.stringify(signUp)}`);
		const started = await runWorkflow(start, {
			mode: 'webhook',
			credentials,
			triggerItems: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: signUp } }],
		});
		const startProblem = failure(started);
		if (startProblem) {
			console.error(startProblem);
			return 1;
		}
		const [token] = started.jsonOf(SESSION_TOKEN_NODE);
		console.log(`   answered: ${JSON.stringify(started.webhookResponse?.body)}`);
		console.log(`\n   link_token: ${String(token.link_token)}`);
		console.log(`   expires:    ${String(token.expiration)}`);
		if (!emulator || !finishServer) return token.link_token ? 0 : 1;

		console.log(`\n2. The user finishes Layer with Plaid's Sandbox number 415-555-0011; Plaid signs and sends its webhooks`);
		const outcome = await emulator.finishLayerSession(String(token.link_token), { webhookUrl: finishServer.webhookUrl });
		for (const delivery of outcome.deliveries) {
			console.log(`   ${delivery.webhook_code} → Plaid Trigger answered ${delivery.status} ${delivery.body}`);
		}
		await finishServer.idle();

		console.log(`\n3. ${chainOf(finishExample)}`);
		const [finished] = finishServer.runs;
		const finishProblem = finished ? failure(finished) : 'The finish workflow did not run';
		if (finishProblem) {
			console.error(finishProblem);
			return 1;
		}
		const [result] = finished.jsonOf(RESULT_NODE);
		console.log(JSON.stringify(result, null, 2).replace(/^/gm, '   '));
		return result?.phone_number ? 0 : 1;
	} finally {
		await finishServer?.stop();
		await emulator?.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
