/**
 * The main job: the example onboarding (examples/onboarding-start.json, -fallback-token.json,
 * -finish.json) for two visitors, through n8n-core against the embedded Plaid emulator. One is
 * known to Layer (Sandbox's 415-555-0011) and shares her profile; the other (415-555-0000) is not,
 * gives her date of birth, and links her bank in standard Link instead. Each ends in the same
 * onboarding record. The page's part (what its script and Link's window send) is played by the
 * emulator's Link window calls; the browser tests play it in a real browser.
 */
import type { IDataObject } from 'n8n-workflow';

import { PlaidEmulator } from '../emulator/server';
import { exampleSignUp, FALLBACK_WORKFLOW, FINISH_WORKFLOW, OnboardingVisitor, RECORD_NODE, START_WORKFLOW } from '../runner/onboarding-visitor';
import type { WorkflowDefinition } from '../runner/run-workflow';

function chainOf(workflow: WorkflowDefinition): string {
	return `${workflow.name} (${workflow.nodes.map((node) => node.name).join(' → ')})`;
}

const short = (token: string) => `${token.slice(0, 24)}…`;

function printRecord(record: IDataObject): void {
	console.log('   onboarding record:');
	console.log(JSON.stringify(record, null, 2).replace(/^/gm, '     '));
}

async function main(): Promise<number> {
	if (process.env.PLAID_CLIENT_ID || process.env.PLAID_SECRET) {
		console.log('The demo always runs on the embedded emulator. To check the nodes against your Plaid Sandbox, run npm run sandbox-check.\n');
	}
	const emulator = await PlaidEmulator.start();
	const credentials = { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret } };
	const visitor = new OnboardingVisitor(emulator, credentials);
	try {
		console.log(`Plaid:      embedded emulator at ${emulator.url} (Link's window at ${emulator.linkOrigin})`);
		console.log('Workflows:');
		for (const workflow of [START_WORKFLOW, FALLBACK_WORKFLOW, FINISH_WORKFLOW]) console.log(`  ${chainOf(workflow)}`);

		console.log('\nVisitor 1 — 415-555-0011: Layer knows the number');
		const first = await visitor.signUp(exampleSignUp(`demo-layer-${Date.now()}`));
		console.log(`   1. sign-up → POST /webhook/onboarding/start → the onboarding page (link_token ${short(first.page.linkToken)})`);
		const layer = await visitor.throughLayer(first.page);
		console.log(`   2. Layer: LAYER_READY → the code 123456 → Share → public_token ${short(layer.public_token)}`);
		const layerFinish = await visitor.finish(layer);
		console.log(`   3. the page POSTs { flow: "layer", … } to /webhook/onboarding/complete → answered ${JSON.stringify(layerFinish.webhookResponse?.body)}`);
		const [layerRecord] = layerFinish.jsonOf(RECORD_NODE);
		printRecord(layerRecord);

		console.log('\nVisitor 2 — 415-555-0000: Layer cannot help; standard Link instead');
		const second = await visitor.signUp(exampleSignUp(`demo-link-${Date.now()}`));
		console.log(`   1. sign-up → POST /webhook/onboarding/start → the onboarding page (link_token ${short(second.page.linkToken)})`);
		const { fallback, completion } = await visitor.throughLink(second.page, { phone_number: '+14155550000', date_of_birth: '1975-01-18' });
		console.log('   2. Layer: LAYER_NOT_AVAILABLE → date of birth 1975-01-18 → LAYER_AUTOFILL_NOT_AVAILABLE');
		console.log(`   3. the page POSTs the number and date of birth to /webhook/onboarding/fallback-token → link_token ${short(String((fallback.webhookResponse?.body as IDataObject).link_token))}`);
		console.log(`   4. standard Link: First Platypus Bank, user_good / pass_good → public_token ${short(completion.public_token)}`);
		const linkFinish = await visitor.finish(completion);
		console.log(`   5. the page POSTs { flow: "link", … } to /webhook/onboarding/complete → answered ${JSON.stringify(linkFinish.webhookResponse?.body)}`);
		const [linkRecord] = linkFinish.jsonOf(RECORD_NODE);
		printRecord(linkRecord);

		const sameShape = JSON.stringify(Object.keys(layerRecord)) === JSON.stringify(Object.keys(linkRecord));
		console.log(`\nBoth records have the same shape: ${sameShape ? 'yes' : 'NO'}`);
		return sameShape && layerRecord.flow === 'layer' && linkRecord.flow === 'link' ? 0 : 1;
	} finally {
		await emulator.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
