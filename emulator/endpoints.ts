/**
 * What the emulated Plaid answers on each endpoint once a request passed the credential and
 * schema checks. Rules Plaid documents beyond the schema are enforced here.
 */
import { randomUUID } from 'node:crypto';

import { invalidRequest, plaidError, plaidId, type PlaidErrorAnswer } from './plaid-errors';
import type { WebhookSigner } from './webhooks';

/** What the end user shared in a finished Layer session, as `/user_account/session/get` returns it. */
export interface LayerProfile {
	identity: Record<string, unknown>;
	items: Array<{ item_id: string; access_token: string }>;
}

export interface EmulatorState {
	/** Template IDs that exist in this emulated Plaid Dashboard. */
	templates: Set<string>;
	/** Every link_token issued, with the request that created it. */
	linkTokens: Map<string, Record<string, unknown>>;
	/** Users from `/user/create`, by client_user_id. */
	users: Map<string, { user_id: string; identity: Record<string, unknown> | null }>;
	/** public_tokens from finished Layer sessions. */
	publicTokens: Map<string, LayerProfile>;
	/** Signs webhooks and publishes the keys `/webhook_verification_key/get` serves. */
	signer: WebhookSigner;
}

export type EndpointAnswer = { status: number; body: Record<string, unknown> } | PlaidErrorAnswer;

export type Endpoint = (body: Record<string, unknown>, state: EmulatorState) => EndpointAnswer;

const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;

/** Plaid's timestamps: ISO 8601 in UTC without milliseconds. */
function plaidTimestamp(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sessionTokenCreate(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	if (body.user === undefined && body.user_id === undefined) {
		return invalidRequest('MISSING_FIELDS', 'the following required fields are missing: user');
	}
	const redirectUri = body.redirect_uri as string | undefined;
	if (redirectUri !== undefined && body.android_package_name !== undefined) {
		return invalidRequest('INVALID_FIELD', 'only one of redirect_uri and android_package_name may be provided');
	}
	if (redirectUri !== undefined && (redirectUri.includes('?') || !/^https?:\/\//.test(redirectUri))) {
		return invalidRequest('INVALID_FIELD', 'redirect_uri must be an absolute URI without query parameters');
	}
	if (!state.templates.has(body.template_id as string)) {
		return plaidError(400, 'INVALID_REQUEST', 'INVALID_FIELD', `template_id not found: ${String(body.template_id)}`);
	}
	const linkToken = `link-sandbox-${randomUUID()}`;
	state.linkTokens.set(linkToken, body);
	const link: Record<string, unknown> = {
		link_token: linkToken,
		expiration: plaidTimestamp(new Date(Date.now() + FOUR_HOURS_MS)),
	};
	if (typeof body.user_id === 'string') link.user_id = body.user_id;
	return { status: 200, body: { link, request_id: plaidId() } };
}

function institutionsGet(): EndpointAnswer {
	return {
		status: 200,
		body: {
			institutions: [
				{ institution_id: 'ins_109508', name: 'First Platypus Bank', country_codes: ['US'], products: ['auth', 'identity'], routing_numbers: [], oauth: false },
			],
			total: 1,
			request_id: plaidId(),
		},
	};
}

function userCreate(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const clientUserId = body.client_user_id as string;
	// Plaid answers a repeated client_user_id with the user it already has.
	let user = state.users.get(clientUserId);
	if (!user) {
		user = { user_id: `usr_${plaidId(14)}`, identity: (body.identity as Record<string, unknown> | null | undefined) ?? null };
		state.users.set(clientUserId, user);
	}
	return { status: 200, body: { user_id: user.user_id, request_id: plaidId() } };
}

function webhookVerificationKeyGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const key = state.signer.jwk(body.key_id as string);
	if (!key) return plaidError(400, 'INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID', 'invalid key_id provided');
	return { status: 200, body: { key, request_id: plaidId() } };
}

/** Plaid Sandbox's Layer test number with a profile; any other (415-555-0000 is the documented one) is ineligible. */
export const ELIGIBLE_PHONE = '+14155550011';

/** E.164 for US numbers written the usual ways, e.g. `415-555-0011` or `(415) 555-0011`. */
function e164(phone: string): string {
	const digits = phone.replace(/\D/g, '');
	return digits.length === 10 ? `+1${digits}` : `+${digits}`;
}

/**
 * The end user went through Layer with `phoneNumber`. An eligible number shares the Sandbox
 * profile and yields a public_token for it; any other exits without one.
 */
export function completeLayerSession(state: EmulatorState, phoneNumber: string): string | undefined {
	const phone = e164(phoneNumber);
	if (phone !== ELIGIBLE_PHONE) return undefined;
	const publicToken = `public-sandbox-${randomUUID()}`;
	state.publicTokens.set(publicToken, {
		identity: {
			name: { first_name: 'Leslie', last_name: 'Knope' },
			address: { street: '123 Main St', street2: null, city: 'Pawnee', region: 'IN', postal_code: '46001', country: 'US' },
			phone_number: phone,
			email: 'leslie@example.com',
			date_of_birth: '1975-01-18',
			ssn: '123-45-6789',
			ssn_last_4: '6789',
		},
		items: [{ item_id: plaidId(37), access_token: `access-sandbox-${randomUUID()}` }],
	});
	return publicToken;
}

function userAccountSessionGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const publicToken = body.public_token as string;
	if (!publicToken.startsWith('public-')) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'provided public token is in an invalid format. expected format: public-<environment>-<identifier>');
	}
	const profile = state.publicTokens.get(publicToken);
	if (!profile) return plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'public token not found');
	return { status: 200, body: { identity: profile.identity, items: profile.items, request_id: plaidId() } };
}

/** Endpoint path → request schema name in plaid-spec.json and the answer it gives. */
export const endpoints: Record<string, { requestSchema: string; answer: Endpoint }> = {
	'/session/token/create': { requestSchema: 'SessionTokenCreateRequest', answer: sessionTokenCreate },
	'/institutions/get': { requestSchema: 'InstitutionsGetRequest', answer: institutionsGet },
	'/user/create': { requestSchema: 'UserCreateRequest', answer: userCreate },
	'/webhook_verification_key/get': { requestSchema: 'WebhookVerificationKeyGetRequest', answer: webhookVerificationKeyGet },
	'/user_account/session/get': { requestSchema: 'UserAccountSessionGetRequest', answer: userAccountSessionGet },
};
