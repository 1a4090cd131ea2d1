/**
 * Replay protection in the Plaid Trigger behind the local webhook server (n8n-core's
 * WebhookContext): a signed delivery that was accepted, sent again while its JWT is valid, is
 * answered 200 without a second run; one that was refused (a failed key fetch) gets through when
 * Plaid retries it with the same JWT.
 */
import type { INode } from 'n8n-workflow';

import { PlaidEmulator } from '../../emulator/server';
import { sendDelivery, signDelivery, type DeliveryAnswer, type DeliveryOptions, type SignedDelivery } from '../../emulator/webhooks';
import { webhookPayload } from '../../emulator/webhook-payloads';
import { serveTriggerWorkflow, type TriggerServer } from '../../runner/webhook-server';
import { sharedEmulator } from '../support/shared-emulator';
import { chain } from './workflows';

const shared = sharedEmulator();
/** The Plaid of the running test: the shared one, or a fresh one whose keys no trigger has cached. */
let emulator: PlaidEmulator = shared;
const servers: TriggerServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.stop()));
	if (emulator !== shared) await emulator.stop();
	emulator = shared;
});

async function freshPlaid(): Promise<void> {
	emulator = await PlaidEmulator.start();
}

let triggers = 0;

/** A trigger of its own per test unless `nodeId` is given: its replay memory outlives a server, as in n8n. */
async function serve(parameters: INode['parameters'] = {}, nodeId = `trigger-${++triggers}`): Promise<TriggerServer> {
	const server = await serveTriggerWorkflow(
		chain([
			{
				id: nodeId,
				name: 'Plaid Trigger',
				type: 'n8n-nodes-plaid-layer.plaidTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'plaid',
				parameters: { events: ['ITEM.ERROR', 'SESSION_FINISHED'], verifySignature: true, ...parameters },
				credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
			},
			{ id: 'next', name: 'Next', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		]),
		{ plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret } },
	);
	servers.push(server);
	return server;
}

const sign = (payload: object = webhookPayload('ITEM.ERROR'), options: DeliveryOptions = {}) => signDelivery(payload, emulator.signer, options);

async function send(server: TriggerServer, delivery: SignedDelivery): Promise<{ status: number; body: unknown }> {
	const answer: DeliveryAnswer = await sendDelivery(server.webhookUrl, delivery);
	await server.idle();
	return { status: answer.status, body: JSON.parse(answer.body) };
}

const STARTED = { status: 200, body: { message: 'Workflow was started' } };
const DUPLICATE = { status: 200, body: { received: true, duplicate: true } };
const keyFetches = () => emulator.requests.filter((request) => request.path === '/webhook_verification_key/get');

/** The delivery's JWT with s replaced by n − s: another string, still a valid signature. */
function withOtherS(delivery: SignedDelivery): SignedDelivery {
	const order = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
	const [header, payload, signature] = delivery.headers['Plaid-Verification'].split('.');
	const bytes = Buffer.from(signature, 'base64url');
	const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
	const otherS = Buffer.from((order - s).toString(16).padStart(64, '0'), 'hex');
	const jwt = `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), otherS]).toString('base64url')}`;
	return { body: delivery.body, headers: { ...delivery.headers, 'Plaid-Verification': jwt } };
}

describe('a delivery sent again after it started the workflow', () => {
	test('is answered 200 duplicate, and the workflow ran once', async () => {
		const server = await serve();
		const delivery = sign();

		expect(await send(server, delivery)).toEqual(STARTED);
		expect(await send(server, delivery)).toEqual(DUPLICATE);
		expect(await send(server, delivery)).toEqual(DUPLICATE);
		expect(server.runs).toHaveLength(1);
		expect(server.runs[0].jsonOf('Next')).toEqual([JSON.parse(delivery.body)]);
	});

	test('is still verified first: the same JWT with a changed body is refused 401, not called a duplicate', async () => {
		const server = await serve();
		const delivery = sign();
		await send(server, delivery);

		const tampered = { ...delivery, body: delivery.body.replace('ITEM_LOGIN_REQUIRED', 'NO_ACCOUNTS') };
		expect(await send(server, tampered)).toMatchObject({ status: 401, body: { reason: 'webhook body does not match request_body_sha256' } });
		expect(server.runs).toHaveLength(1);
	});

	test('with its signature rewritten as (r, n − s) — valid on its own — is still a duplicate', async () => {
		const delivery = sign();
		const fresh = await serve();
		expect(await send(fresh, withOtherS(delivery))).toEqual(STARTED);

		const server = await serve();
		expect(await send(server, delivery)).toEqual(STARTED);
		expect(await send(server, withOtherS(delivery))).toEqual(DUPLICATE);
		expect(server.runs).toHaveLength(1);
	});

	test('as five copies at once, all waiting for the same key fetch, starts the workflow once', async () => {
		await freshPlaid();
		const server = await serve();
		const delivery = sign();
		const answers = await Promise.all(Array.from({ length: 5 }, async () => await send(server, delivery)));

		expect(answers.filter((answer) => JSON.stringify(answer) === JSON.stringify(STARTED))).toHaveLength(1);
		expect(answers.filter((answer) => JSON.stringify(answer) === JSON.stringify(DUPLICATE))).toHaveLength(4);
		expect(server.runs).toHaveLength(1);
		expect(keyFetches()).toHaveLength(1);
	});

	test('once its JWT is over 5 minutes old is refused by verification, as before', async () => {
		const server = await serve();
		const iat = Math.floor(Date.now() / 1000) - 299;
		const delivery = sign(webhookPayload('ITEM.ERROR'), { sign: { iat } });
		expect(await send(server, delivery)).toEqual(STARTED);

		await new Promise((resolve) => setTimeout(resolve, (iat + 301) * 1000 - Date.now()));
		expect(await send(server, delivery)).toMatchObject({ status: 401, body: { reason: 'JWT issued more than 5 minutes ago' } });
		expect(server.runs).toHaveLength(1);
	});
});

describe('what is not a replay', () => {
	test('Plaid’s retry of a delivery refused because the key could not be fetched gets through, once', async () => {
		await freshPlaid();
		const server = await serve();
		const delivery = sign();
		emulator.failNext('internal_error', 2);
		expect(await send(server, delivery)).toMatchObject({ status: 401, body: { reason: expect.stringMatching(/^could not fetch verification key/) } });
		expect(server.runs).toHaveLength(0);

		expect(await send(server, delivery)).toEqual(STARTED);
		expect(await send(server, delivery)).toEqual(DUPLICATE);
		expect(server.runs).toHaveLength(1);
	});

	test('Plaid’s retry after the credential was fixed gets through', async () => {
		await freshPlaid();
		const delivery = sign();
		const broken = await serveTriggerWorkflow(
			chain([
				{
					id: 'trigger-credential-fix',
					name: 'Plaid Trigger',
					type: 'n8n-nodes-plaid-layer.plaidTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: 'plaid',
					parameters: { events: ['ITEM.ERROR'] },
					credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
				},
			]),
			{ plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: 'wrong-secret' } },
		);
		servers.push(broken);
		expect(await send(broken, delivery)).toMatchObject({ status: 401, body: { reason: expect.stringMatching(/INVALID_API_KEYS/) } });
		await broken.stop();

		const fixed = await serve({ events: ['ITEM.ERROR'] }, 'trigger-credential-fix');
		expect(await send(fixed, delivery)).toEqual(STARTED);
	});

	test('a new delivery of the same body (signed again, as Plaid sends each webhook) starts the workflow again', async () => {
		const server = await serve();
		const payload = webhookPayload('ITEM.ERROR');
		expect(await send(server, sign(payload))).toEqual(STARTED);
		expect(await send(server, sign(payload))).toEqual(STARTED);
		expect(server.runs).toHaveLength(2);
	});

	test('the same delivery reaching another trigger starts that one too: the memory is per trigger', async () => {
		const first = await serve();
		const second = await serve();
		const delivery = sign();

		expect(await send(first, delivery)).toEqual(STARTED);
		expect(await send(second, delivery)).toEqual(STARTED);
		expect(await send(first, delivery)).toEqual(DUPLICATE);
		expect(await send(second, delivery)).toEqual(DUPLICATE);
	});

	test('with verification turned off there is no JWT to remember: every copy starts the workflow', async () => {
		const server = await serve({ verifySignature: false });
		const delivery = sign(webhookPayload('ITEM.ERROR'), { unsigned: true });

		expect(await send(server, delivery)).toEqual(STARTED);
		expect(await send(server, delivery)).toEqual(STARTED);
		expect(server.runs).toHaveLength(2);
	});
});

describe('deliveries answered without starting the workflow are not remembered', () => {
	test('a copy of an ignored (unselected) delivery is ignored again; after the events were changed it starts the workflow once', async () => {
		const delivery = sign(webhookPayload('LAYER.LAYER_AUTHENTICATION_PASSED'));
		const ignored = { status: 200, body: { received: true, ignored: 'LAYER LAYER_AUTHENTICATION_PASSED is not selected in the trigger' } };
		const before = await serve({ events: ['SESSION_FINISHED'] }, 'trigger-selection-change');
		expect(await send(before, delivery)).toEqual(ignored);
		expect(await send(before, delivery)).toEqual(ignored);
		await before.stop();

		// The same trigger, edited to take LAYER_AUTHENTICATION_PASSED too.
		const after = await serve({ events: ['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED'] }, 'trigger-selection-change');
		expect(await send(after, delivery)).toEqual(STARTED);
		expect(await send(after, delivery)).toEqual(DUPLICATE);
		expect(after.runs).toHaveLength(1);
	});

	test('a verified body that is not a Plaid webhook: sent again, it is refused 400 again', async () => {
		const server = await serve();
		const delivery = sign({ hello: 'world' });
		expect((await send(server, delivery)).status).toBe(400);
		expect((await send(server, delivery)).status).toBe(400);
	});
});
