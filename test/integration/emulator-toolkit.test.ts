/**
 * The emulated Plaid after Layer: users own Items, public tokens exchange once, product
 * endpoints read the Item, removal ends it everywhere; every answer matches its published schema.
 */
import axios from 'axios';

import { responseSchemaOf } from '../../emulator/endpoints';
import { validate } from '../../emulator/schema';
import { DEFAULT_TEMPLATE_ID } from '../../emulator/server';
import { sharedEmulator } from '../support/shared-emulator';

const emulator = sharedEmulator();

/** Plaid's JSON as JSON.parse gives it: the tests read deep fields without a cast each time. */
type Json = ReturnType<typeof JSON.parse>;

async function post(path: string, body: Record<string, unknown>) {
	const response = await axios.post(`${emulator.url}${path}`, body, {
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		validateStatus: () => true,
	});
	const answer = { status: response.status, body: response.data as Record<string, Json> };
	// Every answer, success or error, is in the shape Plaid publishes for it.
	expect(validate(answer.body, answer.status === 200 ? responseSchemaOf(path) : 'PlaidError', false)).toEqual([]);
	return answer;
}

async function expectPlaidError(answer: Promise<{ status: number; body: Record<string, Json> }>, type: string, code: string, message?: string | RegExp) {
	const { status, body } = await answer;
	expect(status).toBe(400);
	expect(body).toMatchObject({ error_type: type, error_code: code });
	if (message) expect(body.error_message).toMatch(message);
}

let clientUserCounter = 0;
async function newUser(): Promise<string> {
	const { body } = await post('/user/create', { client_user_id: `toolkit-${++clientUserCounter}-${Date.now()}` });
	return body.user_id as string;
}

async function newItem(userId?: string, products = ['auth', 'identity']) {
	const created = await post('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: products, ...(userId && { user_id: userId }) });
	expect(created.status).toBe(200);
	const exchanged = await post('/item/public_token/exchange', { public_token: created.body.public_token });
	expect(exchanged.status).toBe(200);
	return { publicToken: created.body.public_token as string, accessToken: exchanged.body.access_token as string, itemId: exchanged.body.item_id as string };
}

describe('a Sandbox Item from public token to removal', () => {
	test('the public token exchanges once into an access token every product endpoint accepts', async () => {
		const userId = await newUser();
		const { publicToken, accessToken, itemId } = await newItem(userId);
		expect(publicToken).toMatch(/^public-sandbox-[0-9a-f-]{36}$/);
		expect(accessToken).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);

		await expectPlaidError(post('/item/public_token/exchange', { public_token: publicToken }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'could not find matching public token');

		const item = await post('/item/get', { access_token: accessToken });
		expect(item.body.item).toMatchObject({ item_id: itemId, institution_id: 'ins_109508', institution_name: 'First Platypus Bank', billed_products: ['auth', 'identity'], webhook: null });

		const accounts = await post('/accounts/get', { access_token: accessToken });
		expect(accounts.body.accounts.map((account: { name: string; mask: string }) => `${account.name} ${account.mask}`)).toEqual([
			'Plaid Checking 0000',
			'Plaid Saving 1111',
			'Plaid CD 2222',
			'Plaid Credit Card 3333',
			'Plaid Money Market 4444',
		]);
		expect(accounts.body.accounts[0].balances).toEqual({ available: 100, current: 110, limit: null, iso_currency_code: 'USD', unofficial_currency_code: null });
		expect(accounts.body.item.item_id).toBe(itemId);

		const balance = await post('/accounts/balance/get', { access_token: accessToken, options: { min_last_updated_datetime: '2026-01-01T00:00:00Z' } });
		expect(balance.body.accounts).toHaveLength(5);

		const auth = await post('/auth/get', { access_token: accessToken });
		expect(auth.body.accounts.map((account: { subtype: string }) => account.subtype)).toEqual(['checking', 'savings']);
		expect(auth.body.numbers.ach).toEqual([
			{ account_id: auth.body.accounts[0].account_id, account: '1111222233330000', routing: '011401533', wire_routing: '021000021' },
			{ account_id: auth.body.accounts[1].account_id, account: '1111222233331111', routing: '011401533', wire_routing: '021000021' },
		]);

		const identity = await post('/identity/get', { access_token: accessToken });
		expect(identity.body.accounts[0].owners[0].names).toEqual(['Alberta Bobbeth Charleson']);

		const items = await post('/user/items/get', { user_id: userId });
		expect(items.body.items.map((entry: { item_id: string }) => entry.item_id)).toEqual([itemId]);

		expect((await post('/item/remove', { access_token: accessToken, reason_code: 'OTHER', reason_note: 'closed their account' })).status).toBe(200);
		for (const path of ['/item/get', '/accounts/get', '/auth/get', '/identity/get', '/item/remove']) {
			await expectPlaidError(post(path, { access_token: accessToken }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 'could not find matching access token');
		}
		expect((await post('/user/items/get', { user_id: userId })).body.items).toEqual([]);
	});

	test('product endpoints used later are billed from then on; the rest stay available', async () => {
		const { accessToken } = await newItem(undefined, ['auth']);
		await post('/identity/get', { access_token: accessToken });
		const { item } = (await post('/item/get', { access_token: accessToken })).body;
		expect(item.billed_products).toEqual(['auth', 'identity']);
		expect(item.available_products).not.toContain('auth');
		expect(item.available_products).toContain('transactions');
	});

	test('options.account_ids selects accounts; an id the Item lacks is INVALID_ACCOUNT_ID', async () => {
		const { accessToken } = await newItem();
		const all = (await post('/accounts/get', { access_token: accessToken })).body.accounts;
		const one = await post('/identity/get', { access_token: accessToken, options: { account_ids: [all[1].account_id] } });
		expect(one.body.accounts.map((account: { name: string }) => account.name)).toEqual(['Plaid Saving']);
		await expectPlaidError(post('/auth/get', { access_token: accessToken, options: { account_ids: ['nope'] } }), 'INVALID_INPUT', 'INVALID_ACCOUNT_ID');
	});

	test.each([
		['a malformed', 'not-a-token', /invalid format/],
		['an unknown', 'access-sandbox-00000000-0000-0000-0000-000000000000', /could not find matching access token/],
	])('%s access token is INVALID_ACCESS_TOKEN', async (_case, token, message) => {
		await expectPlaidError(post('/accounts/get', { access_token: token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN', message);
	});

	test('public tokens: malformed, unknown and expired ones are INVALID_PUBLIC_TOKEN', async () => {
		await expectPlaidError(post('/item/public_token/exchange', { public_token: 'link-sandbox-1' }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', /invalid format/);
		await expectPlaidError(post('/item/public_token/exchange', { public_token: 'public-sandbox-unknown' }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN');
		const { body } = await post('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['auth'] });
		emulator.state.itemPublicTokens.get(body.public_token)!.expiresAt = Date.now() - 1;
		await expectPlaidError(post('/item/public_token/exchange', { public_token: body.public_token }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN');
	});
});

describe('/sandbox/public_token/create', () => {
	test('options reach the Item: its webhook', async () => {
		const created = await post('/sandbox/public_token/create', {
			institution_id: 'ins_109512',
			initial_products: ['transactions'],
			options: { webhook: 'https://n8n.example.com/webhook/plaid', override_username: 'user_good', override_password: 'pass_good' },
		});
		const { access_token } = (await post('/item/public_token/exchange', { public_token: created.body.public_token })).body;
		expect((await post('/item/get', { access_token })).body.item).toMatchObject({ institution_name: 'Houndstooth Bank', webhook: 'https://n8n.example.com/webhook/plaid' });
	});

	test.each<[string, Record<string, unknown>, string, string]>([
		['an unknown institution', { institution_id: 'ins_1', initial_products: ['auth'] }, 'INSTITUTION_ERROR', 'INSTITUTION_NOT_FOUND'],
		['wrong test credentials', { institution_id: 'ins_109508', initial_products: ['auth'], options: { override_password: 'pass_bad' } }, 'ITEM_ERROR', 'INVALID_CREDENTIALS'],
		['a product the bank lacks', { institution_id: 'ins_109508', initial_products: ['payment_initiation'] }, 'ITEM_ERROR', 'PRODUCTS_NOT_SUPPORTED'],
		['an unknown user', { institution_id: 'ins_109508', initial_products: ['auth'], user_id: 'usr_unknown' }, 'USER_ERROR', 'USER_NOT_FOUND'],
	])('%s is refused', async (_case, body, type, code) => {
		await expectPlaidError(post('/sandbox/public_token/create', body), type, code);
	});

	test('initial_products may not be empty (the schema)', async () => {
		const { status, body } = await post('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: [] });
		expect(status).toBe(400);
		expect(body).toMatchObject({ error_code: 'INVALID_FIELD', error_message: 'initial_products must have at least 1 items' });
	});
});

describe('users', () => {
	test('/user/get returns what /user/create stored; /user/remove removes the user and its Items', async () => {
		const clientUserId = `remove-me-${Date.now()}`;
		const { user_id: userId } = (await post('/user/create', { client_user_id: clientUserId, identity: { name: { given_name: 'Leslie', family_name: 'Knope' } } })).body;
		const user = await post('/user/get', { user_id: userId });
		expect(user.body).toMatchObject({ user_id: userId, client_user_id: clientUserId, identity: { name: { given_name: 'Leslie', family_name: 'Knope' } } });
		const { accessToken } = await newItem(userId);

		expect((await post('/user/remove', { user_id: userId })).status).toBe(200);
		await expectPlaidError(post('/user/get', { user_id: userId }), 'USER_ERROR', 'USER_NOT_FOUND');
		await expectPlaidError(post('/user/items/get', { user_id: userId }), 'USER_ERROR', 'USER_NOT_FOUND');
		await expectPlaidError(post('/user/remove', { user_id: userId }), 'USER_ERROR', 'USER_NOT_FOUND');
		await expectPlaidError(post('/accounts/get', { access_token: accessToken }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		// The client_user_id is free again: a new user.
		expect((await post('/user/create', { client_user_id: clientUserId })).body.user_id).not.toBe(userId);
	});

	test('/user/remove and /user/items/get need user_id (or a legacy user_token)', async () => {
		await expectPlaidError(post('/user/remove', {}), 'INVALID_REQUEST', 'MISSING_FIELDS', 'the following required fields are missing: user_id');
		await expectPlaidError(post('/user/items/get', { user_token: 'user-sandbox-legacy' }), 'USER_ERROR', 'USER_NOT_FOUND');
	});
});

describe('/link/token/create and /link/token/get', () => {
	const base = { client_name: 'Acme', language: 'en', country_codes: ['US'], products: ['auth'], user: { client_user_id: 'u-1' } };

	test('a token /link/token/get knows; a finished session carries the public token that exchanges once', async () => {
		const userId = await newUser();
		const created = await post('/link/token/create', { ...base, user: undefined, user_id: userId, webhook: 'https://n8n.example.com/webhook/plaid', optional_products: ['identity'] });
		expect(created.body).toMatchObject({ link_token: expect.stringMatching(/^link-sandbox-/), user_id: userId });
		const hoursLeft = (Date.parse(created.body.expiration) - Date.now()) / 3_600_000;
		expect(hoursLeft).toBeGreaterThan(3.9);

		const before = await post('/link/token/get', { link_token: created.body.link_token });
		expect(before.body).toMatchObject({ link_sessions: [], metadata: { initial_products: ['auth'], client_name: 'Acme', country_codes: ['US'], language: 'en', webhook: 'https://n8n.example.com/webhook/plaid', redirect_uri: null }, user_id: userId });

		const outcome = emulator.finishLinkSession(created.body.link_token, { institutionId: 'ins_109511' });
		expect(outcome).toMatchObject({ status: 'SUCCESS', public_token: expect.stringMatching(/^public-sandbox-/) });
		const after = await post('/link/token/get', { link_token: created.body.link_token });
		const [session] = after.body.link_sessions;
		expect(session.link_session_id).toBe(outcome.link_session_id);
		expect(session.exit).toBeNull();
		expect(session.results.item_add_results).toEqual([
			{ public_token: outcome.public_token, institution: { name: 'Tartan Bank', institution_id: 'ins_109511' }, accounts: expect.arrayContaining([expect.objectContaining({ name: 'Plaid Checking', mask: '0000' })]) },
		]);

		const exchanged = await post('/item/public_token/exchange', { public_token: outcome.public_token! });
		const { item } = (await post('/item/get', { access_token: exchanged.body.access_token })).body;
		expect(item).toMatchObject({ institution_id: 'ins_109511', webhook: 'https://n8n.example.com/webhook/plaid', billed_products: ['auth', 'identity'] });
		expect((await post('/user/items/get', { user_id: userId })).body.items.map((entry: { item_id: string }) => entry.item_id)).toEqual([item.item_id]);
		await expectPlaidError(post('/item/public_token/exchange', { public_token: outcome.public_token! }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN');
	});

	test('a session the user left: exit, no public token', async () => {
		const { link_token } = (await post('/link/token/create', base)).body;
		expect(emulator.finishLinkSession(link_token, { outcome: 'exit' })).toEqual({ status: 'EXITED', link_session_id: expect.any(String) });
		const [session] = (await post('/link/token/get', { link_token })).body.link_sessions;
		expect(session.results).toBeNull();
		expect(session.exit).toMatchObject({ error: null, metadata: { status: 'requires_credentials' } });
	});

	test('finishLinkSession refuses a Layer token and an unknown one', async () => {
		const layer = (await post('/session/token/create', { template_id: DEFAULT_TEMPLATE_ID, user: { client_user_id: 'u' } })).body.link.link_token;
		expect(() => emulator.finishLinkSession(layer)).toThrow(/create one with \/link\/token\/create/);
		expect(() => emulator.finishLinkSession('link-sandbox-nope')).toThrow(/unknown link_token/);
	});

	test('update mode: an access token and no products; the token lives 30 minutes', async () => {
		const { accessToken } = await newItem();
		const created = await post('/link/token/create', { ...base, products: undefined, access_token: accessToken });
		const minutesLeft = (Date.parse(created.body.expiration) - Date.now()) / 60_000;
		expect(minutesLeft).toBeGreaterThan(29);
		expect(minutesLeft).toBeLessThanOrEqual(30);
	});

	test('an unknown link token is INVALID_LINK_TOKEN', async () => {
		await expectPlaidError(post('/link/token/get', { link_token: 'link-sandbox-nope' }), 'INVALID_INPUT', 'INVALID_LINK_TOKEN');
	});

	test.each<[string, Record<string, unknown>, string, string | RegExp]>([
		['no user and no user_id', { ...base, user: undefined }, 'MISSING_FIELDS', 'the following required fields are missing: user'],
		['no products outside update mode', { ...base, products: [] }, 'INVALID_FIELD', /^products must contain at least one product/],
		['balance as a product', { ...base, products: ['auth', 'balance'] }, 'INVALID_FIELD', /^products must not contain balance/],
		['products listed twice', { ...base, products: ['auth'], optional_products: ['identity', 'auth'] }, 'INVALID_FIELD', 'products and optional_products must not overlap: auth'],
		['required-if-supported overlapping additional-consented', { ...base, required_if_supported_products: ['identity'], additional_consented_products: ['identity'] }, 'INVALID_FIELD', /^required_if_supported_products and additional_consented_products must not overlap/],
		['a language Link lacks', { ...base, language: 'xx' }, 'INVALID_FIELD', /^language must be one of da, nl, en,/],
		['a country outside the enum', { ...base, country_codes: ['US', 'MX'] }, 'INVALID_FIELD', /^country_codes\[1\] must be one of US, GB/],
		['a product outside the enum', { ...base, products: ['magic'] }, 'INVALID_FIELD', /^products\[0\] must be one of assets, auth/],
		['redirect_uri with android_package_name', { ...base, redirect_uri: 'https://a.example/oauth', android_package_name: 'com.example.app' }, 'INVALID_FIELD', 'only one of redirect_uri and android_package_name may be provided'],
		['a phone number not in E.164', { ...base, user: { client_user_id: 'u', phone_number: '415-555-0011' } }, 'INVALID_FIELD', /^user\.phone_number must be in E\.164/],
		['update mode with an unknown access token', { ...base, access_token: 'access-sandbox-x' }, 'INVALID_ACCESS_TOKEN', 'could not find matching access token'],
		['an unknown user_id', { ...base, user: undefined, user_id: 'usr_nope' }, 'USER_NOT_FOUND', /cannot be found/],
		['an unknown field', { ...base, template_id: 'x' }, 'UNKNOWN_FIELDS', 'the following fields are not recognized by this endpoint: template_id'],
	])('%s is refused', async (_case, body, code, message) => {
		const { status, body: answer } = await post('/link/token/create', body);
		expect(status).toBe(400);
		expect(answer).toMatchObject({ error_code: code });
		expect(answer.error_message).toMatch(message);
	});

	test('update mode refuses products other than credit products', async () => {
		const { accessToken } = await newItem();
		const { body } = await post('/link/token/create', { ...base, products: ['auth'], access_token: accessToken });
		expect(body).toMatchObject({ error_code: 'INVALID_FIELD', error_message: 'products must be omitted in update mode (access_token given), except credit products: auth' });
	});
});

describe('/identity/match scores the owner on file against the given details', () => {
	async function match(user: Record<string, unknown>) {
		const { accessToken } = await newItem();
		const { body } = await post('/identity/match', { access_token: accessToken, user });
		return body.accounts[0];
	}

	// Names and scores as Plaid Sandbox answers them for its test owner, Alberta Bobbeth Charleson.
	test.each<[string, number, boolean, boolean]>([
		['Alberta Bobbeth Charleson', 100, true, false],
		['ALBERTA B CHARLESON', 99, true, false],
		['Alberta Charleson', 99, true, false],
		['Alberta Charlson', 93, true, false],
		['Acme Widgets LLC', 0, false, true],
	])('legal name %s: %i', async (legalName, score, firstOrLast, business) => {
		const account = await match({ legal_name: legalName });
		expect(account.legal_name).toEqual({ score, is_first_name_or_last_name_match: firstOrLast, is_nickname_match: false, is_business_name_detected: business });
	});

	test('a stranger scores as a mismatch; a nickname with the right family name is a strong match', async () => {
		expect((await match({ legal_name: 'Roberto Gonzalez' })).legal_name.score).toBeLessThan(70);
		expect((await match({ legal_name: 'Bertie Charleson' })).legal_name).toMatchObject({ score: 96, is_nickname_match: true, is_first_name_or_last_name_match: true });
	});

	test('phone, e-mail and address; balances are null; fields not given score null', async () => {
		const account = await match({
			phone_number: '+11112224444',
			email_address: 'AccountHolder0+n8n@example.com',
			address: { street: '2992 Cameron Rd', city: 'Malakoff', region: 'NY', postal_code: '14236', country: 'US' },
		});
		expect(account.phone_number).toEqual({ score: 100 });
		expect(account.email_address).toEqual({ score: 90 });
		expect(account.address).toEqual({ score: 100, is_postal_code_match: true });
		expect(account.legal_name).toBeNull();
		expect(account.balances).toEqual({ available: null, current: null, limit: null, iso_currency_code: null, unofficial_currency_code: null });

		const other = await match({ phone_number: '+14155550011', email_address: 'someone@example.org', address: { street: '1 Other Street', postal_code: '94105', country: 'US' } });
		expect(other.phone_number.score).toBe(0);
		expect(other.email_address.score).toBe(0);
		expect(other.address).toMatchObject({ is_postal_code_match: false });
		expect(other.address.score).toBeLessThan(70);
	});
});

test('a Layer session shares a real Item: its access token reads Auth and belongs to the session user', async () => {
	const userId = await newUser();
	const { link } = (await post('/session/token/create', { template_id: DEFAULT_TEMPLATE_ID, user_id: userId })).body;
	const outcome = await emulator.finishLayerSession(link.link_token);
	const { items } = (await post('/user_account/session/get', { public_token: outcome.public_token! })).body;
	const auth = await post('/auth/get', { access_token: items[0].access_token });
	expect(auth.body.item.item_id).toBe(items[0].item_id);
	expect((await post('/user/items/get', { user_id: userId })).body.items.map((item: { item_id: string }) => item.item_id)).toEqual([items[0].item_id]);
	// Layer's public token is for /user_account/session/get only: the Item already exists.
	await expectPlaidError(post('/item/public_token/exchange', { public_token: outcome.public_token! }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN');
});

test('/institutions/get pages through Sandbox institutions', async () => {
	const first = await post('/institutions/get', { count: 2, offset: 0, country_codes: ['US'] });
	const rest = await post('/institutions/get', { count: 10, offset: 2, country_codes: ['US'] });
	expect(first.body.institutions.map((institution: { institution_id: string }) => institution.institution_id)).toEqual(['ins_109508', 'ins_109509']);
	expect(first.body.total).toBe(5);
	expect(rest.body.institutions).toHaveLength(3);
});
