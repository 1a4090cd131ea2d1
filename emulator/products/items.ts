/**
 * Items (https://plaid.com/docs/api/items/): `/item/public_token/exchange` turns a public token
 * into an access token exactly once; `/item/get` describes the Item; `/item/remove` ends it, after
 * which its access token is refused everywhere.
 */
import { plaidError } from '../plaid-errors';
import { isError, itemFor, itemMetadata, ok, type EmulatorState, type EndpointAnswer } from '../state';

/**
 * "The public_token is ephemeral and expires after 30 minutes" and works once: a second exchange,
 * an expired or an unknown token all get INVALID_PUBLIC_TOKEN
 * (https://plaid.com/docs/errors/invalid-input/#invalid_public_token).
 */
export function itemPublicTokenExchange(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const publicToken = body.public_token as string;
	if (!/^public-(sandbox|production)-/.test(publicToken)) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'provided public token is in an invalid format. expected format: public-<environment>-<identifier>');
	}
	const pending = state.itemPublicTokens.get(publicToken);
	if (!pending || pending.exchanged || pending.expiresAt < Date.now()) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'could not find matching public token');
	}
	pending.exchanged = true;
	// "In Production, an Item will not be created until you have exchanged the public_token."
	state.items.set(pending.item.access_token, pending.item);
	return ok({ access_token: pending.item.access_token, item_id: pending.item.item_id });
}

export function itemGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const item = itemFor(state, body.access_token);
	if (isError(item)) return item;
	return ok({
		item: { ...itemMetadata(item), created_at: item.created_at },
		status: { investments: null, transactions: null, last_webhook: null },
	});
}

export function itemRemove(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const item = itemFor(state, body.access_token);
	if (isError(item)) return item;
	item.removed = true;
	return ok({});
}
