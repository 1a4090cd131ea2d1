/**
 * The main job: runs the "Start Layer onboarding" example workflow through n8n-core and prints
 * the link_token it answers with. Against the embedded Plaid emulator by default; against Plaid
 * Sandbox when PLAID_CLIENT_ID, PLAID_SECRET and PLAID_TEMPLATE_ID are set.
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import example from '../examples/start-layer-onboarding.json';
import { DEFAULT_TEMPLATE_ID, PlaidEmulator } from '../emulator/server';
import { runWorkflow, type WorkflowDefinition } from '../runner/run-workflow';

const SESSION_TOKEN_NODE = 'Create Layer Session Token';

async function main(): Promise<number> {
	const { PLAID_CLIENT_ID, PLAID_SECRET, PLAID_TEMPLATE_ID } = process.env;
	const useSandbox = Boolean(PLAID_CLIENT_ID && PLAID_SECRET && PLAID_TEMPLATE_ID);
	const emulator = useSandbox ? undefined : await PlaidEmulator.start();

	const credentials: ICredentialDataDecryptedObject = emulator
		? { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret }
		: { environment: 'sandbox', clientId: PLAID_CLIENT_ID!, secret: PLAID_SECRET! };
	const templateId = PLAID_TEMPLATE_ID ?? DEFAULT_TEMPLATE_ID;
	const workflow = structuredClone(example) as unknown as WorkflowDefinition;
	const tokenNode = workflow.nodes.find((node: INode) => node.name === SESSION_TOKEN_NODE)!;
	tokenNode.parameters.templateId = templateId;

	const signUp = { user_id: `demo-user-${Date.now()}` };
	console.log(`Workflow:  ${example.name} (${workflow.nodes.map((node) => node.name).join(' → ')})`);
	console.log(`Plaid:     ${emulator ? `embedded emulator at ${emulator.url}` : 'Plaid Sandbox (https://sandbox.plaid.com)'}`);
	console.log(`Sign-up:   POST /webhook/layer/start ${JSON.stringify(signUp)}`);

	try {
		const result = await runWorkflow(workflow, {
			mode: 'webhook',
			credentials: { plaidLayerApi: credentials },
			triggerItems: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: signUp } }],
		});
		if (result.error) {
			console.error(`\nThe workflow failed in "${result.run.data.resultData.lastNodeExecuted}": ${result.error.message}`);
			if (result.error.description) console.error(result.error.description);
			return 1;
		}
		const [token] = result.jsonOf(SESSION_TOKEN_NODE);
		console.log(`\nRespond to Webhook answered ${JSON.stringify(result.webhookResponse?.body)}`);
		console.log(`\nlink_token: ${String(token.link_token)}`);
		console.log(`expires:    ${String(token.expiration)}`);
		console.log(`request_id: ${String(token.request_id)}`);
		return token.link_token ? 0 : 1;
	} finally {
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
