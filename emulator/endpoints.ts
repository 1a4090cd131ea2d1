/**
 * What the emulated Plaid answers on each endpoint once a request passed the credential and
 * schema checks. Rules Plaid documents beyond the schema are enforced here.
 */
import { randomUUID } from 'node:crypto';

import { invalidRequest, plaidError, plaidId, type PlaidErrorAnswer } from './plaid-errors';

export interface EmulatorState {
	/** Template IDs that exist in this emulated Plaid Dashboard. */
	templates: Set<string>;
	/** Every link_token issued, with the request that created it. */
	linkTokens: Map<string, Record<string, unknown>>;
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

/** Endpoint path → request schema name in plaid-spec.json and the answer it gives. */
export const endpoints: Record<string, { requestSchema: string; answer: Endpoint }> = {
	'/session/token/create': { requestSchema: 'SessionTokenCreateRequest', answer: sessionTokenCreate },
	'/institutions/get': { requestSchema: 'InstitutionsGetRequest', answer: institutionsGet },
};
