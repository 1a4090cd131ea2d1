/**
 * Once-only calls through n8n-core when answers get lost. Plaid exchanges a public token once
 * (and removes an Item or a user once): when the emulator handles the request and then drops the
 * answer (`lost_answer`, as a failing network on the way back does), the retry meets Plaid's
 * refusal, and the error says what most likely happened and what to do. A failure that never
 * reached Plaid is retried to success as before.
 */
import axios from 'axios';
import type { IDataObject, INode } from 'n8n-workflow';

import { PlaidEmulator } from '../../emulator/server';
import { runWorkflow } from '../../runner/run-workflow';
import { sharedEmulator } from '../support/shared-emulator';
import { chain, plaidNode, webhookSource } from './workflows';

const emulator = sharedEmulator();

async function plaid(path: string, body: Record<string, unknown>) {
	const response = await axios.post(`${emulator.url}${path}`, body, {
		headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		validateStatus: () => true,
	});
	return response.data as Record<string, string>;
}

const publicToken = async () => (await plaid('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['auth'] })).public_token;

async function run(node: INode, input: IDataObject, baseUrl = emulator.url) {
	return await runWorkflow(chain([webhookSource(), node]), {
		mode: 'webhook',
		credentials: { plaidLayerApi: { environment: 'custom', baseUrl, clientId: emulator.clientId, secret: emulator.secret } },
		triggerItems: [{ json: input }],
	});
}

const requestOptions = { timeoutSeconds: 1 };
const exchange = (options: { continueOnFail?: boolean; maxRetries?: number } = {}) =>
	plaidNode(
		'Exchange Public Token',
		{ resource: 'item', operation: 'exchangePublicToken', publicToken: '={{ $json.token }}', requestOptions: { ...requestOptions, ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }) } },
		{ continueOnFail: options.continueOnFail },
	);

describe('Exchange Public Token', () => {
	test('the answer is lost after Plaid exchanged the token: the retry’s INVALID_PUBLIC_TOKEN says the first attempt probably succeeded', async () => {
		const token = await publicToken();
		emulator.reset();
		emulator.failNext('lost_answer');
		const result = await run(exchange(), { token });

		expect(emulator.requests.map((request) => request.fault ?? request.status)).toEqual(['lost_answer', 400]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Plaid INVALID_PUBLIC_TOKEN: the first attempt probably exchanged the public token, and its access token is lost');
		const description = result.error?.description ?? '';
		expect(description).toMatch(/^An earlier attempt of this exchange got no answer \(ECONNRESET\)\. Plaid most likely exchanged the public token then: the Item exists, but its access_token was in the lost answer/);
		expect(description).toMatch(/ask the user to link their bank again/);
		expect(description).toContain("Plaid's answer to the retry: could not find matching public token");
		expect(description).toContain(`Plaid request ID: ${emulator.requests[1].answer.request_id}`);
		expect(description).toContain('Tried 2 times; the last answer is shown.');
		// It is true: the lost answer's access token opens the Item Plaid created.
		const lostAccessToken = emulator.requests[0].answer.access_token as string;
		expect((await plaid('/accounts/get', { access_token: lostAccessToken })).item).toMatchObject({ item_id: emulator.requests[0].answer.item_id });
	});

	test('with continue-on-fail, the explanation and Plaid’s fields are in the error item', async () => {
		const token = await publicToken();
		emulator.reset();
		emulator.failNext('lost_answer');
		const result = await run(exchange({ continueOnFail: true }), { token });

		expect(result.error).toBeUndefined();
		expect(result.itemsOf('Exchange Public Token')).toEqual([
			{
				json: {
					error: expect.objectContaining({
						message: 'Plaid INVALID_PUBLIC_TOKEN: the first attempt probably exchanged the public token, and its access token is lost',
						description: expect.stringContaining('got no answer (ECONNRESET)'),
						error_code: 'INVALID_PUBLIC_TOKEN',
						error_message: 'could not find matching public token',
					}),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test.each(['reset', 'rate_limit', 'internal_error'] as const)('%s before Plaid did anything: the retry exchanges the token', async (fault) => {
		const token = await publicToken();
		emulator.reset();
		emulator.failNext(fault);
		const result = await run(exchange(), { token });

		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((request) => request.fault ?? request.status)).toEqual([fault, 200]);
		const [output] = result.jsonOf('Exchange Public Token');
		expect(output.access_token).toBe(emulator.requests[1].answer.access_token);
		expect((await plaid('/item/get', { access_token: output.access_token as string })).item).toBeDefined();
	});

	test('no answer on any attempt: the error says the token may be used up with its access token', async () => {
		const token = await publicToken();
		emulator.reset();
		emulator.failNext('timeout', 2);
		const result = await run(exchange({ maxRetries: 1 }), { token });

		expect(emulator.requests.map((request) => request.fault)).toEqual(['timeout', 'timeout']);
		expect(result.error?.message).toMatch(/^Could not reach Plaid at http:\/\/127\.0\.0\.1:\d+$/);
		expect(result.error?.description).toMatch(/The connection failed with ECONNABORTED/);
		expect(result.error?.description).toContain('An attempt may have reached Plaid: if Plaid exchanged the public token, its access token is lost with the answer');
		expect(result.error?.description).toContain('Tried 2 times; the last answer is shown.');
	});

	test('a refused connection never reached Plaid: no such warning', async () => {
		const closed = await PlaidEmulator.start();
		const url = closed.url;
		await closed.stop();
		const result = await run(exchange({ maxRetries: 1 }), { token: 'public-sandbox-never-sent' }, url);

		expect(result.error?.message).toBe(`Could not reach Plaid at ${url}`);
		expect(result.error?.description).toMatch(/ECONNREFUSED/);
		expect(result.error?.description).not.toMatch(/may have reached Plaid/);
	});
});

describe('Remove Item and Remove User', () => {
	async function linkedItem(userId?: string) {
		const { public_token } = await plaid('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['auth'], ...(userId && { user_id: userId }) });
		return (await plaid('/item/public_token/exchange', { public_token })).access_token;
	}

	test('Remove Item whose answer is lost: the retry’s INVALID_ACCESS_TOKEN says the Item was probably removed', async () => {
		const accessToken = await linkedItem();
		emulator.reset();
		emulator.failNext('lost_answer');
		const result = await run(plaidNode('Remove Item', { resource: 'item', operation: 'remove', accessToken: '={{ $json.token }}', requestOptions }), { token: accessToken });

		expect(emulator.requests.map((request) => request.fault ?? request.status)).toEqual(['lost_answer', 400]);
		expect(result.error?.message).toBe('Plaid INVALID_ACCESS_TOKEN: the first attempt probably removed the Item already');
		expect(result.error?.description).toMatch(/^An earlier attempt got no answer \(ECONNRESET\)\. Plaid most likely removed the Item then/);
		expect((await plaid('/item/get', { access_token: accessToken })).error_code).toBe('INVALID_ACCESS_TOKEN');
	});

	test('Remove User whose answer is lost: the retry’s USER_NOT_FOUND says the user was probably removed', async () => {
		const { user_id: userId } = await plaid('/user/create', { client_user_id: `lost-answer-${Date.now()}` });
		emulator.reset();
		emulator.failNext('lost_answer');
		const result = await run(plaidNode('Remove User', { resource: 'user', operation: 'remove', userId: '={{ $json.user }}', requestOptions }), { user: userId });

		expect(result.error?.message).toBe('Plaid USER_NOT_FOUND: the first attempt probably removed the user already');
		expect((await plaid('/user/get', { user_id: userId })).error_code).toBe('USER_NOT_FOUND');
	});

	test('a read whose answer is lost is simply read again', async () => {
		const accessToken = await linkedItem();
		emulator.reset();
		emulator.failNext('lost_answer');
		const result = await run(plaidNode('Get Auth', { resource: 'auth', operation: 'get', accessToken: '={{ $json.token }}', requestOptions }), { token: accessToken });

		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((request) => request.fault ?? request.status)).toEqual(['lost_answer', 200]);
		expect(result.jsonOf('Get Auth')).toHaveLength(2);
	});
});
