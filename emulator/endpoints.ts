/**
 * The emulated Plaid's endpoints: path → the request schema it is checked against
 * (plaid-spec.json) and the product module that answers once the credential and schema checks
 * passed. Rules Plaid documents beyond the schema live in those modules.
 */
import spec from './plaid-spec.json';
import type { Endpoint } from './state';
import { accountsBalanceGet, accountsGet } from './products/accounts';
import { authGet } from './products/auth';
import { identityGet, identityMatch } from './products/identity';
import { institutionsGet } from './products/institutions';
import { itemGet, itemPublicTokenExchange, itemRemove } from './products/items';
import { sessionTokenCreate, userAccountSessionGet } from './products/layer';
import { linkTokenCreate, linkTokenGet } from './products/link';
import { sandboxPublicTokenCreate } from './products/sandbox';
import { userCreate, userGet, userItemsGet, userRemove } from './products/users';
import { webhookVerificationKeyGet } from './products/webhook-verification';

export { completeLayerSession, ELIGIBLE_PHONE } from './products/layer';
export type { EmulatorState, EndpointAnswer, LayerProfile } from './state';

export const endpoints: Record<string, { requestSchema: string; answer: Endpoint }> = {
	'/session/token/create': { requestSchema: 'SessionTokenCreateRequest', answer: sessionTokenCreate },
	'/user_account/session/get': { requestSchema: 'UserAccountSessionGetRequest', answer: userAccountSessionGet },
	'/user/create': { requestSchema: 'UserCreateRequest', answer: userCreate },
	'/user/get': { requestSchema: 'UserGetRequest', answer: userGet },
	'/user/remove': { requestSchema: 'UserRemoveRequest', answer: userRemove },
	'/user/items/get': { requestSchema: 'UserItemsGetRequest', answer: userItemsGet },
	'/link/token/create': { requestSchema: 'LinkTokenCreateRequest', answer: linkTokenCreate },
	'/link/token/get': { requestSchema: 'LinkTokenGetRequest', answer: linkTokenGet },
	'/item/public_token/exchange': { requestSchema: 'ItemPublicTokenExchangeRequest', answer: itemPublicTokenExchange },
	'/item/get': { requestSchema: 'ItemGetRequest', answer: itemGet },
	'/item/remove': { requestSchema: 'ItemRemoveRequest', answer: itemRemove },
	'/accounts/get': { requestSchema: 'AccountsGetRequest', answer: accountsGet },
	'/accounts/balance/get': { requestSchema: 'AccountsBalanceGetRequest', answer: accountsBalanceGet },
	'/auth/get': { requestSchema: 'AuthGetRequest', answer: authGet },
	'/identity/get': { requestSchema: 'IdentityGetRequest', answer: identityGet },
	'/identity/match': { requestSchema: 'IdentityMatchRequest', answer: identityMatch },
	'/sandbox/public_token/create': { requestSchema: 'SandboxPublicTokenCreateRequest', answer: sandboxPublicTokenCreate },
	'/institutions/get': { requestSchema: 'InstitutionsGetRequest', answer: institutionsGet },
	'/webhook_verification_key/get': { requestSchema: 'WebhookVerificationKeyGetRequest', answer: webhookVerificationKeyGet },
};

/** Each endpoint's response schema in plaid-spec.json, for tests that check answers against it. */
export function responseSchemaOf(path: string): string {
	const schema = (spec.paths as Record<string, { responseSchema: string }>)[path]?.responseSchema;
	if (!schema) throw new Error(`no emulated endpoint ${path}`);
	return schema;
}
