/**
 * The webhooks the Plaid Trigger can be set to start on, each named by Plaid's `webhook_type` and
 * `webhook_code` (Plaid's webhook reference, https://plaid.com/docs/api/webhooks/, and the
 * `*Webhook` schemas of Plaid's OpenAPI spec 2020-09-14). A code alone says little: ERROR,
 * DEFAULT_UPDATE and HISTORICAL_UPDATE each exist under several types, so an event is matched on
 * both. The list holds every webhook Plaid sends to the webhook URL of a Link or Layer session
 * and of the Items made in it; "All Events" also takes any other webhook Plaid sends there.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

export interface WebhookEvent {
	type: string;
	code: string;
	name: string;
	description: string;
	/** What a workflow stores when the event is selected: `TYPE.CODE`. */
	value: string;
}

/** Starts the workflow on every verified Plaid webhook, listed below or not. */
export const ALL_EVENTS = '*';

/** What the trigger's first version stored, which saved workflows still hold: the code alone. */
const STORED_BY_CODE = new Set(['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED']);

function event(type: string, code: string, name: string, description: string): WebhookEvent {
	const value = STORED_BY_CODE.has(code) ? code : `${type}.${code}`;
	return { type, code, name, description: `${type} ${code}: ${description}`, value };
}

/** Sorted by name, as the editor lists them; the type prefix keeps each type together. */
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = [
	event('AUTH', 'AUTOMATICALLY_VERIFIED', 'Auth: Automatically Verified', 'automated micro-deposits verified an account'),
	event('AUTH', 'DEFAULT_UPDATE', 'Auth: Default Update', 'account or routing numbers changed; fetch Auth again before the next payment'),
	event('AUTH', 'PRODUCT_PERMISSIONS_REQUIRED', 'Auth: Product Permissions Required', 'the user must grant Auth access again in update mode'),
	event('AUTH', 'SMS_MICRODEPOSITS_VERIFICATION', 'Auth: SMS Micro-Deposits Verification', 'a Same-Day Micro-deposits check by text message ended (MANUALLY_VERIFIED or VERIFICATION_FAILED)'),
	event('AUTH', 'VERIFICATION_EXPIRED', 'Auth: Verification Expired', 'automated micro-deposits were not verified within seven days'),
	event('HOLDINGS', 'DEFAULT_UPDATE', 'Holdings: Default Update', 'new or updated holdings on an investment account'),
	event('IDENTITY', 'DEFAULT_UPDATE', 'Identity: Default Update', "the account holder's names, phones, e-mails or addresses changed at the bank"),
	event('IDENTITY', 'PRODUCT_PERMISSIONS_REQUIRED', 'Identity: Product Permissions Required', 'the user must grant Identity access again in update mode'),
	event('INVESTMENTS_TRANSACTIONS', 'DEFAULT_UPDATE', 'Investments Transactions: Default Update', 'new or cancelled investment transactions'),
	event('INVESTMENTS_TRANSACTIONS', 'HISTORICAL_UPDATE', 'Investments Transactions: Historical Update', 'the history of investment transactions is ready'),
	event('ITEM', 'ERROR', 'Item: Error', 'the Item needs attention (e.g. ITEM_LOGIN_REQUIRED); send the user through update mode'),
	event('ITEM', 'LOGIN_REPAIRED', 'Item: Login Repaired', 'the Item left ITEM_LOGIN_REQUIRED without update mode in your app'),
	event('ITEM', 'NEW_ACCOUNTS_AVAILABLE', 'Item: New Accounts Available', 'the bank has accounts the user has not shared yet'),
	event('ITEM', 'PENDING_DISCONNECT', 'Item: Pending Disconnect', 'the Item (US or Canada) disconnects in 7 days unless the user goes through update mode'),
	event('ITEM', 'PENDING_EXPIRATION', 'Item: Pending Expiration', "the Item's consent (UK or EU) expires in 7 days unless the user goes through update mode"),
	event('ITEM', 'USER_ACCOUNT_REVOKED', 'Item: User Account Revoked', "the user revoked one account at the bank; delete that account's data"),
	event('ITEM', 'USER_PERMISSION_REVOKED', 'Item: User Permission Revoked', 'the user revoked access to the Item'),
	event('ITEM', 'WEBHOOK_UPDATE_ACKNOWLEDGED', 'Item: Webhook Update Acknowledged', "the Item's webhook URL now points here"),
	event('LAYER', 'LAYER_AUTHENTICATION_PASSED', 'Layer: Authentication Passed', 'the user proved they own their phone number'),
	event('LIABILITIES', 'DEFAULT_UPDATE', 'Liabilities: Default Update', 'new or updated loan and credit card details'),
	event('LINK', 'EVENTS', 'Link: Events', 'the events of a Link session, for analytics'),
	event('LINK', 'ITEM_ADD_RESULT', 'Link: Item Add Result', 'the user added an Item in Hosted or Multi-Item Link; carries its public_token'),
	event('LINK', 'SESSION_FINISHED', 'Link: Session Finished', 'the user finished (SUCCESS, with public_tokens) or left (EXITED) the session'),
	event('STATEMENTS', 'STATEMENTS_REFRESH_COMPLETE', 'Statements: Refresh Complete', 'a statements refresh ended (SUCCESS or FAILURE)'),
	event('TRANSACTIONS', 'DEFAULT_UPDATE', 'Transactions: Default Update', 'new transactions, for /transactions/get'),
	event('TRANSACTIONS', 'HISTORICAL_UPDATE', 'Transactions: Historical Update', 'the transaction history is ready, for /transactions/get'),
	event('TRANSACTIONS', 'INITIAL_UPDATE', 'Transactions: Initial Update', 'the last 30 days of transactions are ready, for /transactions/get'),
	event('TRANSACTIONS', 'RECURRING_TRANSACTIONS_UPDATE', 'Transactions: Recurring Transactions Update', 'recurring transaction streams changed'),
	event('TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE', 'Transactions: Sync Updates Available', 'transactions changed, for /transactions/sync'),
	event('TRANSACTIONS', 'TRANSACTIONS_REMOVED', 'Transactions: Transactions Removed', 'transactions were deleted, for /transactions/get'),
];

const BY_VALUE = new Map(WEBHOOK_EVENTS.map((entry) => [entry.value, entry]));

/** The Events parameter's options: "All Events", then the events by name. */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every webhook Plaid sends, including types not listed here' },
	...WEBHOOK_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
];

/** Whether the selection (stored option values) takes a webhook of this type and code. */
export function isSelected(selected: readonly string[], webhook: { type: string; code: string }): boolean {
	return selected.some((value) => {
		if (value === ALL_EVENTS) return true;
		const entry = BY_VALUE.get(value);
		return entry?.type === webhook.type && entry.code === webhook.code;
	});
}
