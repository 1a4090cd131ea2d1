/**
 * Plaid Sandbox's documented test data: its test institutions and what the `user_good` /
 * `pass_good` login holds there (https://plaid.com/docs/sandbox/test-credentials/,
 * https://plaid.com/docs/sandbox/institutions/). Accounts, masks, balances, ACH numbers and the
 * owner are the values Plaid Sandbox returns for that login.
 */
import { plaidId } from './plaid-errors';
import { plaidTimestamp, sandboxToken, type AccountRecord, type ItemRecord } from './state';

export interface Institution {
	institution_id: string;
	name: string;
	products: string[];
	country_codes: string[];
	oauth: boolean;
}

const SANDBOX_PRODUCTS = ['assets', 'auth', 'balance', 'identity', 'identity_match', 'investments', 'liabilities', 'signal', 'statements', 'transactions'];

/** Plaid Sandbox's non-OAuth test institutions (https://plaid.com/docs/sandbox/institutions/). */
export const INSTITUTIONS: Institution[] = [
	{ institution_id: 'ins_109508', name: 'First Platypus Bank', products: SANDBOX_PRODUCTS, country_codes: ['US'], oauth: false },
	{ institution_id: 'ins_109509', name: 'First Gingham Credit Union', products: SANDBOX_PRODUCTS, country_codes: ['US'], oauth: false },
	{ institution_id: 'ins_109510', name: 'Tattersall Federal Credit Union', products: SANDBOX_PRODUCTS, country_codes: ['US'], oauth: false },
	{ institution_id: 'ins_109511', name: 'Tartan Bank', products: SANDBOX_PRODUCTS, country_codes: ['US'], oauth: false },
	{ institution_id: 'ins_109512', name: 'Houndstooth Bank', products: SANDBOX_PRODUCTS, country_codes: ['US'], oauth: false },
];

export const DEFAULT_INSTITUTION_ID = 'ins_109508';

/** Sandbox's test login; any other username or password is refused (https://plaid.com/docs/sandbox/test-credentials/). */
export const SANDBOX_USERNAME = 'user_good';
export const SANDBOX_PASSWORD = 'pass_good';

/** The account holder on file for `user_good` at every Sandbox institution, as `/identity/get` returns it. */
export const SANDBOX_OWNER = {
	names: ['Alberta Bobbeth Charleson'],
	phone_numbers: [
		{ data: '1112223333', primary: false, type: 'home' },
		{ data: '1112224444', primary: false, type: 'work' },
		{ data: '1112225555', primary: false, type: 'mobile1' },
	],
	emails: [
		{ data: 'accountholder0@example.com', primary: true, type: 'primary' },
		{ data: 'accountholder1@example.com', primary: false, type: 'secondary' },
		{ data: 'extraordinarily.long.email.username.123456@reallylonghostname.com', primary: false, type: 'other' },
	],
	addresses: [
		{ data: { city: 'Malakoff', country: 'US', postal_code: '14236', region: 'NY', street: '2992 Cameron Road' }, primary: true },
		{ data: { city: 'San Matias', country: 'US', postal_code: '93405-2255', region: 'CA', street: '2493 Leisure Lane' }, primary: false },
	],
};

type AccountTemplate = Omit<AccountRecord, 'account_id' | 'owners'>;

const usd = (available: number | null, current: number | null, limit: number | null = null) => ({
	available,
	current,
	limit,
	iso_currency_code: 'USD',
	unofficial_currency_code: null,
});

/** Sandbox's `user_good` accounts (the first five), with the ACH numbers `/auth/get` gives for its depository accounts. */
const SANDBOX_ACCOUNTS: AccountTemplate[] = [
	{
		name: 'Plaid Checking',
		official_name: 'Plaid Gold Standard 0% Interest Checking',
		mask: '0000',
		type: 'depository',
		subtype: 'checking',
		balances: usd(100, 110),
		ach: { account: '1111222233330000', routing: '011401533', wire_routing: '021000021' },
	},
	{
		name: 'Plaid Saving',
		official_name: 'Plaid Silver Standard 0.1% Interest Saving',
		mask: '1111',
		type: 'depository',
		subtype: 'savings',
		balances: usd(200, 210),
		ach: { account: '1111222233331111', routing: '011401533', wire_routing: '021000021' },
	},
	{ name: 'Plaid CD', official_name: 'Plaid Bronze Standard 0.2% Interest CD', mask: '2222', type: 'depository', subtype: 'cd', balances: usd(null, 1000) },
	{ name: 'Plaid Credit Card', official_name: 'Plaid Diamond 12.5% APR Interest Credit Card', mask: '3333', type: 'credit', subtype: 'credit card', balances: usd(null, 410, 2000) },
	{ name: 'Plaid Money Market', official_name: 'Plaid Platinum Standard 1.85% Interest Money Market', mask: '4444', type: 'depository', subtype: 'money market', balances: usd(43200, 43200) },
];

export function findInstitution(institutionId: string): Institution | undefined {
	return INSTITUTIONS.find((institution) => institution.institution_id === institutionId);
}

/** The account holder on file, in the shape `/identity/get` gives each account's `owners`. */
export type AccountOwner = typeof SANDBOX_OWNER;

/**
 * A new Item of the Sandbox test login at `institution`: fresh ids, as every new Item has in
 * Plaid; its accounts held by `owner` (default the test login's holder).
 */
export function sandboxItem(
	institution: Institution,
	products: string[],
	options: { webhook?: string | null; userId?: string; owner?: AccountOwner } = {},
): ItemRecord {
	return {
		item_id: plaidId(37),
		access_token: sandboxToken('access'),
		institution_id: institution.institution_id,
		institution_name: institution.name,
		webhook: options.webhook ?? null,
		products: [...new Set(products)],
		institution_products: institution.products,
		created_at: plaidTimestamp(),
		...(options.userId !== undefined && { user_id: options.userId }),
		accounts: SANDBOX_ACCOUNTS.map((account) => ({
			...account,
			balances: { ...account.balances },
			account_id: plaidId(37),
			owners: [structuredClone(options.owner ?? SANDBOX_OWNER)],
		})),
		removed: false,
	};
}
