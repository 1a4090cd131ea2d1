/**
 * Plaid's new user APIs (https://plaid.com/docs/api/users/): `usr_` ids, no user_token.
 * `/user/create` is idempotent per client_user_id; `/user/remove` deletes the user and its Items.
 */
import { invalidRequest, plaidId } from '../plaid-errors';
import { findUser, itemMetadata, ok, plaidTimestamp, userNotFound, type EmulatorState, type EndpointAnswer, type UserRecord } from '../state';

export function userCreate(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const clientUserId = body.client_user_id as string;
	// Plaid answers a repeated client_user_id with the user it already has.
	let user = state.users.get(clientUserId);
	if (!user) {
		user = {
			user_id: `usr_${plaidId(14)}`,
			identity: (body.identity as Record<string, unknown> | null | undefined) ?? null,
			client_user_id: clientUserId,
			created_at: plaidTimestamp(),
		};
		state.users.set(clientUserId, user);
	}
	return ok({ user_id: user.user_id });
}

export function userGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const user = findUser(state, body.user_id as string);
	if (!user) return userNotFound();
	return ok({ user_id: user.user_id, client_user_id: user.client_user_id, created_at: user.created_at, identity: user.identity });
}

/** `/user/remove` and `/user/items/get` take `user_id` or a legacy `user_token`; the emulator issues no user tokens. */
function userOf(body: Record<string, unknown>, state: EmulatorState): UserRecord | EndpointAnswer {
	if (body.user_id === undefined && body.user_token === undefined) {
		return invalidRequest('MISSING_FIELDS', 'the following required fields are missing: user_id');
	}
	if (body.user_id !== undefined && body.user_token !== undefined) {
		return invalidRequest('INVALID_FIELD', 'only one of user_id and user_token may be provided');
	}
	return (body.user_id !== undefined && findUser(state, body.user_id as string)) || userNotFound();
}

const isUser = (value: UserRecord | EndpointAnswer): value is UserRecord => 'user_id' in value;

export function userRemove(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const user = userOf(body, state);
	if (!isUser(user)) return user;
	state.users.delete(user.client_user_id);
	for (const item of state.items.values()) if (item.user_id === user.user_id) item.removed = true;
	return ok({});
}

export function userItemsGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const user = userOf(body, state);
	if (!isUser(user)) return user;
	const items = [...state.items.values()].filter((item) => item.user_id === user.user_id && !item.removed);
	return ok({ items: items.map(itemMetadata) });
}
