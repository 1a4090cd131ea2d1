/**
 * The request bodies of the operations after Layer, built from node fields, and every rule that
 * refuses a field before anything is sent: the message names the field and the item, the
 * description says the fix. Every accepted body is valid against Plaid's published schema.
 */
import type { INode } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../credentials/PlaidLayerApi.credentials';
import { schemas, validate } from '../../emulator/schema';
import { buildAccountsRequest } from '../../nodes/PlaidLayer/actions/account/getAll.operation';
import { buildBalanceRequest, type BalanceInput } from '../../nodes/PlaidLayer/actions/account/getBalance.operation';
import { authOutput } from '../../nodes/PlaidLayer/actions/auth/get.operation';
import { buildIdentityMatchRequest, type IdentityMatchInput } from '../../nodes/PlaidLayer/actions/identity/match.operation';
import { buildExchangeRequest } from '../../nodes/PlaidLayer/actions/item/exchangePublicToken.operation';
import { buildAccessTokenRequest } from '../../nodes/PlaidLayer/actions/item/get.operation';
import { buildItemRemoveRequest, type ItemRemoveInput } from '../../nodes/PlaidLayer/actions/item/remove.operation';
import { splitByAccount } from '../../nodes/PlaidLayer/actions/itemData';
import { buildLinkTokenRequest, type LinkTokenInput } from '../../nodes/PlaidLayer/actions/linkToken/create.operation';
import { buildLinkTokenGetRequest, linkTokenOutput } from '../../nodes/PlaidLayer/actions/linkToken/get.operation';
import { readChoices, readList } from '../../nodes/PlaidLayer/actions/parameters';
import { COUNTRY_CODES, ITEM_REMOVE_REASONS, LINK_LANGUAGES, PRODUCTS } from '../../nodes/PlaidLayer/actions/plaidValues';
import { buildSandboxPublicTokenRequest, type SandboxPublicTokenInput } from '../../nodes/PlaidLayer/actions/sandbox/createPublicToken.operation';
import { buildUserIdRequest } from '../../nodes/PlaidLayer/actions/user/userId';
import { LINK_LANGUAGES as SPEC_LANGUAGES } from '../../emulator/products/link';
import { refusalOf } from '../support/refusal';

const node = { name: 'Plaid Layer', type: 'n8n-nodes-plaid-layer.plaidLayer' } as INode;
const at = { node, itemIndex: 2 };
const ACCESS = 'access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6';
const PUBLIC = 'public-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce993d';
const LINK = 'link-sandbox-af1a0311-da53-4636-b754-dd15cc058176';

/** Refused with this message (ending in the item) and a description that says the fix. */
function expectRefused(build: () => unknown, message: RegExp, fix: RegExp) {
	const error = refusalOf(build);
	expect(error.message).toMatch(message);
	expect(error.message).toMatch(/ \[item 2\]$/);
	expect(error.description).toMatch(fix);
	expect(error.context.itemIndex).toBe(2);
}

describe('the choices are Plaid’s enums', () => {
	const enumOf = (schema: string, field: string) => {
		const property = schemas[schema].properties![field] as { items?: { enum?: unknown[] }; enum?: unknown[] };
		return (property.items?.enum ?? property.enum ?? []).filter((value) => value !== null);
	};
	const values = (options: Array<{ value: unknown }>) => options.map((option) => option.value).sort();

	test('products: every Products value but balance, which Link refuses', () => {
		expect(values(PRODUCTS)).toEqual(enumOf('LinkTokenCreateRequest', 'products').filter((value) => value !== 'balance').sort());
	});

	test('country codes, languages and Item remove reasons', () => {
		expect(values(COUNTRY_CODES)).toEqual(enumOf('LinkTokenCreateRequest', 'country_codes').sort());
		expect(values(LINK_LANGUAGES)).toEqual([...SPEC_LANGUAGES].sort());
		expect(SPEC_LANGUAGES).toHaveLength(17);
		expect(values(ITEM_REMOVE_REASONS)).toEqual(enumOf('ItemRemoveRequest', 'reason_code').sort());
	});
});

describe('lists and tokens', () => {
	test('a list comes from a multi-select, an expression list or comma-separated text, without blanks or repeats', () => {
		expect(readList(at, ['auth', 'identity'], 'Products')).toEqual(['auth', 'identity']);
		expect(readList(at, ' acc-1, acc-2 ,,acc-1 ', 'Account IDs')).toEqual(['acc-1', 'acc-2']);
		expect(readList(at, undefined, 'Account IDs')).toEqual([]);
		expect(readList(at, '', 'Account IDs')).toEqual([]);
	});

	test('a choice outside Plaid’s enum is named', () => {
		expectRefused(() => readChoices(at, ['auth', 'magic'], 'Products', PRODUCTS), /^Products has a value Plaid does not know: "magic"/, /Plaid's values are assets, auth/);
	});

	test.each<[string, () => unknown, RegExp, RegExp]>([
		['empty', () => buildAccessTokenRequest(at, '  ', 'sandbox'), /^Access Token is empty/, /Exchange Public Token/],
		['a public token where an access token belongs', () => buildAccessTokenRequest(at, PUBLIC, 'sandbox'), /^Access Token is not a Plaid access token \(it is a public token\): "public-sandbox-b0e2c…"/, /starts with access-/],
		['not a token at all', () => buildAccessTokenRequest(at, 'abc', 'sandbox'), /^Access Token is not a Plaid access token: "abc"/, /access-sandbox-/],
		['a Sandbox token with a Production credential', () => buildAccessTokenRequest(at, ACCESS, 'production'), /^Access Token is a sandbox access token, but the credential is for Production/, /environment that issued them/],
		['a Production token with a Sandbox credential', () => buildExchangeRequest(at, 'public-production-x', 'sandbox'), /^Public Token is a production public token, but the credential is for Sandbox/, /environment/],
		['an access token where a public token belongs', () => buildExchangeRequest(at, ACCESS, 'sandbox'), /^Public Token is not a Plaid public token \(it is an access token\)/, /starts with public-/],
		['a link token that is not one', () => buildLinkTokenGetRequest(at, PUBLIC, 'sandbox'), /^Link Token is not a Plaid link token/, /Create Link Token/],
	])('token refused: %s', (_case, build, message, fix) => {
		expectRefused(build, message, fix);
	});

	test('the token is never shown whole in a refusal', () => {
		expect(refusalOf(() => buildAccessTokenRequest(at, PUBLIC, 'sandbox')).message).not.toContain(PUBLIC);
	});

	test('a custom Base URL takes tokens of either environment', () => {
		expect(buildAccessTokenRequest(at, 'access-production-1', 'custom')).toEqual({ access_token: 'access-production-1' });
		expect(buildExchangeRequest(at, ` ${PUBLIC} `, 'sandbox')).toEqual({ public_token: PUBLIC });
		expect(buildLinkTokenGetRequest(at, LINK, 'sandbox')).toEqual({ link_token: LINK });
	});
});

describe('Create Link Token', () => {
	const base: LinkTokenInput = { clientName: 'Acme', language: 'en', countryCodes: ['US'], products: ['auth'], userId: '', clientUserId: 'user-7' };
	const build = (overrides: Partial<LinkTokenInput>, environment: PlaidEnvironment = 'sandbox') =>
		buildLinkTokenRequest(at, { ...base, ...overrides }, environment);

	test('minimal body', () => {
		expect(build({})).toEqual({ client_name: 'Acme', language: 'en', country_codes: ['US'], products: ['auth'], user: { client_user_id: 'user-7' } });
	});

	test('every field under its Plaid name, valid against the spec', () => {
		const body = build({
			userId: 'usr_8c3ZbDBYjaqUXZ',
			products: ['auth', 'identity'],
			requiredIfSupportedProducts: ['identity_match'],
			optionalProducts: ['transactions'],
			additionalConsentedProducts: ['signal'],
			phoneNumber: '+1 (415) 555-0011',
			emailAddress: 'leslie@example.com',
			legalName: 'Leslie Knope',
			redirectUri: 'https://app.example.com/plaid/oauth',
			webhook: 'https://n8n.example.com/webhook/plaid',
			linkCustomizationName: 'default',
			countryCodes: 'US, CA',
		});
		expect(body).toEqual({
			client_name: 'Acme',
			language: 'en',
			country_codes: ['US', 'CA'],
			user_id: 'usr_8c3ZbDBYjaqUXZ',
			user: { client_user_id: 'user-7', phone_number: '+14155550011', email_address: 'leslie@example.com', legal_name: 'Leslie Knope' },
			products: ['auth', 'identity'],
			required_if_supported_products: ['identity_match'],
			optional_products: ['transactions'],
			additional_consented_products: ['signal'],
			redirect_uri: 'https://app.example.com/plaid/oauth',
			webhook: 'https://n8n.example.com/webhook/plaid',
			link_customization_name: 'default',
		});
		expect(validate(body, 'LinkTokenCreateRequest', true)).toEqual([]);
	});

	test('a Plaid user_id alone: no user object', () => {
		expect(build({ clientUserId: '', userId: 'usr_1' })).toMatchObject({ user_id: 'usr_1' });
		expect(build({ clientUserId: '', userId: 'usr_1' })).not.toHaveProperty('user');
	});

	test('update mode: an access token and no products; credit products may be added', () => {
		expect(build({ products: [], accessToken: ACCESS })).toEqual({ client_name: 'Acme', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-7' }, access_token: ACCESS });
		expect(build({ products: ['assets', 'cra_base_report'], accessToken: ACCESS })).toMatchObject({ products: ['assets', 'cra_base_report'] });
		expect(validate(build({ products: [], accessToken: ACCESS }), 'LinkTokenCreateRequest', true)).toEqual([]);
	});

	test('Android apps: the package name instead of a redirect URI', () => {
		expect(build({ androidPackageName: 'com.example.onboarding' })).toMatchObject({ android_package_name: 'com.example.onboarding' });
	});

	test.each<[string, Partial<LinkTokenInput>, RegExp, RegExp, PlaidEnvironment?]>([
		['no client name', { clientName: ' ' }, /^Client Name is empty/, /app’s name/],
		['a client name over 30 characters', { clientName: 'A'.repeat(31) }, /^Client Name is 31 characters long; Link shows at most 30/, /This Application/],
		['a language Link lacks', { language: 'xx' }, /^Language is not one Plaid knows: "xx"/, /da, nl, en/],
		['no country', { countryCodes: [] }, /^Country Codes is empty/, /United States/],
		['a country outside Plaid’s list', { countryCodes: ['US', 'MX'] }, /^Country Codes has a value Plaid does not know: "MX"/, /AT, BE, CA/],
		['no user ID of either kind', { clientUserId: '', userId: '' }, /^User ID or Client User ID is required: both are empty/, /Create User/],
		['no products outside update mode', { products: [] }, /^Products is empty/, /only in update mode, with an Access Token/],
		['balance as a product', { products: ['auth', 'balance'] }, /^Products must not list Balance/, /any other product/],
		['balance as an optional product', { optionalProducts: ['balance'] }, /^Optional Products must not list Balance/, /any other product/],
		['a product outside Plaid’s list', { products: ['auth', 'magic'] }, /^Products has a value Plaid does not know: "magic"/, /assets, auth/],
		['a product in two lists', { products: ['auth', 'identity'], optionalProducts: ['identity'] }, /^Optional Products lists Identity, which Products lists too/, /one list only/],
		['required-if-supported and additional-consented overlapping', { requiredIfSupportedProducts: ['signal'], additionalConsentedProducts: ['signal'] }, /^Additional Consented Products lists Signal, which Required If Supported Products lists too/, /one list only/],
		['update mode with a product it cannot add', { products: ['auth'], accessToken: ACCESS }, /^Products must be empty in update mode, but lists Auth/, /Assets, Statements/],
		['optional products with none required (update mode)', { products: [], accessToken: ACCESS, optionalProducts: ['identity'] }, /^Optional Products needs at least one product in Products/, /choose one in Products/],
		['update mode with a public token', { products: [], accessToken: PUBLIC }, /^Access Token is not a Plaid access token/, /starts with access-/],
		['a phone number not in international format', { phoneNumber: '415-555-0011' }, /^Phone Number is not an international phone number: "415-555-0011"/, /\+14155550011/],
		['an email address that is not one', { emailAddress: 'leslie@' }, /^Email Address is not an email address: "leslie@"/, /name@example\.com/],
		['user details without a Client User ID', { clientUserId: '', userId: 'usr_1', emailAddress: 'leslie@example.com' }, /^Email Address needs a Client User ID/, /client_user_id/],
		['a redirect URI with a query string', { redirectUri: 'https://app.example.com/oauth?x=1' }, /^Redirect URI must not contain a query string/, /query parameters/],
		['an http redirect URI in Production', { redirectUri: 'http://localhost:3000/oauth' }, /^Redirect URI must use https:\/\/ in Production/, /https:\/\/localhost:3000\/oauth/, 'production'],
		['a redirect URI with an Android package name', { redirectUri: 'https://app.example.com/oauth', androidPackageName: 'com.example.app' }, /^Redirect URI cannot be used together with Android Package Name/, /remove one/],
		['an Android package name that is not one', { androidPackageName: 'my app' }, /^Android Package Name is not an Android package name/, /com\.example/],
		['a webhook URL that is not a URL', { webhook: 'n8n.example.com/webhook' }, /^Webhook URL is not an absolute URL/, /Plaid Trigger/],
	])('refused: %s', (_case, overrides, message, fix, environment = 'sandbox') => {
		expectRefused(() => build(overrides, environment), message, fix);
	});
});

describe('Get Link Token output', () => {
	const session = (id: string, tokens: string[], exited = false) => ({
		link_session_id: id,
		results: exited ? null : { item_add_results: tokens.map((public_token) => ({ public_token, accounts: [], institution: null })) },
		exit: exited ? { error: null, metadata: null } : null,
	});

	test('status, link_session_id of the latest session and every public token come first; Plaid’s answer follows', () => {
		const response = { link_token: LINK, link_sessions: [session('s1', ['public-sandbox-1']), session('s2', ['public-sandbox-2', 'public-sandbox-3'])], request_id: 'r' };
		const output = linkTokenOutput(response);
		expect(Object.keys(output).slice(0, 3)).toEqual(['status', 'public_tokens', 'link_session_id']);
		expect(output).toMatchObject({ status: 'SUCCESS', link_session_id: 's2', public_tokens: ['public-sandbox-1', 'public-sandbox-2', 'public-sandbox-3'], link_sessions: response.link_sessions, request_id: 'r' });
	});

	test('an exited session is EXITED; none yet is null; a legacy on_success still gives its token', () => {
		expect(linkTokenOutput({ link_sessions: [session('s1', [], true)] })).toMatchObject({ status: 'EXITED', public_tokens: [], link_session_id: 's1' });
		expect(linkTokenOutput({ link_sessions: [] })).toMatchObject({ status: null, public_tokens: [], link_session_id: null });
		expect(linkTokenOutput({ link_sessions: [{ link_session_id: 'old', on_success: { public_token: 'public-sandbox-legacy' } }] })).toMatchObject({
			status: 'SUCCESS',
			public_tokens: ['public-sandbox-legacy'],
		});
	});
});

describe('Remove Item', () => {
	const build = (overrides: Partial<ItemRemoveInput>) => buildItemRemoveRequest(at, { accessToken: ACCESS, ...overrides }, 'sandbox');

	test('reason code and note under Plaid’s names, valid against the spec', () => {
		const body = build({ reasonCode: 'FRAUD_FIRST_PARTY', reasonNote: 'chargebacks on three payments' });
		expect(body).toEqual({ access_token: ACCESS, reason_code: 'FRAUD_FIRST_PARTY', reason_note: 'chargebacks on three payments' });
		expect(validate(body, 'ItemRemoveRequest', true)).toEqual([]);
		expect(build({})).toEqual({ access_token: ACCESS });
	});

	test.each<[string, Partial<ItemRemoveInput>, RegExp, RegExp]>([
		['an unknown reason code', { reasonCode: 'BORED' }, /^Reason Code is not one Plaid knows: "BORED"/, /FRAUD_FIRST_PARTY/],
		['a note over 512 characters', { reasonNote: 'x'.repeat(513) }, /^Reason Note is 513 characters long; Plaid allows at most 512/, /Shorten/],
		['an email address in the note', { reasonNote: 'user leslie@example.com asked' }, /^Reason Note seems to hold an email address or phone number/, /no personal information/],
		['a phone number in the note', { reasonNote: 'called from (415) 555-0011' }, /^Reason Note seems to hold an email address or phone number/, /no personal information/],
	])('refused: %s', (_case, overrides, message, fix) => {
		expectRefused(() => build(overrides), message, fix);
	});
});

describe('Accounts, Balance, Auth, Identity', () => {
	test('account IDs go in options.account_ids; none means all accounts', () => {
		expect(buildAccountsRequest(at, { accessToken: ACCESS, accountIds: 'a1, a2' }, 'sandbox')).toEqual({ access_token: ACCESS, options: { account_ids: ['a1', 'a2'] } });
		expect(buildAccountsRequest(at, { accessToken: ACCESS, accountIds: '' }, 'sandbox')).toEqual({ access_token: ACCESS });
		for (const schema of ['AccountsGetRequest', 'AuthGetRequest', 'IdentityGetRequest']) {
			expect(validate(buildAccountsRequest(at, { accessToken: ACCESS, accountIds: ['a1'] }, 'sandbox'), schema, true)).toEqual([]);
		}
	});

	const now = Date.parse('2026-11-26T10:00:00Z');
	const balance = (overrides: Partial<BalanceInput>) => buildBalanceRequest(at, { accessToken: ACCESS, ...overrides }, 'sandbox', now);

	test('Min Last Updated Datetime is sent in Plaid’s UTC format, beside account IDs', () => {
		const body = balance({ minLastUpdatedDatetime: '2026-11-26T09:00:00.000+01:00', accountIds: ['a1'] });
		expect(body).toEqual({ access_token: ACCESS, options: { account_ids: ['a1'], min_last_updated_datetime: '2026-11-26T08:00:00Z' } });
		expect(validate(body, 'AccountsBalanceGetRequest', true)).toEqual([]);
	});

	test.each<[string, string, RegExp, RegExp]>([
		['not a date', 'yesterday', /^Min Last Updated Datetime is not a date and time: "yesterday"/, /2026-11-26T09:00:00Z/],
		['in the future', '2026-11-26T11:00:00Z', /^Min Last Updated Datetime is in the future/, /oldest balance you accept/],
	])('Min Last Updated Datetime refused: %s', (_case, value, message, fix) => {
		expectRefused(() => balance({ minLastUpdatedDatetime: value }), message, fix);
	});

	const response = {
		accounts: [
			{ account_id: 'a1', name: 'Plaid Checking', mask: '0000' },
			{ account_id: 'a2', name: 'Plaid Saving', mask: '1111' },
		],
		numbers: { ach: [{ account_id: 'a2', account: '1111222233331111', routing: '011401533', wire_routing: '021000021' }], eft: [], international: [], bacs: [] },
		item: { item_id: 'item-1' },
		request_id: 'req-1',
	};

	test('one output per account with item_id and request_id; or Plaid’s whole answer', () => {
		expect(splitByAccount(response, 'split')).toEqual([
			{ account_id: 'a1', name: 'Plaid Checking', mask: '0000', item_id: 'item-1', request_id: 'req-1' },
			{ account_id: 'a2', name: 'Plaid Saving', mask: '1111', item_id: 'item-1', request_id: 'req-1' },
		]);
		expect(splitByAccount(response, 'whole')).toBe(response);
		expect(splitByAccount({ accounts: [], item: {}, request_id: 'r' }, 'split')).toEqual([]);
	});

	test('Auth puts each account’s own numbers beside it', () => {
		const [first, second] = authOutput(response, 'split') as Array<Record<string, unknown>>;
		expect(first.numbers).toEqual({ ach: [], eft: [], international: [], bacs: [] });
		expect(second.numbers).toEqual({ ach: [response.numbers.ach[0]], eft: [], international: [], bacs: [] });
		expect(second).toMatchObject({ account_id: 'a2', item_id: 'item-1', request_id: 'req-1' });
	});
});

describe('Match Identity', () => {
	const build = (overrides: Partial<IdentityMatchInput>) => buildIdentityMatchRequest(at, { accessToken: ACCESS, ...overrides }, 'sandbox');

	test('the user’s details as Plaid’s user object, valid against the spec', () => {
		const body = build({
			legalName: 'Alberta Bobbeth Charleson',
			phoneNumber: '+1 111-222-3333',
			emailAddress: 'accountholder0@example.com',
			street: '2992 Cameron Road',
			city: 'Malakoff',
			region: 'NY',
			postalCode: '14236',
			country: 'us',
			accountIds: 'a1',
		});
		expect(body).toEqual({
			access_token: ACCESS,
			options: { account_ids: ['a1'] },
			user: {
				legal_name: 'Alberta Bobbeth Charleson',
				phone_number: '+11112223333',
				email_address: 'accountholder0@example.com',
				address: { street: '2992 Cameron Road', city: 'Malakoff', region: 'NY', postal_code: '14236', country: 'US' },
			},
		});
		expect(validate(body, 'IdentityMatchRequest', true)).toEqual([]);
	});

	test('one detail is enough', () => {
		expect(build({ legalName: 'Leslie Knope' })).toEqual({ access_token: ACCESS, user: { legal_name: 'Leslie Knope' } });
	});

	test.each<[string, Partial<IdentityMatchInput>, RegExp, RegExp]>([
		['nothing to match', { legalName: ' ', city: '' }, /^Legal Name, Phone Number, Email Address and address are all empty: there is nothing to match/, /sign-up form/],
		['a phone number not in international format', { phoneNumber: '111-222-3333' }, /^Phone Number is not an international phone number/, /\+14155550011/],
		['an email address that is not one', { emailAddress: 'accountholder0' }, /^Email Address is not an email address/, /name@example\.com/],
		['a country that is not a two-letter code', { street: '1 Main St', country: 'USA' }, /^Country is not a two-letter country code: "USA"/, /US, CA or GB/],
		['a name from an expression that gives an object', { legalName: { first: 'Leslie' } }, /^Legal Name must be text, but the value is an object/, /single text field/],
	])('refused: %s', (_case, overrides, message, fix) => {
		expectRefused(() => build(overrides), message, fix);
	});
});

describe('users', () => {
	test('Get User, Remove User and Get User Items send the user_id', () => {
		const body = buildUserIdRequest(at, ' usr_8c3ZbDBYjaqUXZ ');
		expect(body).toEqual({ user_id: 'usr_8c3ZbDBYjaqUXZ' });
		for (const schema of ['UserGetRequest', 'UserRemoveRequest', 'UserItemsGetRequest']) expect(validate(body, schema, true)).toEqual([]);
	});

	test('refused: an empty User ID', () => {
		expectRefused(() => buildUserIdRequest(at, ''), /^User ID is empty/, /user_id from Create User/);
	});
});

describe('Create Sandbox Public Token', () => {
	const base: SandboxPublicTokenInput = { institutionId: 'ins_109508', initialProducts: ['auth', 'identity'] };
	const build = (overrides: Partial<SandboxPublicTokenInput>, environment: PlaidEnvironment = 'sandbox') =>
		buildSandboxPublicTokenRequest(at, { ...base, ...overrides }, environment);

	test('institution and products; options and the user under Plaid’s names, valid against the spec', () => {
		expect(build({})).toEqual({ institution_id: 'ins_109508', initial_products: ['auth', 'identity'] });
		const body = build({ userId: 'usr_1', webhook: 'https://n8n.example.com/webhook/plaid', overrideUsername: 'user_good', overridePassword: 'pass_good' });
		expect(body).toEqual({
			institution_id: 'ins_109508',
			initial_products: ['auth', 'identity'],
			user_id: 'usr_1',
			options: { webhook: 'https://n8n.example.com/webhook/plaid', override_username: 'user_good', override_password: 'pass_good' },
		});
		expect(validate(body, 'SandboxPublicTokenCreateRequest', true)).toEqual([]);
	});

	test('a custom Base URL (a gateway, or the emulator) may create Sandbox tokens', () => {
		expect(build({}, 'custom')).toMatchObject({ institution_id: 'ins_109508' });
	});

	test.each<[string, Partial<SandboxPublicTokenInput>, RegExp, RegExp, PlaidEnvironment?]>([
		['a Production credential', {}, /^Create Sandbox Public Token works only in Sandbox, but the credential is a Production one/, /Environment Sandbox/, 'production'],
		['no institution', { institutionId: '' }, /^Institution ID is empty/, /ins_109508/],
		['an institution ID that is not one', { institutionId: 'First Platypus Bank' }, /^Institution ID is not a Plaid institution ID/, /ins_109508/],
		['no products', { initialProducts: [] }, /^Initial Products is empty/, /Auth/],
		['a product outside Plaid’s list', { initialProducts: ['magic'] }, /^Initial Products has a value Plaid does not know: "magic"/, /assets/],
		['a webhook URL that is not a URL', { webhook: 'hook' }, /^Webhook URL is not an absolute URL/, /Plaid Trigger/],
	])('refused: %s', (_case, overrides, message, fix, environment = 'sandbox') => {
		expectRefused(() => build(overrides, environment), message, fix);
	});
});
