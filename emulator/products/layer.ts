/**
 * Plaid Layer: `/session/token/create` and `/user_account/session/get`
 * (https://plaid.com/docs/api/products/layer/), and the end user's part of a Layer session.
 */
import { randomUUID } from 'node:crypto';

import { invalidRequest, plaidError, plaidId } from '../plaid-errors';
import { type AccountOwner, DEFAULT_INSTITUTION_ID, findInstitution, sandboxItem } from '../sandbox-data';
import { ok, plaidTimestamp, sandboxToken, type EmulatorState, type EndpointAnswer } from '../state';

const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;

export function sessionTokenCreate(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
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
	const linkToken = sandboxToken('link');
	const expiration = plaidTimestamp(new Date(Date.now() + FOUR_HOURS_MS));
	state.linkTokens.set(linkToken, body);
	state.linkTokenDetails.set(linkToken, { kind: 'layer', request: body, created_at: plaidTimestamp(), expiration, sessions: [] });
	const link: Record<string, unknown> = { link_token: linkToken, expiration };
	if (typeof body.user_id === 'string') link.user_id = body.user_id;
	return ok({ link });
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
 * profile and yields a public_token for it; any other exits without one. The shared bank account
 * is a real Item: its access_token works on `/auth/get`, `/identity/get` and the others, and it
 * belongs to the session's user (`userId`) for `/user/items/get`.
 */
/** The emulator's Layer profile for Sandbox's +14155550011, as `/user_account/session/get` returns it. */
const LAYER_PROFILE = {
	name: { first_name: 'Leslie', last_name: 'Knope' },
	address: { street: '123 Main St', street2: null, city: 'Pawnee', region: 'IN', postal_code: '46001', country: 'US' },
	phone_number: ELIGIBLE_PHONE,
	email: 'leslie@example.com',
	date_of_birth: '1975-01-18',
	ssn: '123-45-6789',
	ssn_last_4: '6789',
};

/** The same person as the holder of the profile's bank accounts. */
const LAYER_PROFILE_OWNER: AccountOwner = {
	names: ['Leslie Knope'],
	phone_numbers: [{ data: '4155550011', primary: true, type: 'mobile' }],
	emails: [{ data: 'leslie@example.com', primary: true, type: 'primary' }],
	addresses: [{ data: { city: 'Pawnee', country: 'US', postal_code: '46001', region: 'IN', street: '123 Main St' }, primary: true }],
};

export function completeLayerSession(state: EmulatorState, phoneNumber: string, userId?: string): string | undefined {
	const phone = e164(phoneNumber);
	if (phone !== ELIGIBLE_PHONE) return undefined;
	// Layer fills in the profile from the accounts the user connected through Plaid before, so the
	// holder of the shared Items is the person of the profile (and Identity Match finds them).
	const item = sandboxItem(findInstitution(DEFAULT_INSTITUTION_ID)!, ['auth', 'identity'], { userId, owner: LAYER_PROFILE_OWNER });
	state.items.set(item.access_token, item);
	const publicToken = `public-sandbox-${randomUUID()}`;
	state.publicTokens.set(publicToken, {
		identity: { ...structuredClone(LAYER_PROFILE), phone_number: phone },
		items: [{ item_id: item.item_id, access_token: item.access_token }],
	});
	return publicToken;
}

export function userAccountSessionGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const publicToken = body.public_token as string;
	if (!publicToken.startsWith('public-')) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'provided public token is in an invalid format. expected format: public-<environment>-<identifier>');
	}
	const profile = state.publicTokens.get(publicToken);
	if (!profile) return plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'public token not found');
	return { status: 200, body: { identity: profile.identity, items: profile.items, request_id: plaidId() } };
}
