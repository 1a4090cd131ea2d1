/**
 * Standard Link: `/link/token/create` and `/link/token/get` (https://plaid.com/docs/api/link/),
 * and the end user's part of a Link session (`finishLinkSession`), which leaves a public token
 * that `/item/public_token/exchange` takes once.
 */
import { randomUUID } from 'node:crypto';

import { invalidRequest, plaidError, plaidId } from '../plaid-errors';
import { DEFAULT_INSTITUTION_ID, findInstitution, sandboxItem } from '../sandbox-data';
import { schemas } from '../schema';
import {
	findUser,
	isError,
	itemFor,
	ok,
	plaidTimestamp,
	sandboxToken,
	userNotFound,
	type EmulatorState,
	type EndpointAnswer,
	type LinkSessionRecord,
} from '../state';

const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;
const THIRTY_MINUTES_MS = 30 * 60 * 1000;

/** The languages Link supports, as the spec's `language` description lists them (`- Danish ('da')` …). */
export const LINK_LANGUAGES: readonly string[] = [
	...String(schemas.LinkTokenCreateRequest.properties!.language.description).matchAll(/\(`'([a-z]{2})'`\)/g),
].map((match) => match[1]);

/** The product lists of `/link/token/create`; Plaid wants them disjoint (each field's description says so). */
const PRODUCT_LISTS = ['products', 'required_if_supported_products', 'optional_products', 'additional_consented_products'] as const;

/** Products update mode may add to an existing Item ("Assets, Statements, Income, or Plaid Check Consumer Report"). */
const UPDATE_MODE_PRODUCTS = /^(assets|statements|income_verification|cra_.+)$/;

const E164 = /^\+[1-9]\d{7,14}$/;

/** Rules `products`' and the other fields' descriptions state beyond the schema; the first broken one, Plaid-style. */
function linkTokenRule(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer | undefined {
	if (body.user === undefined && body.user_id === undefined) {
		return invalidRequest('MISSING_FIELDS', 'the following required fields are missing: user');
	}
	if (!LINK_LANGUAGES.includes(body.language as string)) {
		return invalidRequest('INVALID_FIELD', `language must be one of ${LINK_LANGUAGES.join(', ')}`);
	}
	const lists = Object.fromEntries(PRODUCT_LISTS.map((name) => [name, (body[name] as string[] | null | undefined) ?? []]));
	for (const name of PRODUCT_LISTS) {
		if (lists[name].includes('balance')) {
			return invalidRequest('INVALID_FIELD', `${name} must not contain balance: Balance needs no initialization and is available with any other product`);
		}
	}
	for (const [i, first] of PRODUCT_LISTS.entries()) {
		for (const second of PRODUCT_LISTS.slice(i + 1)) {
			const both = lists[first].filter((product) => lists[second].includes(product));
			if (both.length > 0) return invalidRequest('INVALID_FIELD', `${first} and ${second} must not overlap: ${both.join(', ')}`);
		}
	}
	const updateMode = body.access_token !== undefined && body.access_token !== null;
	if (updateMode) {
		const item = itemFor(state, body.access_token);
		if (isError(item)) return item;
		const notForUpdate = lists.products.filter((product) => !UPDATE_MODE_PRODUCTS.test(product));
		if (notForUpdate.length > 0) {
			return invalidRequest('INVALID_FIELD', `products must be omitted in update mode (access_token given), except credit products: ${notForUpdate.join(', ')}`);
		}
	} else if (lists.products.length === 0) {
		return invalidRequest('INVALID_FIELD', 'products must contain at least one product (it may be empty only in update mode, with access_token)');
	}
	const redirectUri = body.redirect_uri as string | undefined;
	if (redirectUri !== undefined && body.android_package_name !== undefined) {
		return invalidRequest('INVALID_FIELD', 'only one of redirect_uri and android_package_name may be provided');
	}
	if (redirectUri !== undefined && (redirectUri.includes('?') || !/^https?:\/\//.test(redirectUri))) {
		return invalidRequest('INVALID_FIELD', 'redirect_uri must be an absolute URI without query parameters');
	}
	const phone = (body.user as { phone_number?: string } | undefined)?.phone_number;
	if (phone !== undefined && !E164.test(phone)) {
		return invalidRequest('INVALID_FIELD', 'user.phone_number must be in E.164 format, e.g. +14155550011');
	}
	if (typeof body.user_id === 'string' && !findUser(state, body.user_id)) return userNotFound();
	return undefined;
}

export function linkTokenCreate(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const refusal = linkTokenRule(body, state);
	if (refusal) return refusal;
	const linkToken = sandboxToken('link');
	// A token for an existing Item (update mode) lives 30 minutes, a new one 4 hours (the response's `expiration`).
	const lifetime = body.access_token ? THIRTY_MINUTES_MS : FOUR_HOURS_MS;
	const expiration = plaidTimestamp(new Date(Date.now() + lifetime));
	state.linkTokens.set(linkToken, body);
	state.linkTokenDetails.set(linkToken, { kind: 'link', request: body, created_at: plaidTimestamp(), expiration, sessions: [] });
	return ok({ link_token: linkToken, expiration, ...(typeof body.user_id === 'string' && { user_id: body.user_id }) });
}

export function linkTokenGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const linkToken = body.link_token as string;
	const details = state.linkTokenDetails.get(linkToken);
	if (!details) return plaidError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', 'provided link token is invalid or expired');
	const request = details.request;
	return ok({
		link_token: linkToken,
		created_at: details.created_at,
		expiration: details.expiration,
		link_sessions: details.sessions,
		metadata: {
			initial_products: request.products ?? [],
			webhook: request.webhook ?? null,
			country_codes: request.country_codes ?? [],
			language: request.language ?? null,
			redirect_uri: request.redirect_uri ?? null,
			client_name: request.client_name ?? null,
		},
		...(typeof request.user_id === 'string' && { user_id: request.user_id }),
	});
}

export interface LinkSessionOptions {
	/** The bank the user picks; default First Platypus Bank (`ins_109508`). */
	institutionId?: string;
	/** `success`: the user linked the bank (a public token); `exit`: they left Link without linking. */
	outcome?: 'success' | 'exit';
	/** The session's id, when Link's window already gave it one; default a new one. */
	linkSessionId?: string;
}

export interface LinkSessionOutcome {
	status: 'SUCCESS' | 'EXITED';
	link_session_id: string;
	/** Only on SUCCESS: exchanges once on `/item/public_token/exchange`. */
	public_token?: string;
}

/**
 * The end user went through standard Link with `linkToken` (created by `/link/token/create`):
 * records the session where `/link/token/get` reports it (`results.item_add_results` with the
 * public token, or `exit`), as Plaid does for Hosted Link and Multi-Item Link sessions.
 */
export function finishLinkSession(state: EmulatorState, linkToken: string, options: LinkSessionOptions = {}): LinkSessionOutcome {
	const details = state.linkTokenDetails.get(linkToken);
	if (!details || details.kind !== 'link') throw new Error(`unknown link_token ${linkToken}: create one with /link/token/create first`);
	const request = details.request;
	if (request.access_token) throw new Error('update-mode sessions (access_token) are not emulated: they add no new Item');
	const institutionId = options.institutionId ?? DEFAULT_INSTITUTION_ID;
	const institution = findInstitution(institutionId);
	if (!institution) throw new Error(`no Sandbox institution ${institutionId}`);
	const linkSessionId = options.linkSessionId ?? randomUUID();
	const started = new Date(Date.now() - 60_000);
	const session: LinkSessionRecord = {
		link_session_id: linkSessionId,
		started_at: plaidTimestamp(started),
		finished_at: plaidTimestamp(),
		results: null,
		exit: null,
		events: [],
	};
	const institutionRef = { name: institution.name, institution_id: institution.institution_id };
	let publicToken: string | undefined;
	if ((options.outcome ?? 'success') === 'success') {
		// The Item gets the required products, and the conditional ones this institution supports.
		const list = (name: string) => (request[name] as string[] | null | undefined) ?? [];
		const conditional = [...list('required_if_supported_products'), ...list('optional_products')];
		const products = [...list('products'), ...conditional.filter((product) => institution.products.includes(product))];
		const item = sandboxItem(institution, products, {
			webhook: (request.webhook as string | undefined) ?? null,
			userId: typeof request.user_id === 'string' ? request.user_id : undefined,
		});
		publicToken = sandboxToken('public');
		state.itemPublicTokens.set(publicToken, { item, expiresAt: Date.now() + THIRTY_MINUTES_MS, exchanged: false });
		session.results = {
			item_add_results: [
				{
					public_token: publicToken,
					accounts: item.accounts.map((account) => ({
						id: account.account_id,
						name: account.name,
						mask: account.mask,
						type: account.type,
						subtype: account.subtype,
						verification_status: null,
					})),
					institution: institutionRef,
				},
			],
			cra_item_add_results: [],
			cra_update_results: [],
			bank_income_results: [],
			payroll_income_results: [],
			document_income_results: null,
		};
	} else {
		session.exit = {
			error: null,
			metadata: { institution: institutionRef, status: 'requires_credentials', link_session_id: linkSessionId, request_id: plaidId() },
		};
	}
	details.sessions.push(session);
	return { status: publicToken ? 'SUCCESS' : 'EXITED', link_session_id: linkSessionId, ...(publicToken && { public_token: publicToken }) };
}
