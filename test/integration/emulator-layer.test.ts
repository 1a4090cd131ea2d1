/** The emulator's Layer side: users, the end user's session, its signed webhooks and what the public token unlocks. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios from 'axios';

import { validate } from '../../emulator/schema';
import { DEFAULT_TEMPLATE_ID, PlaidEmulator } from '../../emulator/server';
import { verifyPlaidWebhook, type PlaidJwk } from '../../nodes/PlaidTrigger/verification';

interface ReceivedWebhook {
	headers: IncomingHttpHeaders;
	raw: string;
	payload: Record<string, unknown>;
}

let emulator: PlaidEmulator;
let receiver: Server;
let webhookUrl: string;
const received: ReceivedWebhook[] = [];

beforeAll(async () => {
	emulator = await PlaidEmulator.start();
	receiver = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			received.push({ headers: request.headers, raw, payload: JSON.parse(raw) as Record<string, unknown> });
			response.writeHead(200, { 'Content-Type': 'text/plain' });
			response.end('ok');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
	webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/plaid-webhooks`;
});
afterAll(async () => {
	await emulator.stop();
	receiver.closeAllConnections();
	await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
	emulator.reset();
	received.length = 0;
});

async function post(path: string, body: Record<string, unknown>) {
	const response = await axios.post(`${emulator.url}${path}`, body, {
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		validateStatus: () => true,
	});
	return { status: response.status, body: response.data as Record<string, unknown> };
}

async function linkToken(fields: Record<string, unknown>): Promise<string> {
	const answer = await post('/session/token/create', { template_id: DEFAULT_TEMPLATE_ID, ...fields });
	expect(answer.status).toBe(200);
	return (answer.body.link as { link_token: string }).link_token;
}

async function publishedKey(kid: string): Promise<PlaidJwk> {
	const answer = await post('/webhook_verification_key/get', { key_id: kid });
	if (answer.status !== 200) throw new Error(String(answer.body.error_code));
	return answer.body.key as PlaidJwk;
}

describe('/user/create', () => {
	test('answers a user_id, the same one again for the same client_user_id', async () => {
		const first = await post('/user/create', { client_user_id: 'client-1', identity: { name: { given_name: 'Leslie', family_name: 'Knope' } } });
		const again = await post('/user/create', { client_user_id: 'client-1' });
		const other = await post('/user/create', { client_user_id: 'client-2' });

		expect(first.status).toBe(200);
		expect(validate(first.body, 'UserCreateResponse', false)).toEqual([]);
		expect(first.body.user_id).toMatch(/^usr_[A-Za-z0-9]{14}$/);
		expect(first.body).not.toHaveProperty('user_token');
		expect(again.body.user_id).toBe(first.body.user_id);
		expect(other.body.user_id).not.toBe(first.body.user_id);
		expect(emulator.state.users.get('client-1')).toEqual({
			user_id: first.body.user_id,
			client_user_id: 'client-1',
			identity: { name: { given_name: 'Leslie', family_name: 'Knope' } },
			created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
		});
	});

	test('a client_user_id over 128 characters is refused', async () => {
		const answer = await post('/user/create', { client_user_id: 'x'.repeat(129) });
		expect(answer).toMatchObject({
			status: 400,
			body: { error_type: 'INVALID_REQUEST', error_code: 'INVALID_FIELD', error_message: 'client_user_id must be at most 128 characters' },
		});
	});
});

describe('/webhook_verification_key/get', () => {
	test('serves the key the emulator signs with', async () => {
		const answer = await post('/webhook_verification_key/get', { key_id: emulator.signer.currentKid });

		expect(answer.status).toBe(200);
		expect(validate(answer.body, 'WebhookVerificationKeyGetResponse', false)).toEqual([]);
		expect(answer.body.key).toEqual(emulator.signer.jwk(emulator.signer.currentKid));
		expect(answer.body.key).toMatchObject({ alg: 'ES256', crv: 'P-256', kty: 'EC', use: 'sig', expired_at: null });
	});

	test('an unknown key_id is refused', async () => {
		const answer = await post('/webhook_verification_key/get', { key_id: 'nope' });

		expect(answer).toMatchObject({
			status: 400,
			body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID', error_message: 'invalid key_id provided' },
		});
		expect(validate(answer.body, 'PlaidError', false)).toEqual([]);
	});

	test('after a rotation both keys are served; an expired one says so', async () => {
		const previous = emulator.signer.currentKid;
		const current = emulator.signer.rotate();

		expect(await publishedKey(previous)).toMatchObject({ kid: previous, expired_at: null });
		expect(await publishedKey(current)).toMatchObject({ kid: current, expired_at: null });

		emulator.signer.expire(previous);
		expect((await publishedKey(previous)).expired_at).toEqual(expect.any(Number));
		expect((await publishedKey(current)).expired_at).toBeNull();
	});
});

describe('finishLayerSession', () => {
	test('an eligible number: LAYER_AUTHENTICATION_PASSED, then SESSION_FINISHED with the public token', async () => {
		const userId = (await post('/user/create', { client_user_id: 'layer-user' })).body.user_id as string;
		const token = await linkToken({ user_id: userId, webhook: webhookUrl });

		const outcome = await emulator.finishLayerSession(token);

		expect(outcome).toEqual({
			status: 'SUCCESS',
			public_token: expect.stringMatching(/^public-sandbox-[0-9a-f-]{36}$/),
			link_session_id: expect.any(String),
			deliveries: [
				{ webhook_code: 'LAYER_AUTHENTICATION_PASSED', status: 200, body: 'ok' },
				{ webhook_code: 'SESSION_FINISHED', status: 200, body: 'ok' },
			],
		});
		const [passed, finished] = received.map((webhook) => webhook.payload);
		expect(validate(passed, 'LayerAuthenticationPassedWebhook', false)).toEqual([]);
		expect(validate(finished, 'LinkSessionFinishedWebhook', false)).toEqual([]);
		expect(passed).toMatchObject({ webhook_type: 'LAYER', webhook_code: 'LAYER_AUTHENTICATION_PASSED', link_token: token, link_session_id: outcome.link_session_id });
		expect(finished).toMatchObject({
			webhook_type: 'LINK',
			webhook_code: 'SESSION_FINISHED',
			status: 'SUCCESS',
			link_token: token,
			link_session_id: outcome.link_session_id,
			public_tokens: [outcome.public_token],
			user_id: userId,
			environment: 'sandbox',
		});
	});

	test('the webhooks verify against the published keys', async () => {
		await emulator.finishLayerSession(await linkToken({ user_id: 'usr_x', webhook: webhookUrl }));

		expect(received).toHaveLength(2);
		for (const webhook of received) {
			const result = await verifyPlaidWebhook({
				verificationHeader: webhook.headers['plaid-verification'] as string | undefined,
				rawBody: webhook.raw,
				getKey: publishedKey,
			});
			expect(result).toEqual({ ok: true, kid: emulator.signer.currentKid, issuedAt: expect.any(Number) });
		}
	});

	test.each(['+14155550011', '415-555-0011', '4155550011'])('%s: the public token unlocks the profile on /user_account/session/get', async (phoneNumber) => {
		const outcome = await emulator.finishLayerSession(await linkToken({ user: { client_user_id: 'u1' } }), { phoneNumber });

		const answer = await post('/user_account/session/get', { public_token: outcome.public_token! });

		expect(answer.status).toBe(200);
		expect(validate(answer.body, 'UserAccountSessionGetResponse', false)).toEqual([]);
		expect(answer.body.identity).toEqual({
			name: { first_name: 'Leslie', last_name: 'Knope' },
			address: { street: '123 Main St', street2: null, city: 'Pawnee', region: 'IN', postal_code: '46001', country: 'US' },
			phone_number: '+14155550011',
			email: 'leslie@example.com',
			date_of_birth: '1975-01-18',
			ssn: '123-45-6789',
			ssn_last_4: '6789',
		});
		expect(answer.body.items).toEqual([{ item_id: expect.stringMatching(/^[A-Za-z0-9]{37}$/), access_token: expect.stringMatching(/^access-sandbox-/) }]);
	});

	test('an ineligible number exits: no public token, only SESSION_FINISHED', async () => {
		const token = await linkToken({ user: { client_user_id: 'u1' }, webhook: webhookUrl });
		const tokensBefore = emulator.state.publicTokens.size;

		const outcome = await emulator.finishLayerSession(token, { phoneNumber: '+14155550000' });

		expect(outcome).toEqual({
			status: 'EXITED',
			link_session_id: expect.any(String),
			deliveries: [{ webhook_code: 'SESSION_FINISHED', status: 200, body: 'ok' }],
		});
		expect(emulator.state.publicTokens.size).toBe(tokensBefore);
		expect(received).toHaveLength(1);
		const finished = received[0].payload;
		expect(validate(finished, 'LinkSessionFinishedWebhook', false)).toEqual([]);
		expect(finished).toMatchObject({ status: 'EXITED', public_tokens: [], link_token: token, link_session_id: outcome.link_session_id });
		expect(finished).not.toHaveProperty('public_token');
		expect(finished).not.toHaveProperty('user_id');
	});

	test('an unknown link token throws', async () => {
		await expect(emulator.finishLayerSession('link-sandbox-nope')).rejects.toThrow('unknown link_token link-sandbox-nope');
	});

	test('without a webhook URL nothing is sent; options.webhookUrl supplies one', async () => {
		const token = await linkToken({ user: { client_user_id: 'u1' } });

		expect((await emulator.finishLayerSession(token)).deliveries).toEqual([]);
		expect(received).toEqual([]);

		const outcome = await emulator.finishLayerSession(token, { webhookUrl });
		expect(outcome.deliveries.map((delivery) => delivery.webhook_code)).toEqual(['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED']);
		expect(received).toHaveLength(2);
	});
});

describe('/user_account/session/get', () => {
	test.each([
		['a malformed token', 'nope', 'provided public token is in an invalid format. expected format: public-<environment>-<identifier>'],
		['an unknown token', 'public-sandbox-00000000-0000-4000-8000-000000000000', 'public token not found'],
	])('%s is refused', async (_name, publicToken, message) => {
		const answer = await post('/user_account/session/get', { public_token: publicToken });

		expect(answer).toMatchObject({ status: 400, body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_PUBLIC_TOKEN', error_message: message } });
		expect(validate(answer.body, 'PlaidError', false)).toEqual([]);
	});
});
