/**
 * `/sandbox/public_token/create` (https://plaid.com/docs/api/sandbox/#sandboxpublic_tokencreate):
 * a public token for a new Sandbox Item, no Link session needed. The Item exists once the token is
 * exchanged, like one from Link.
 */
import { plaidError } from '../plaid-errors';
import { findInstitution, SANDBOX_PASSWORD, SANDBOX_USERNAME, sandboxItem } from '../sandbox-data';
import { findUser, ok, sandboxToken, userNotFound, type EmulatorState, type EndpointAnswer } from '../state';

const THIRTY_MINUTES_MS = 30 * 60 * 1000;

export function sandboxPublicTokenCreate(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const institution = findInstitution(body.institution_id as string);
	// https://plaid.com/docs/errors/institution/#institution_not_found
	if (!institution) return plaidError(400, 'INSTITUTION_ERROR', 'INSTITUTION_NOT_FOUND', 'this institution was not found. Please check the ID supplied');
	const products = body.initial_products as string[];
	const unsupported = products.filter((product) => !institution.products.includes(product));
	if (unsupported.length > 0) {
		return plaidError(400, 'ITEM_ERROR', 'PRODUCTS_NOT_SUPPORTED', `the following products are not supported by this institution: ${unsupported.join(', ')}`);
	}
	const options = (body.options ?? {}) as { webhook?: string; override_username?: string | null; override_password?: string | null };
	// The test login: user_good / pass_good unless overridden (https://plaid.com/docs/sandbox/test-credentials/).
	if ((options.override_username ?? SANDBOX_USERNAME) !== SANDBOX_USERNAME || (options.override_password ?? SANDBOX_PASSWORD) !== SANDBOX_PASSWORD) {
		return plaidError(400, 'ITEM_ERROR', 'INVALID_CREDENTIALS', 'the provided credentials were not correct', 'The provided credentials were not correct. Please try again.');
	}
	const userId = body.user_id as string | undefined;
	if (userId !== undefined && !findUser(state, userId)) return userNotFound();
	const item = sandboxItem(institution, products, { webhook: options.webhook ?? null, userId });
	const publicToken = sandboxToken('public');
	state.itemPublicTokens.set(publicToken, { item, expiresAt: Date.now() + THIRTY_MINUTES_MS, exchanged: false });
	return ok({ public_token: publicToken });
}
