/**
 * The packed package installed into a real n8n 2.41 server, driven over HTTP the way production
 * traffic and the editor reach it: both example workflows imported and published, a sign-up on
 * the production webhook, Plaid's signed SESSION_FINISHED on the Plaid Trigger's production URL,
 * forged webhooks refused, and the credential test run through n8n's API. The network edge is
 * the Plaid emulator on 127.0.0.1; a guard proxy records any attempt to go anywhere else.
 */
import { endpoints } from '../../emulator/endpoints';
import { validate } from '../../emulator/schema';
import { sendDelivery, sessionFinished, signDelivery } from '../../emulator/webhooks';
import { getExecution, listExecutions, outputOf, waitForExecutions } from '../../e2e/executions';
import { startStack, type Stack } from '../../e2e/stack';
import { shapedOnboardingResult } from '../support/onboarding-result';

let stack: Stack;

beforeAll(async () => {
	stack = await startStack({ activate: true });
}, 600_000);

afterAll(async () => {
	await stack?.stop();
});

const json = { 'Content-Type': 'application/json' };

async function signUp(userId: string): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(stack.startWebhookUrl, { method: 'POST', headers: json, body: JSON.stringify({ user_id: userId }) });
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Start Layer onboarding (production webhook POST /webhook/layer/start)', () => {
	test('answers with a link_token the emulator issued, after a spec-valid /session/token/create', async () => {
		const before = stack.emulator.requests.length;
		const { status, body } = await signUp('customer-e2e-1');

		expect(status).toBe(200);
		expect(body).toEqual({
			link_token: expect.stringMatching(/^link-sandbox-/),
			expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			user_id: expect.stringMatching(/^usr_/),
		});
		expect(stack.emulator.state.linkTokens.has(body.link_token as string)).toBe(true);

		const requests = stack.emulator.requests.slice(before);
		expect(requests.map((request) => [request.path, request.status])).toEqual([
			['/user/create', 200],
			['/session/token/create', 200],
		]);
		const tokenRequest = requests[1];
		// The emulator checks every body against Plaid's schema; checked again here, closed (no unknown fields).
		expect(validateRequest('/session/token/create', tokenRequest.body)).toEqual([]);
		expect(tokenRequest.body).toEqual({
			template_id: 'template_layer_demo',
			user_id: body.user_id,
			user: { client_user_id: 'customer-e2e-1' },
		});
		expect(tokenRequest.headers).toMatchObject({
			'plaid-client-id': stack.emulator.clientId,
			'plaid-secret': stack.emulator.secret,
			'plaid-version': '2020-09-14',
			'content-type': expect.stringContaining('application/json'),
		});
		expect((tokenRequest.answer.link as Record<string, unknown>).link_token).toBe(body.link_token);

		const [execution] = await waitForExecutions(stack.client, stack.start.id, 1);
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		const detail = await getExecution(stack.n8n, stack.client, execution.id);
		expect(detail.lastNodeExecuted).toBe('Respond with link_token');
		expect(outputOf(detail, 'Create Layer Session Token')).toEqual([
			{ link_token: body.link_token, expiration: body.expiration, user_id: body.user_id, request_id: expect.any(String) },
		]);
	});
});

describe('Finish Layer onboarding (Plaid Trigger production URL)', () => {
	test('the trigger listens at /webhook/<webhookId>/webhook once published', async () => {
		expect(stack.triggerWebhookUrl).toBe(`${stack.n8n.url}/webhook/b6f0c2d8-3e4a-4f5b-9c6d-7e8f9a0b1c2d/webhook`);
		const status = await stack.client.rest<{ status: string; triggers: Array<{ status: string }> }>(
			'GET',
			`/rest/workflows/${stack.finish.id}/publication-status`,
		);
		expect(status).toMatchObject({ status: 'published', triggers: [{ status: 'activated' }] });
	});

	test('Plaid\'s signed SESSION_FINISHED runs the workflow; its last node has the identity', async () => {
		const { body } = await signUp('customer-e2e-2');
		const linkToken = body.link_token as string;
		const executionsBefore = (await listExecutions(stack.client, stack.finish.id)).length;

		const outcome = await stack.emulator.finishLayerSession(linkToken, { webhookUrl: stack.triggerWebhookUrl });

		expect(outcome.status).toBe('SUCCESS');
		// Both are answered 200; only SESSION_FINISHED is selected in the example, so one execution.
		expect(outcome.deliveries.map(({ webhook_code, status }) => [webhook_code, status])).toEqual([
			['LAYER_AUTHENTICATION_PASSED', 200],
			['SESSION_FINISHED', 200],
		]);
		const executions = await waitForExecutions(stack.client, stack.finish.id, executionsBefore + 1);
		expect(executions).toHaveLength(executionsBefore + 1);
		const latest = executions[0];
		expect(latest).toMatchObject({ mode: 'webhook', status: 'success' });

		const detail = await getExecution(stack.n8n, stack.client, latest.id);
		expect(detail.error).toBeUndefined();
		expect(detail.lastNodeExecuted).toBe('Shape onboarding result');
		expect(outputOf(detail, 'Plaid Trigger')).toEqual([
			expect.objectContaining({ webhook_code: 'SESSION_FINISHED', status: 'SUCCESS', link_token: linkToken, public_tokens: [outcome.public_token] }),
		]);
		expect(outputOf(detail, 'Shape onboarding result')).toEqual([shapedOnboardingResult(body.user_id)]);
		// Leave Out → Full SSN: never in the execution n8n stored.
		expect(JSON.stringify(detail.runData['Get User Account Session'])).not.toMatch(/"ssn"/);
		const sessionGet = stack.emulator.requests.filter((request) => request.path === '/user_account/session/get').at(-1)!;
		expect(sessionGet.body).toEqual({ public_token: outcome.public_token });
	});

	test('the same signed SESSION_FINISHED sent again is answered 200 duplicate and runs the workflow once', async () => {
		const { body: signUpBody } = await signUp('customer-e2e-replay');
		const executionsBefore = (await waitForExecutions(stack.client, stack.finish.id, 0)).length;
		// EXITED: the example stops at its status check, so the run needs no public token.
		const delivery = signDelivery(
			sessionFinished({ link_token: signUpBody.link_token as string, public_tokens: [], status: 'EXITED', user_id: signUpBody.user_id as string }),
			stack.emulator.signer,
		);

		const first = await sendDelivery(stack.triggerWebhookUrl, delivery);
		const again = await sendDelivery(stack.triggerWebhookUrl, delivery);

		expect(first.status).toBe(200);
		expect({ status: again.status, body: JSON.parse(again.body) as unknown }).toEqual({ status: 200, body: { received: true, duplicate: true } });
		await waitForExecutions(stack.client, stack.finish.id, executionsBefore + 1);
		// Give n8n time to have started a second run if it was going to.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await listExecutions(stack.client, stack.finish.id)).toHaveLength(executionsBefore + 1);
	});

	test('a forged SESSION_FINISHED (unsigned, or signed with a key Plaid never published) gets 401 and starts nothing', async () => {
		const { body: signUpBody } = await signUp('customer-e2e-3');
		const executionsBefore = (await waitForExecutions(stack.client, stack.finish.id, 0)).length;
		const forged = JSON.stringify(
			sessionFinished({ link_token: signUpBody.link_token as string, public_tokens: ['public-sandbox-forged-0000'], user_id: signUpBody.user_id as string }),
			null,
			2,
		);

		const unsigned = await fetch(stack.triggerWebhookUrl, { method: 'POST', headers: json, body: forged });
		const wrongKey = await fetch(stack.triggerWebhookUrl, {
			method: 'POST',
			headers: { ...json, 'Plaid-Verification': stack.emulator.signer.signWithUnpublishedKey(forged) },
			body: forged,
		});

		expect(unsigned.status).toBe(401);
		expect(await unsigned.json()).toMatchObject({ error: 'Plaid webhook refused' });
		expect(wrongKey.status).toBe(401);
		expect(await wrongKey.json()).toMatchObject({ error: 'Plaid webhook refused' });
		// Give n8n time to have started anything it was going to.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await listExecutions(stack.client, stack.finish.id)).toHaveLength(executionsBefore);
		expect(stack.emulator.requests.filter((request) => JSON.stringify(request.body).includes('public-sandbox-forged'))).toEqual([]);
	});
});

describe('credential test through n8n\'s API (POST /rest/credentials/test)', () => {
	const test_ = (data: Record<string, unknown>) =>
		stack.client.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: stack.credentialId, name: 'Plaid Layer account', type: 'plaidLayerApi', data },
		});

	test('the right keys pass', async () => {
		const before = stack.emulator.requests.length;
		const result = await test_({ environment: 'custom', baseUrl: stack.emulator.url, clientId: stack.emulator.clientId, secret: stack.emulator.secret });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = stack.emulator.requests.slice(before);
		expect(request).toMatchObject({ path: '/institutions/get', status: 200 });
		expect(request.headers).toMatchObject({ 'plaid-client-id': stack.emulator.clientId, 'plaid-secret': stack.emulator.secret });
	});

	test('a wrong secret fails with Plaid\'s INVALID_API_KEYS', async () => {
		const result = await test_({ environment: 'custom', baseUrl: stack.emulator.url, clientId: stack.emulator.clientId, secret: 'not-the-secret' });

		expect(result.status).toBe('Error');
		expect(result.message).toContain('INVALID_API_KEYS');
	});
});

describe('nothing leaves 127.0.0.1', () => {
	// `.invalid` never resolves (RFC 2606): proves n8n's requests go through the guard proxy without reaching anywhere.
	const GUARD_CHECK_URL = 'http://guard-check.plaid-layer.invalid';

	test('n8n sends requests for other hosts to the guard, which records and refuses them', async () => {
		const result = await stack.client.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: {
				id: stack.credentialId,
				name: 'Plaid Layer account',
				type: 'plaidLayerApi',
				data: { environment: 'custom', baseUrl: GUARD_CHECK_URL, clientId: 'x', secret: 'y' },
			},
		});

		expect(result.status).toBe('Error');
		expect(stack.guard.attempts).toEqual([expect.objectContaining({ method: 'POST', target: `${GUARD_CHECK_URL}/institutions/get` })]);
	});

	test('n8n and the package never tried to reach anything else', () => {
		expect(stack.guard.attempts.filter((attempt) => !attempt.target.includes('.invalid'))).toEqual([]);
	});
});

/** Schema problems of a request body against Plaid's spec, as the emulator checks it (closed: no unknown fields). */
function validateRequest(path: string, body: unknown) {
	return validate(body, endpoints[path].requestSchema, true);
}
