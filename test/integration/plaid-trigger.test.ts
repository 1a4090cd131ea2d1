/**
 * The Plaid Trigger behind a local webhook server (n8n-core's WebhookContext, raw body kept):
 * a webhook signed as Plaid signs it starts the workflow; each way of failing verification is
 * answered 401 and starts nothing.
 */
import axios from 'axios';
import type { INode } from 'n8n-workflow';

import { PlaidEmulator } from '../../emulator/server';
import { deliverWebhook, layerAuthenticationPassed, sessionFinished, type DeliveryOptions } from '../../emulator/webhooks';
import { serveTriggerWorkflow, type TriggerServer } from '../../runner/webhook-server';
import { chain } from './workflows';

let emulator: PlaidEmulator;
let server: TriggerServer;

function triggerWorkflow(parameters: INode['parameters'] = {}) {
	return chain([
		{
			id: 'trigger',
			name: 'Plaid Trigger',
			type: 'n8n-nodes-plaid-layer.plaidTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'plaid',
			parameters: { events: ['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED'], verifySignature: true, ...parameters },
			credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
		},
		{ id: 'next', name: 'Next', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
	]);
}

async function serve(parameters: INode['parameters'] = {}) {
	server = await serveTriggerWorkflow(triggerWorkflow(parameters), {
		plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
	});
}

const finished = () => sessionFinished({ link_token: 'link-sandbox-1', public_tokens: ['public-sandbox-1'], user_id: 'usr_1' });

async function deliver(options: DeliveryOptions = {}, payload: object = finished()) {
	const answer = await deliverWebhook(server.webhookUrl, payload, emulator.signer, options);
	await server.idle();
	return { status: answer.status, body: JSON.parse(answer.body || '{}') as Record<string, unknown> };
}

function expectRefused(answer: { status: number; body: Record<string, unknown> }, reason: RegExp) {
	expect(answer.status).toBe(401);
	expect(answer.body.error).toBe('Plaid webhook refused');
	expect(answer.body.reason).toMatch(reason);
	expect(server.runs).toHaveLength(0);
}

beforeEach(async () => {
	// A fresh Plaid per test: the trigger keeps verification keys per Plaid account.
	emulator = await PlaidEmulator.start();
	await serve();
});
afterEach(async () => {
	await server.stop();
	await emulator.stop();
});

describe('accepted', () => {
	test('a correctly signed SESSION_FINISHED starts the workflow with the event as sent', async () => {
		const event = finished();
		const answer = await deliver({}, event);

		expect(answer).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		expect(server.runs).toHaveLength(1);
		expect(server.runs[0].error).toBeUndefined();
		expect(server.runs[0].jsonOf('Next')).toEqual([event]);
		const keyRequests = emulator.requests.filter((request) => request.path === '/webhook_verification_key/get');
		expect(keyRequests).toHaveLength(1);
		expect(keyRequests[0].body).toEqual({ key_id: emulator.signer.currentKid });
		expect(keyRequests[0].headers['plaid-secret']).toBe(emulator.secret);
	});

	test('the key is fetched once and reused for later webhooks', async () => {
		await deliver();
		await deliver();
		await deliver({}, layerAuthenticationPassed({ link_token: 'link-sandbox-1' }));

		expect(server.runs).toHaveLength(3);
		expect(emulator.requests.filter((request) => request.path === '/webhook_verification_key/get')).toHaveLength(1);
	});

	test('after Plaid rotates its key, the new kid is fetched and accepted', async () => {
		await deliver();
		const newKid = emulator.signer.rotate();
		await deliver();

		expect(server.runs).toHaveLength(2);
		const fetched = emulator.requests.filter((request) => request.path === '/webhook_verification_key/get').map((request) => (request.body as { key_id: string }).key_id);
		expect(fetched).toContain(newKid);
	});

	test('an event that is not selected is acknowledged and starts nothing', async () => {
		await server.stop();
		await serve({ events: ['SESSION_FINISHED'] });
		const answer = await deliver({}, layerAuthenticationPassed({ link_token: 'link-sandbox-1' }));

		expect(answer).toEqual({ status: 200, body: { received: true, ignored: 'LAYER LAYER_AUTHENTICATION_PASSED is not selected in the trigger' } });
		expect(server.runs).toHaveLength(0);
	});

	test('with verification turned off, an unsigned webhook starts the workflow', async () => {
		await server.stop();
		await serve({ verifySignature: false });
		const answer = await deliver({ unsigned: true });

		expect(answer.status).toBe(200);
		expect(server.runs).toHaveLength(1);
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('refused with 401, and the workflow does not start', () => {
	test('no Plaid-Verification header', async () => {
		expectRefused(await deliver({ unsigned: true }), /^missing Plaid-Verification header$/);
	});

	test('alg HS256', async () => {
		expectRefused(await deliver({ sign: { header: { alg: 'HS256' } } }), /^JWT alg must be ES256, got HS256$/);
	});

	test('alg none', async () => {
		expectRefused(await deliver({ sign: { header: { alg: 'none' } } }), /^JWT alg must be ES256, got none$/);
	});

	test('a kid Plaid does not know', async () => {
		expectRefused(
			await deliver({ sign: { header: { kid: 'not-a-plaid-key' } } }),
			/^could not fetch verification key: Plaid INVALID_WEBHOOK_VERIFICATION_KEY_ID: invalid key_id provided$/,
		);
	});

	test('a key Plaid has expired', async () => {
		const kid = emulator.signer.rotate();
		emulator.signer.expire(kid);
		expectRefused(await deliver({ sign: { kid } }), /^verification key expired$/);
	});

	test('a signature from a key Plaid never published', async () => {
		const payload = finished();
		const body = JSON.stringify(payload, null, 2);
		const answer = await axios.post(server.webhookUrl, body, {
			headers: { 'Content-Type': 'application/json', 'Plaid-Verification': emulator.signer.signWithUnpublishedKey(body) },
			validateStatus: () => true,
		});
		await server.idle();
		expectRefused({ status: answer.status, body: answer.data }, /^signature does not match$/);
	});

	test('a body changed after signing', async () => {
		expectRefused(
			await deliver({ tamper: (body) => body.replace('"SUCCESS"', '"EXITED"') }),
			/^webhook body does not match request_body_sha256$/,
		);
	});

	test('a body re-serialized after signing (same JSON, other bytes)', async () => {
		expectRefused(await deliver({ tamper: (body) => JSON.stringify(JSON.parse(body)) }), /^webhook body does not match request_body_sha256$/);
	});

	test('a JWT issued more than 5 minutes ago', async () => {
		expectRefused(await deliver({ sign: { iat: Math.floor(Date.now() / 1000) - 6 * 60 } }), /^JWT issued more than 5 minutes ago$/);
	});

	test('a malformed JWT', async () => {
		const answer = await axios.post(server.webhookUrl, finished(), {
			headers: { 'Plaid-Verification': 'not.a-jwt' },
			validateStatus: () => true,
		});
		await server.idle();
		expectRefused({ status: answer.status, body: answer.data }, /^malformed JWT/);
		expect(emulator.requests).toHaveLength(0);
	});

	test('the key cannot be fetched (Plaid answers 500 twice)', async () => {
		emulator.failNext('internal_error', 2);
		expectRefused(await deliver(), /^could not fetch verification key: Plaid INTERNAL_SERVER_ERROR/);
		expect(emulator.requests.map((request) => request.status)).toEqual([500, 500]);
	});

	test('one failed key fetch is retried, and the webhook accepted', async () => {
		emulator.failNext('internal_error');
		const answer = await deliver();

		expect(answer.status).toBe(200);
		expect(server.runs).toHaveLength(1);
	});

	test('the key cannot be fetched (Plaid unreachable)', async () => {
		await emulator.stop();
		expectRefused(await deliver(), /^could not fetch verification key: Could not reach Plaid at http:\/\/127\.0\.0\.1:\d+$/);
	});

	test('the credential has no keys to ask Plaid with', async () => {
		await server.stop();
		server = await serveTriggerWorkflow(triggerWorkflow(), { plaidLayerApi: { environment: 'sandbox', clientId: '', secret: '' } });
		expectRefused(await deliver(), /^cannot verify: The Plaid Layer API credential has no Client ID or no Secret$/);
	});
});

test('a verified body that is not a Plaid webhook is answered 400 and starts nothing', async () => {
	const answer = await deliver({}, { hello: 'world' });

	expect(answer).toEqual({ status: 400, body: { error: 'Not a Plaid webhook', reason: 'expected a JSON object with webhook_type and webhook_code' } });
	expect(server.runs).toHaveLength(0);
});
