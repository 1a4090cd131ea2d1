/**
 * Auth (https://plaid.com/docs/api/products/auth/#authget): account and routing numbers of the
 * Item's checking, savings and cash management accounts, with those accounts.
 */
import { accountBase, isError, itemFor, itemMetadata, ok, selectAccounts, useProduct, type EmulatorState, type EndpointAnswer } from '../state';

export function authGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const item = itemFor(state, body.access_token);
	if (isError(item)) return item;
	const selected = selectAccounts(item, body);
	if (isError(selected)) return selected;
	useProduct(item, 'auth');
	const withNumbers = selected.filter((account) => account.ach);
	return ok({
		accounts: withNumbers.map(accountBase),
		numbers: {
			ach: withNumbers.map((account) => ({ account_id: account.account_id, ...account.ach! })),
			eft: [],
			international: [],
			bacs: [],
		},
		item: itemMetadata(item),
	});
}
