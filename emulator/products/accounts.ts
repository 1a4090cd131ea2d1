/**
 * Accounts and Balance (https://plaid.com/docs/api/accounts/, https://plaid.com/docs/api/products/balance/):
 * the Item's accounts with cached (`/accounts/get`) or fresh (`/accounts/balance/get`) balances.
 */
import { accountBase, isError, itemFor, itemMetadata, ok, selectAccounts, useProduct, type EmulatorState, type EndpointAnswer } from '../state';

function accounts(body: Record<string, unknown>, state: EmulatorState, product?: string): EndpointAnswer {
	const item = itemFor(state, body.access_token);
	if (isError(item)) return item;
	const selected = selectAccounts(item, body);
	if (isError(selected)) return selected;
	if (product) useProduct(item, product);
	return ok({ accounts: selected.map(accountBase), item: itemMetadata(item) });
}

export const accountsGet = (body: Record<string, unknown>, state: EmulatorState) => accounts(body, state);

/** `min_last_updated_datetime` matters only for Capital One (`ins_128026`), which Sandbox's test banks are not. */
export const accountsBalanceGet = (body: Record<string, unknown>, state: EmulatorState) => accounts(body, state, 'balance');
