/**
 * The operations after Layer through n8n-core's WorkflowExecute against the emulator: each
 * request's body as Plaid's schema wants it, outputs read by the next node with expressions, one
 * item per account (paired with its input) or Plaid's whole answer, Plaid errors, continue-on-fail.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { endpoints } from '../../emulator/endpoints';
import { validate } from '../../emulator/schema';
import { runWorkflow } from '../../runner/run-workflow';
import { sharedEmulator } from '../support/shared-emulator';
import { chain, plaidNode, readNode, signups, webhookSource } from './workflows';

const emulator = sharedEmulator();

function credentials(overrides: Record<string, string> = {}) {
	return { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret, ...overrides } };
}

async function run(nodes: INode[], users = ['ada'], credentialOverrides: Record<string, string> = {}) {
	return await runWorkflow(chain([webhookSource(), ...nodes]), { mode: 'webhook', credentials: credentials(credentialOverrides), triggerItems: signups(...users) });
}

/** Every request the emulator got, each checked against its endpoint's closed request schema. */
function requestsTo(path: string) {
	const sent = emulator.requests.filter((request) => request.path === path);
	for (const request of sent) expect(validate(request.body, endpoints[path].requestSchema, true)).toEqual([]);
	return sent;
}

const createUser = plaidNode('Create User', { resource: 'user', operation: 'create', clientUserId: '={{ $json.body.user }}' });
const sandboxToken = (parameters: IDataObject = {}) =>
	plaidNode('Create Sandbox Public Token', {
		resource: 'sandbox',
		operation: 'createPublicToken',
		institutionId: 'ins_109508',
		initialProducts: ['auth', 'identity'],
		additionalFields: { userId: '={{ $json.user_id }}' },
		...parameters,
	});
const exchange = (parameters: IDataObject = {}, options: { continueOnFail?: boolean } = {}) =>
	plaidNode('Exchange Public Token', { resource: 'item', operation: 'exchangePublicToken', ...parameters }, options);
const withAccessToken = (name: string, resource: string, operation: string, parameters: IDataObject = {}, options: { continueOnFail?: boolean } = {}) =>
	plaidNode(name, { resource, operation, accessToken: "={{ $('Exchange Public Token').item.json.access_token }}", ...parameters }, options);

/** Sign-up → Create User → Create Sandbox Public Token → Exchange Public Token, then `nodes`. */
const linked = (...nodes: INode[]) => [createUser, sandboxToken(), exchange(), ...nodes];

describe('from a Sandbox public token to the bank data', () => {
	test('Exchange: its default Public Token reads the previous node; access_token and item_id come out', async () => {
		const result = await run([...linked(readNode('Use', { item: '={{ $json.item_id }}', token: '={{ $json.access_token }}' }))]);

		expect(result.error).toBeUndefined();
		const [created] = requestsTo('/sandbox/public_token/create');
		expect(created.body).toEqual({ institution_id: 'ins_109508', initial_products: ['auth', 'identity'], user_id: result.jsonOf('Create User')[0].user_id });
		const [output] = result.jsonOf('Create Sandbox Public Token');
		expect(Object.keys(output)).toEqual(['public_token', 'request_id']);
		const [exchanged] = requestsTo('/item/public_token/exchange');
		expect(exchanged.body).toEqual({ public_token: output.public_token });
		expect(result.jsonOf('Exchange Public Token')).toEqual([{ access_token: expect.stringMatching(/^access-sandbox-/), item_id: expect.any(String), request_id: exchanged.answer.request_id }]);
		expect(result.jsonOf('Use')[0]).toMatchObject({ item: result.jsonOf('Exchange Public Token')[0].item_id });
	});

	test('Get Auth: one item per account with its numbers, each paired with its sign-up', async () => {
		const result = await run(
			linked(
				withAccessToken('Get Auth', 'auth', 'get'),
				readNode('Use', {
					account: '={{ $json.name }} {{ $json.mask }}',
					routing: '={{ $json.numbers.ach[0].routing }}',
					number: '={{ $json.numbers.ach[0].account }}',
					item: '={{ $json.item_id }}',
					who: "={{ $('Sign-up webhook').item.json.body.user }}",
				}),
			),
			['ada', 'grace'],
		);

		expect(result.error).toBeUndefined();
		const auth = result.itemsOf('Get Auth');
		expect(auth.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		const items = result.jsonOf('Exchange Public Token').map((json) => json.item_id);
		expect(result.jsonOf('Use')).toEqual([
			{ account: 'Plaid Checking 0000', routing: '011401533', number: '1111222233330000', item: items[0], who: 'ada' },
			{ account: 'Plaid Saving 1111', routing: '011401533', number: '1111222233331111', item: items[0], who: 'ada' },
			{ account: 'Plaid Checking 0000', routing: '011401533', number: '1111222233330000', item: items[1], who: 'grace' },
			{ account: 'Plaid Saving 1111', routing: '011401533', number: '1111222233331111', item: items[1], who: 'grace' },
		]);
		expect(requestsTo('/auth/get').map((request) => request.body)).toEqual(result.jsonOf('Exchange Public Token').map((json) => ({ access_token: json.access_token })));
		expect(auth[0].json.request_id).toBe(requestsTo('/auth/get')[0].answer.request_id);
	});

	test('Get Many Accounts: five accounts per Item; the whole answer as one item when chosen', async () => {
		const result = await run(
			linked(
				withAccessToken('Get Many Accounts', 'account', 'getAll'),
				withAccessToken('Whole Answer', 'account', 'getAll', { output: 'whole', additionalFields: { accountIds: "={{ $('Get Many Accounts').first().json.account_id }}" } }),
			),
		);

		expect(result.error).toBeUndefined();
		const accounts = result.jsonOf('Get Many Accounts');
		expect(accounts.map((account) => account.name)).toEqual(['Plaid Checking', 'Plaid Saving', 'Plaid CD', 'Plaid Credit Card', 'Plaid Money Market']);
		expect(accounts[0]).toMatchObject({ balances: { available: 100, current: 110 }, item_id: result.jsonOf('Exchange Public Token')[0].item_id });
		// The next node runs once per account; with the whole answer, once per account too (its input): five answers of one account each.
		const whole = result.jsonOf('Whole Answer');
		expect(whole).toHaveLength(5);
		expect(Object.keys(whole[0]).sort()).toEqual(['accounts', 'item', 'request_id']);
		expect((whole[0].accounts as IDataObject[]).map((account) => account.name)).toEqual(['Plaid Checking']);
		expect(requestsTo('/accounts/get')[1].body).toMatchObject({ options: { account_ids: [accounts[0].account_id] } });
	});

	test('Get Balance: the oldest balance accepted goes along in Plaid’s format', async () => {
		const result = await run(
			linked(withAccessToken('Get Balance', 'account', 'getBalance', { additionalFields: { minLastUpdatedDatetime: '={{ $now.minus(1, "hour").toISO() }}' } }), readNode('Use', { available: '={{ $json.balances.available }}' })),
		);

		expect(result.error).toBeUndefined();
		const [request] = requestsTo('/accounts/balance/get');
		const sent = (request.body as { options: { min_last_updated_datetime: string } }).options.min_last_updated_datetime;
		expect(sent).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(Math.abs(Date.parse(sent) - (Date.now() - 3_600_000))).toBeLessThan(60_000);
		expect(result.jsonOf('Use').map((json) => json.available)).toEqual(['100', '200', null, null, '43200']);
	});

	test('Get Identity and Match Identity: owners beside each account, then scores for what the user signed up with', async () => {
		const signup = { json: { headers: {}, params: {}, query: {}, body: { user: 'ada', name: 'Alberta Charleson', phone: '+1 111 222 4444', email: 'accountholder0@example.com', zip: '14236' } } };
		const nodes = linked(
			withAccessToken('Get Identity', 'identity', 'get'),
			withAccessToken('Match Identity', 'identity', 'match', {
				additionalFields: {
					legalName: "={{ $('Sign-up webhook').item.json.body.name }}",
					phoneNumber: "={{ $('Sign-up webhook').item.json.body.phone }}",
					emailAddress: "={{ $('Sign-up webhook').item.json.body.email }}",
					postalCode: "={{ $('Sign-up webhook').item.json.body.zip }}",
					country: 'US',
					accountIds: '={{ $json.account_id }}',
				},
			}),
			readNode('Decide', { owner: "={{ $('Get Identity').item.json.owners[0].names[0] }}", name: '={{ $json.legal_name.score }}', phone: '={{ $json.phone_number.score }}', email: '={{ $json.email_address.score }}', same_person: '={{ $json.legal_name.score >= 70 && $json.phone_number.score >= 70 }}' }),
		);
		const result = await runWorkflow(chain([webhookSource(), ...nodes]), { mode: 'webhook', credentials: credentials(), triggerItems: [signup] });

		expect(result.error).toBeUndefined();
		expect(result.jsonOf('Get Identity')).toHaveLength(5);
		expect(result.jsonOf('Get Identity')[0].owners).toEqual([expect.objectContaining({ names: ['Alberta Bobbeth Charleson'] })]);
		const matches = requestsTo('/identity/match');
		expect(matches).toHaveLength(5);
		expect(matches[0].body).toEqual({
			access_token: result.jsonOf('Exchange Public Token')[0].access_token,
			options: { account_ids: [result.jsonOf('Get Identity')[0].account_id] },
			user: { legal_name: 'Alberta Charleson', phone_number: '+11112224444', email_address: 'accountholder0@example.com', address: { postal_code: '14236', country: 'US' } },
		});
		expect(result.jsonOf('Decide')[0]).toEqual({ owner: 'Alberta Bobbeth Charleson', name: '99', phone: '100', email: '100', same_person: 'true' });
		expect(result.itemsOf('Match Identity').map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});
});

describe('Items and users', () => {
	test('Get Item, Remove Item; the removed Item’s access token is then refused by Plaid', async () => {
		const result = await run(
			linked(
				withAccessToken('Get Item', 'item', 'get'),
				withAccessToken('Remove Item', 'item', 'remove', { additionalFields: { reasonCode: 'OTHER', reasonNote: 'closed the account' } }),
				withAccessToken('Get Item Again', 'item', 'get', {}, { continueOnFail: true }),
			),
		);

		expect(result.error).toBeUndefined();
		expect(result.jsonOf('Get Item')[0]).toMatchObject({ item: { institution_name: 'First Platypus Bank', billed_products: ['auth', 'identity'] }, request_id: expect.any(String) });
		expect(requestsTo('/item/remove')[0].body).toMatchObject({ reason_code: 'OTHER', reason_note: 'closed the account' });
		expect(result.jsonOf('Remove Item')).toEqual([{ removed: true, request_id: requestsTo('/item/remove')[0].answer.request_id }]);
		expect(result.itemsOf('Get Item Again')).toEqual([
			{
				json: { error: expect.objectContaining({ message: 'Plaid INVALID_ACCESS_TOKEN: could not find matching access token', error_code: 'INVALID_ACCESS_TOKEN', http_code: '400' }) },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Get User, Get User Items (one item per Item), Remove User', async () => {
		const userId = "={{ $('Create User').item.json.user_id }}";
		const result = await run(
			linked(
				plaidNode('Get User', { resource: 'user', operation: 'get', userId }),
				plaidNode('Get User Items', { resource: 'user', operation: 'getItems', userId }),
				plaidNode('Remove User', { resource: 'user', operation: 'remove', userId }),
				plaidNode('Get User Again', { resource: 'user', operation: 'get', userId }, { continueOnFail: true }),
			),
			// A user of their own: Get User Items gives one item per Item, and this user has one.
			[`items-owner-${Date.now()}`],
		);

		expect(result.error).toBeUndefined();
		const [user] = result.jsonOf('Create User');
		expect(result.jsonOf('Get User')[0]).toMatchObject({ user_id: user.user_id, client_user_id: expect.stringMatching(/^items-owner-/), identity: null, created_at: expect.any(String) });
		expect(result.jsonOf('Get User Items')).toEqual([
			expect.objectContaining({ item_id: result.jsonOf('Exchange Public Token')[0].item_id, institution_id: 'ins_109508', user_id: user.user_id, request_id: expect.any(String) }),
		]);
		expect(requestsTo('/user/remove')[0].body).toEqual({ user_id: user.user_id });
		expect(result.jsonOf('Remove User')).toEqual([{ removed: true, request_id: expect.any(String) }]);
		expect(result.jsonOf('Get User Again')[0].error).toMatchObject({ error_code: 'USER_NOT_FOUND', error_type: 'USER_ERROR' });
	});
});

describe('standard Link, finished without a front end', () => {
	test('Create Link Token → the user links a bank → Get Link Token → Exchange with its default Public Token', async () => {
		const first = await run([
			createUser,
			plaidNode('Create Link Token', {
				resource: 'linkToken',
				operation: 'create',
				clientName: 'Acme',
				language: 'en',
				countryCodes: ['US'],
				products: ['auth'],
				userId: '={{ $json.user_id }}',
				clientUserId: "={{ $('Sign-up webhook').item.json.body.user }}",
				additionalFields: { phoneNumber: '+14155550011', optionalProducts: ['identity'], webhook: 'https://n8n.example.com/webhook/plaid' },
			}),
			readNode('Use', { open: '=https://app.example.com/link#{{ $json.link_token }}' }),
		]);

		expect(first.error).toBeUndefined();
		const [token] = first.jsonOf('Create Link Token');
		expect(Object.keys(token)).toEqual(['link_token', 'expiration', 'user_id', 'request_id']);
		expect(first.jsonOf('Use')[0].open).toBe(`https://app.example.com/link#${token.link_token}`);
		expect(requestsTo('/link/token/create')[0].body).toEqual({
			client_name: 'Acme',
			language: 'en',
			country_codes: ['US'],
			user_id: first.jsonOf('Create User')[0].user_id,
			user: { client_user_id: 'ada', phone_number: '+14155550011' },
			products: ['auth'],
			optional_products: ['identity'],
			webhook: 'https://n8n.example.com/webhook/plaid',
		});

		const outcome = emulator.finishLinkSession(token.link_token as string);
		emulator.reset();
		const second = await runWorkflow(
			chain([webhookSource(), plaidNode('Get Link Token', { resource: 'linkToken', operation: 'get', linkToken: '={{ $json.body.token }}' }), exchange(), withAccessToken('Get Auth', 'auth', 'get')]),
			{ mode: 'webhook', credentials: credentials(), triggerItems: [{ json: { body: { token: token.link_token } } }] },
		);

		expect(second.error).toBeUndefined();
		expect(second.jsonOf('Get Link Token')[0]).toMatchObject({ status: 'SUCCESS', public_tokens: [outcome.public_token], link_session_id: outcome.link_session_id, link_token: token.link_token });
		expect(requestsTo('/item/public_token/exchange')[0].body).toEqual({ public_token: outcome.public_token });
		expect(second.jsonOf('Get Auth')).toHaveLength(2);
	});
});

describe('refused before anything is sent', () => {
	test.each<[string, INode, RegExp]>([
		['Create Link Token with Balance', plaidNode('Op', { resource: 'linkToken', operation: 'create', clientName: 'Acme', countryCodes: ['US'], products: ['auth', 'balance'], clientUserId: 'ada' }), /^Products must not list Balance \[item 0\]$/],
		['Get Auth with a public token', plaidNode('Op', { resource: 'auth', operation: 'get', accessToken: 'public-sandbox-1' }), /^Access Token is not a Plaid access token \(it is a public token\)/],
		['Match Identity with nothing to match', plaidNode('Op', { resource: 'identity', operation: 'match', accessToken: 'access-sandbox-1', additionalFields: { legalName: '={{ $json.body.name }}' } }), /nothing to match \[item 0\]$/],
		['Remove User without a user', plaidNode('Op', { resource: 'user', operation: 'remove', userId: '={{ $json.body.missing }}' }), /^User ID is empty \[item 0\]$/],
		['Get Link Token with an access token', plaidNode('Op', { resource: 'linkToken', operation: 'get', linkToken: 'access-sandbox-1' }), /^Link Token is not a Plaid link token/],
	])('%s', async (_case, node, message) => {
		const result = await run([node]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(message);
		expect(emulator.requests).toHaveLength(0);
	});

	test('Create Sandbox Public Token with a Production credential (which would call production.plaid.com)', async () => {
		const result = await run([sandboxToken({ additionalFields: {} })], ['ada'], { environment: 'production' });
		expect(result.error?.message).toBe('Create Sandbox Public Token works only in Sandbox, but the credential is a Production one [item 0]');
		expect(result.error?.description).toMatch(/Environment Sandbox/);
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Plaid errors and continue-on-fail', () => {
	test('an unknown public token: Plaid INVALID_PUBLIC_TOKEN, told as Plaid tells it', async () => {
		const result = await run([exchange({ publicToken: 'public-sandbox-00000000-0000-0000-0000-000000000000' })]);
		expect(result.error?.message).toBe('Plaid INVALID_PUBLIC_TOKEN: could not find matching public token');
		expect(result.error?.description).not.toMatch(/earlier attempt/);
		expect(emulator.requests).toHaveLength(1);
	});

	test('with continue-on-fail, the failed exchange becomes an error item; the other goes on, each paired', async () => {
		const result = await run(
			[createUser, sandboxToken(), exchange({ publicToken: "={{ $('Sign-up webhook').item.json.body.user === 'bad' ? 'public-sandbox-nope' : $json.public_token }}" }, { continueOnFail: true })],
			['ada', 'bad', 'grace'],
		);

		expect(result.error).toBeUndefined();
		const items = result.itemsOf('Exchange Public Token');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.access_token).toMatch(/^access-sandbox-/);
		expect(items[1].json.error).toMatchObject({ error_code: 'INVALID_PUBLIC_TOKEN', request_id: expect.any(String) });
		expect(items[2].json.access_token).toMatch(/^access-sandbox-/);
	});

	test('Leave Out drops the access token from the output (and from the execution data)', async () => {
		const result = await run([createUser, sandboxToken(), exchange({ leaveOut: ['access_token'] })]);
		expect(result.jsonOf('Exchange Public Token')).toEqual([{ item_id: expect.any(String), request_id: expect.any(String) }]);
		const accessToken = emulator.requests.find((request) => request.path === '/item/public_token/exchange')!.answer.access_token as string;
		expect(JSON.stringify(result.run)).not.toContain(accessToken);
	});
});
