/**
 * What the emulated Plaid remembers between requests, and the rules that connect its endpoints:
 * users own Items, public tokens exchange once into access tokens, removed Items and users are
 * gone for every endpoint.
 */
import { randomUUID } from 'node:crypto';

import { plaidError, plaidId, type PlaidErrorAnswer } from './plaid-errors';
import type { WebhookSigner } from './webhooks';

/** What the end user shared in a finished Layer session, as `/user_account/session/get` returns it. */
export interface LayerProfile {
	identity: Record<string, unknown>;
	items: Array<{ item_id: string; access_token: string }>;
}

/** A user from `/user/create` (Plaid's new user APIs: a `usr_` id, no user_token). */
export interface UserRecord {
	user_id: string;
	identity: Record<string, unknown> | null;
	client_user_id: string;
	created_at: string;
}

/** One account of an Item, with the data each product endpoint reads from it. */
export interface AccountRecord {
	account_id: string;
	name: string;
	official_name: string | null;
	mask: string | null;
	type: string;
	subtype: string | null;
	balances: { available: number | null; current: number | null; limit: number | null; iso_currency_code: string | null; unofficial_currency_code: string | null };
	/** ACH numbers, for the accounts `/auth/get` covers (checking, savings, cash management). */
	ach?: { account: string; routing: string; wire_routing: string | null };
	/** What the bank has on file about the account's owners (`/identity/get`, `/identity/match`). */
	owners: Array<Record<string, unknown>>;
}

/** A bank connection: created by exchanging a public token (or by a Layer session), until `/item/remove`. */
export interface ItemRecord {
	item_id: string;
	access_token: string;
	institution_id: string;
	institution_name: string;
	webhook: string | null;
	/** Products the Item was created with; product endpoints called later are added (Plaid bills them from then on). */
	products: string[];
	/** Products the institution supports. */
	institution_products: string[];
	created_at: string;
	/** The Plaid user the Item belongs to, when its Link session (or Sandbox call) named one. */
	user_id?: string;
	accounts: AccountRecord[];
	removed: boolean;
}

/** A public token for `/item/public_token/exchange`: valid once, for 30 minutes. */
export interface PendingItem {
	item: ItemRecord;
	expiresAt: number;
	exchanged: boolean;
}

/** One end-user session of a standard Link token, as `/link/token/get` reports it in `link_sessions`. */
export interface LinkSessionRecord {
	link_session_id: string;
	started_at: string;
	finished_at: string;
	results: Record<string, unknown> | null;
	exit: Record<string, unknown> | null;
	events: Array<Record<string, unknown>>;
}

/** A link_token (from `/link/token/create` or `/session/token/create`) and what happened with it. */
export interface LinkTokenRecord {
	/** Which endpoint issued it: Layer session tokens cannot be finished as standard Link sessions. */
	kind: 'link' | 'layer';
	request: Record<string, unknown>;
	created_at: string;
	expiration: string;
	sessions: LinkSessionRecord[];
}

export interface EmulatorState {
	/** Template IDs that exist in this emulated Plaid Dashboard. */
	templates: Set<string>;
	/** Every link_token issued (Layer and standard Link), with the request that created it. */
	linkTokens: Map<string, Record<string, unknown>>;
	/** The same link_tokens with their times and sessions, for `/link/token/get`. */
	linkTokenDetails: Map<string, LinkTokenRecord>;
	/** Users from `/user/create`, by client_user_id. */
	users: Map<string, UserRecord>;
	/** public_tokens from finished Layer sessions (for `/user_account/session/get`). */
	publicTokens: Map<string, LayerProfile>;
	/** public_tokens that `/item/public_token/exchange` takes (from Link sessions and `/sandbox/public_token/create`). */
	itemPublicTokens: Map<string, PendingItem>;
	/** Exchanged Items, by access_token. */
	items: Map<string, ItemRecord>;
	/** Signs webhooks and publishes the keys `/webhook_verification_key/get` serves. */
	signer: WebhookSigner;
}

export function createState(templates: Iterable<string>, signer: WebhookSigner): EmulatorState {
	return {
		templates: new Set(templates),
		linkTokens: new Map(),
		linkTokenDetails: new Map(),
		users: new Map(),
		publicTokens: new Map(),
		itemPublicTokens: new Map(),
		items: new Map(),
		signer,
	};
}

export type EndpointAnswer = { status: number; body: Record<string, unknown> } | PlaidErrorAnswer;

export type Endpoint = (body: Record<string, unknown>, state: EmulatorState) => EndpointAnswer;

export const ok = (body: Record<string, unknown>): EndpointAnswer => ({ status: 200, body: { ...body, request_id: plaidId() } });

/** Plaid's timestamps: ISO 8601 in UTC without milliseconds. */
export function plaidTimestamp(date: Date = new Date()): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The emulator is Plaid Sandbox: its tokens say so, as `access-sandbox-…` does. */
export const sandboxToken = (kind: 'access' | 'public' | 'link') => `${kind}-sandbox-${randomUUID()}`;

export function findUser(state: EmulatorState, userId: string): UserRecord | undefined {
	for (const user of state.users.values()) if (user.user_id === userId) return user;
	return undefined;
}

/** https://plaid.com/docs/errors/user/#user_not_found */
export const userNotFound = () =>
	plaidError(400, 'USER_ERROR', 'USER_NOT_FOUND', 'The User you requested cannot be found. This User does not exist or has had access removed by the user.');

/**
 * The Item an access_token opens. Plaid (https://plaid.com/docs/errors/invalid-input/#invalid_access_token):
 * a token that is malformed, of another environment, or whose Item was removed (by `/item/remove`
 * or `/user/remove`) gets INVALID_ACCESS_TOKEN.
 */
export function itemFor(state: EmulatorState, accessToken: unknown): ItemRecord | PlaidErrorAnswer {
	const token = String(accessToken);
	if (!/^access-(sandbox|production)-/.test(token)) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 'provided access token is in an invalid format. expected format: access-<environment>-<identifier>');
	}
	const item = state.items.get(token);
	if (!item || item.removed) return plaidError(400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 'could not find matching access token');
	return item;
}

export const isError = (value: object): value is PlaidErrorAnswer => 'status' in value && 'body' in value;

/**
 * The accounts a request's `options.account_ids` names (all when absent). An id the Item does not
 * have is INVALID_ACCOUNT_ID (https://plaid.com/docs/errors/invalid-input/#invalid_account_id).
 */
export function selectAccounts(item: ItemRecord, body: Record<string, unknown>): AccountRecord[] | PlaidErrorAnswer {
	const ids = (body.options as { account_ids?: string[] } | undefined)?.account_ids;
	if (ids === undefined) return item.accounts;
	const unknown = ids.filter((id) => !item.accounts.some((account) => account.account_id === id));
	if (unknown.length > 0) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_ACCOUNT_ID', 'one or more of the account IDs is invalid');
	}
	return item.accounts.filter((account) => ids.includes(account.account_id));
}

/** An account as `AccountBase` (what `/accounts/get` and the product endpoints return for it). */
export function accountBase(account: AccountRecord): Record<string, unknown> {
	const { account_id, balances, mask, name, official_name, type, subtype } = account;
	return { account_id, balances: { ...balances }, mask, name, official_name, type, subtype };
}

/** The Item as Plaid's `Item` schema. Plaid bills a product once it was used; the others are "available". */
export function itemMetadata(item: ItemRecord): Record<string, unknown> {
	const billed = [...new Set(item.products)];
	return {
		item_id: item.item_id,
		institution_id: item.institution_id,
		institution_name: item.institution_name,
		webhook: item.webhook,
		auth_method: billed.includes('auth') ? 'INSTANT_AUTH' : null,
		error: null,
		available_products: item.institution_products.filter((product) => !billed.includes(product)),
		billed_products: billed,
		products: billed,
		consented_products: billed,
		consent_expiration_time: null,
		update_type: 'background',
	};
}

/** Calling a product's endpoint adds the product to the Item, as Plaid does after Link. */
export function useProduct(item: ItemRecord, product: string): void {
	if (!item.products.includes(product)) item.products.push(product);
}
