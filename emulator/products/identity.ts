/**
 * Identity (https://plaid.com/docs/api/products/identity/): what the bank has on file about each
 * account's owners (`/identity/get`), and how well the user's own details match it
 * (`/identity/match`, scored in identity-match.ts).
 */
import {
	accountBase,
	isError,
	itemFor,
	itemMetadata,
	ok,
	selectAccounts,
	useProduct,
	type AccountRecord,
	type EmulatorState,
	type EndpointAnswer,
} from '../state';
import { best, scoreAddress, scoreEmail, scoreName, scorePhone, type AddressParts } from './identity-match';

export function identityGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const item = itemFor(state, body.access_token);
	if (isError(item)) return item;
	const selected = selectAccounts(item, body);
	if (isError(selected)) return selected;
	useProduct(item, 'identity');
	return ok({ accounts: selected.map((account) => ({ ...accountBase(account), owners: structuredClone(account.owners) })), item: itemMetadata(item) });
}

interface MatchUser {
	legal_name?: string | null;
	phone_number?: string | null;
	email_address?: string | null;
	address?: AddressParts | null;
}

type Owner = { names: string[]; phone_numbers: Array<{ data: string }>; emails: Array<{ data: string }>; addresses: Array<{ data: AddressParts }> };

function scores(account: AccountRecord, user: MatchUser): Record<string, unknown> {
	const owners = account.owners as Owner[];
	const given = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';
	const nameScore = given(user.legal_name) ? best(owners.flatMap((owner) => owner.names.map((name) => scoreName(user.legal_name!, name)))) : undefined;
	const phoneScore = given(user.phone_number) ? best(owners.flatMap((owner) => owner.phone_numbers.map((phone) => ({ score: scorePhone(user.phone_number!, phone.data) })))) : undefined;
	const emailScore = given(user.email_address) ? best(owners.flatMap((owner) => owner.emails.map((email) => ({ score: scoreEmail(user.email_address!, email.data) })))) : undefined;
	const addressScore = user.address ? best(owners.flatMap((owner) => owner.addresses.map((address) => scoreAddress(user.address!, address.data)))) : undefined;
	return {
		legal_name: nameScore ?? null,
		phone_number: phoneScore ?? null,
		email_address: emailScore ?? null,
		address: addressScore ?? null,
	};
}

export function identityMatch(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const item = itemFor(state, body.access_token);
	if (isError(item)) return item;
	const selected = selectAccounts(item, body);
	if (isError(selected)) return selected;
	useProduct(item, 'identity_match');
	const user = (body.user ?? {}) as MatchUser;
	return ok({
		accounts: selected.map((account) => ({
			...accountBase(account),
			// "Fields within the balances object will always be null when retrieved by /identity/match."
			balances: { available: null, current: null, limit: null, iso_currency_code: null, unofficial_currency_code: null },
			...scores(account, user),
		})),
		item: itemMetadata(item),
	});
}
