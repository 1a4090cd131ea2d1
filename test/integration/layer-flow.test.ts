/**
 * The whole Layer onboarding, with the two example workflows as a user imports them:
 * sign-up → Create Layer Session Token (Create User First) → the user finishes
 * Layer → Plaid's signed SESSION_FINISHED reaches the Plaid Trigger → Get User Account Session.
 */
import finishExample from '../../examples/finish-layer-onboarding.json';
import startExample from '../../examples/start-layer-onboarding.json';
import { PlaidEmulator } from '../../emulator/server';
import { runWorkflow, type WorkflowDefinition } from '../../runner/run-workflow';
import { serveTriggerWorkflow, type TriggerServer } from '../../runner/webhook-server';
import { chain, PLAID_NODE, plaidLayerNode, signups, webhookSource } from './workflows';
import { shapedOnboardingResult } from '../support/onboarding-result';

let emulator: PlaidEmulator;
let finishServer: TriggerServer;
const credentials = () => ({
	plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
});

beforeAll(async () => {
	emulator = await PlaidEmulator.start();
	finishServer = await serveTriggerWorkflow(finishExample as unknown as WorkflowDefinition, credentials());
});
afterAll(async () => {
	await finishServer.stop();
	await emulator.stop();
});

async function startOnboarding(userId: string) {
	return await runWorkflow(startExample as unknown as WorkflowDefinition, {
		mode: 'webhook',
		credentials: credentials(),
		triggerItems: [{ json: { headers: {}, params: {}, query: {}, body: { user_id: userId } } }],
	});
}

test('a sign-up gets a link_token; finishing Layer delivers the identity to the finish workflow', async () => {
	const start = await startOnboarding('customer-1001');
	expect(start.error).toBeUndefined();

	// Create User First: the Plaid user for the sign-up's user_id, then the session with its user_id.
	const user = emulator.state.users.get('customer-1001')!;
	expect(user.user_id).toMatch(/^usr_/);
	expect(emulator.requests.slice(0, 2).map((request) => request.path)).toEqual(['/user/create', '/session/token/create']);
	const tokenRequest = emulator.requests.find((request) => request.path === '/session/token/create')!;
	expect(tokenRequest.body).toEqual({ template_id: 'template_layer_demo', user_id: user.user_id, user: { client_user_id: 'customer-1001' } });
	const linkToken = start.jsonOf('Create Layer Session Token')[0].link_token as string;
	expect(start.webhookResponse?.body).toEqual({
		link_token: linkToken,
		expiration: expect.stringMatching(/Z$/),
		user_id: user.user_id,
	});

	// The end user goes through Layer; Plaid sends its webhooks to the trigger's URL.
	const outcome = await emulator.finishLayerSession(linkToken, { phoneNumber: '+14155550011', webhookUrl: finishServer.webhookUrl });
	await finishServer.idle();
	expect(outcome.deliveries.map(({ webhook_code, status }) => [webhook_code, status])).toEqual([
		['LAYER_AUTHENTICATION_PASSED', 200],
		['SESSION_FINISHED', 200],
	]);

	// Only SESSION_FINISHED is selected in the example, so exactly one run.
	expect(finishServer.runs).toHaveLength(1);
	const [finish] = finishServer.runs;
	expect(finish.error).toBeUndefined();
	const sessionRequest = emulator.requests.find((request) => request.path === '/user_account/session/get')!;
	expect(sessionRequest.body).toEqual({ public_token: outcome.public_token });
	const [session] = finish.jsonOf('Get User Account Session');
	expect((session.identity as Record<string, unknown>).ssn).toBeUndefined();
	expect(session.items).toEqual([{ item_id: expect.any(String), access_token: expect.stringMatching(/^access-sandbox-/) }]);
	expect(finish.jsonOf('Shape onboarding result')).toEqual([shapedOnboardingResult(user.user_id)]);
});

test('an ineligible phone number ends the session EXITED; the finish workflow stops at its check', async () => {
	const start = await startOnboarding('customer-1002');
	const linkToken = start.jsonOf('Create Layer Session Token')[0].link_token as string;
	const runsBefore = finishServer.runs.length;
	const sessionGetsBefore = emulator.requests.filter((request) => request.path === '/user_account/session/get').length;

	const outcome = await emulator.finishLayerSession(linkToken, { phoneNumber: '+14155550000', webhookUrl: finishServer.webhookUrl });
	await finishServer.idle();

	expect(outcome.status).toBe('EXITED');
	expect(outcome.deliveries.map(({ webhook_code, status }) => [webhook_code, status])).toEqual([['SESSION_FINISHED', 200]]);
	const run = finishServer.runs[runsBefore];
	expect(run.error).toBeUndefined();
	expect(run.jsonOf('Plaid Trigger')[0]).toMatchObject({ status: 'EXITED', public_tokens: [] });
	expect(run.itemsOf('Get User Account Session')).toEqual([]);
	expect(emulator.requests.filter((request) => request.path === '/user_account/session/get')).toHaveLength(sessionGetsBefore);
});

test('a forged SESSION_FINISHED (not signed by Plaid) never reaches Get User Account Session', async () => {
	const runsBefore = finishServer.runs.length;
	const response = await fetch(finishServer.webhookUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ webhook_type: 'LINK', webhook_code: 'SESSION_FINISHED', status: 'SUCCESS', public_tokens: ['public-sandbox-forged'] }),
	});
	await finishServer.idle();

	expect(response.status).toBe(401);
	expect(finishServer.runs).toHaveLength(runsBefore);
});

describe('the operations on their own', () => {
	const node = (parameters: Record<string, unknown>) =>
		chain([webhookSource(), { ...plaidLayerNode({}), parameters: parameters as never }]);

	test('Create User sends the identity in Plaid\'s shape and returns user_id', async () => {
		const result = await runWorkflow(
			node({
				resource: 'user',
				operation: 'create',
				clientUserId: '={{ $json.body.user }}',
				identity: { givenName: 'Ann', familyName: 'Perkins', phoneNumber: '+1 415 555 0011', country: 'US', city: 'Pawnee' },
			}),
			{ mode: 'webhook', credentials: credentials(), triggerItems: signups('ann') },
		);

		expect(result.error).toBeUndefined();
		const request = emulator.requests.at(-1)!;
		expect(request.status).toBe(200);
		expect(request.body).toEqual({
			client_user_id: 'ann',
			identity: {
				name: { given_name: 'Ann', family_name: 'Perkins' },
				phone_numbers: [{ data: '+14155550011', primary: true }],
				addresses: [{ city: 'Pawnee', country: 'US', primary: true }],
			},
		});
		expect(result.jsonOf(PLAID_NODE)).toEqual([{ user_id: request.answer.user_id, request_id: request.answer.request_id }]);
	});

	test('Get User Account Session can leave out the SSN and the access tokens', async () => {
		const start = await startOnboarding('customer-1003');
		const outcome = await emulator.finishLayerSession(start.jsonOf('Create Layer Session Token')[0].link_token as string);
		const result = await runWorkflow(
			node({ resource: 'userAccountSession', operation: 'get', publicToken: outcome.public_token, leaveOut: ['ssn', 'access_token'] }),
			{ mode: 'webhook', credentials: credentials(), triggerItems: signups('x') },
		);

		expect(result.error).toBeUndefined();
		const [output] = result.jsonOf(PLAID_NODE);
		expect(Object.keys(output)).toEqual(['identity', 'items', 'request_id']);
		expect(output.identity).toMatchObject({ ssn_last_4: '6789', phone_number: '+14155550011' });
		expect(output.identity).not.toHaveProperty('ssn');
		expect(output.items).toEqual([{ item_id: expect.any(String) }]);
		expect(JSON.stringify(result.run)).not.toMatch(/access-sandbox-/);
	});

	test('an unknown public token is Plaid\'s INVALID_PUBLIC_TOKEN', async () => {
		const result = await runWorkflow(
			node({ resource: 'userAccountSession', operation: 'get', publicToken: 'public-sandbox-unknown', leaveOut: ['ssn'] }),
			{ mode: 'webhook', credentials: credentials(), triggerItems: signups('x') },
		);

		expect(result.error?.message).toBe('Plaid INVALID_PUBLIC_TOKEN: public token not found');
	});
});
