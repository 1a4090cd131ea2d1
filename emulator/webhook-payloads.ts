/**
 * Bodies of the webhooks Plaid sends, one builder per `webhook_type` and `webhook_code`, each in
 * the shape of its `*Webhook` schema in plaid-spec.json (named beside it; the tests check every
 * one against its schema, closed) with values like those of Plaid's own examples in the spec.
 * Tests pass the fields they care about; the rest get Sandbox-like defaults.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type PlaidEnvironment = 'sandbox' | 'production';

/** `LayerAuthenticationPassedWebhook` in plaid-spec.json. */
export interface LayerAuthenticationPassedWebhook {
	webhook_type: 'LAYER';
	webhook_code: 'LAYER_AUTHENTICATION_PASSED';
	environment: PlaidEnvironment;
	link_session_id: string;
	link_token: string;
}

/** `LinkSessionFinishedWebhook` in plaid-spec.json. */
export interface LinkSessionFinishedWebhook {
	webhook_type: 'LINK';
	webhook_code: 'SESSION_FINISHED';
	status: 'SUCCESS' | 'EXITED';
	link_session_id: string;
	link_token: string;
	/** Deprecated by Plaid in favour of `public_tokens`; still sent, as the first of them. */
	public_token?: string;
	public_tokens: string[];
	user_id?: string;
	environment: PlaidEnvironment;
}

/** Plaid verified the user's phone number in a Layer session. */
export function layerAuthenticationPassed(input: {
	link_token: string;
	link_session_id?: string;
	environment?: PlaidEnvironment;
}): LayerAuthenticationPassedWebhook {
	return {
		webhook_type: 'LAYER',
		webhook_code: 'LAYER_AUTHENTICATION_PASSED',
		environment: input.environment ?? 'sandbox',
		link_session_id: input.link_session_id ?? randomUUID(),
		link_token: input.link_token,
	};
}

/** A Link (here: Layer) session ended, with the public tokens it produced. */
export function sessionFinished(input: {
	link_token: string;
	public_tokens: string[];
	status?: 'SUCCESS' | 'EXITED';
	user_id?: string;
	link_session_id?: string;
	environment?: PlaidEnvironment;
}): LinkSessionFinishedWebhook {
	const [firstToken] = input.public_tokens;
	// Keys in the order of Plaid's schema, optional ones only when present.
	return {
		webhook_type: 'LINK',
		webhook_code: 'SESSION_FINISHED',
		status: input.status ?? 'SUCCESS',
		link_session_id: input.link_session_id ?? randomUUID(),
		link_token: input.link_token,
		...(firstToken !== undefined && { public_token: firstToken }),
		public_tokens: input.public_tokens,
		...(input.user_id !== undefined && { user_id: input.user_id }),
		environment: input.environment ?? 'sandbox',
	};
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An id like Plaid's `item_id` and `account_id`: 37 letters and digits. */
export function plaidId(): string {
	return [...randomBytes(37)].map((byte) => BASE62[byte % BASE62.length]).join('');
}

/** A webhook body: Plaid's type and code, then the fields of its schema. */
export type WebhookPayload = { webhook_type: string; webhook_code: string } & Record<string, unknown>;

/** Fields a test sets; they replace the defaults of the same name, others (e.g. `user_id`) are added. */
export type WebhookFields = Record<string, unknown>;

/** `PlaidError` as webhooks carry it: no `request_id` (Plaid omits it there), with `status`. */
export function webhookError(code: string, message: string, type = 'ITEM_ERROR', display: string | null = null): Record<string, unknown> {
	return { error_type: type, error_code: code, error_code_reason: null, error_message: message, display_message: display, status: 400 };
}

const ITEM_LOGIN_REQUIRED = () =>
	webhookError(
		'ITEM_LOGIN_REQUIRED',
		"the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
		'ITEM_ERROR',
		'We were unable to connect to your account. Please log in again.',
	);

/** Seven days ahead, as PENDING_DISCONNECT and PENDING_EXPIRATION announce. */
const inSevenDays = () => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

interface WebhookDefinition {
	/** The schema in plaid-spec.json this body follows. */
	schema: string;
	defaults: () => WebhookPayload;
}

function item(type: string, code: string, schema: string, fields: () => Record<string, unknown> = () => ({})): WebhookDefinition {
	return { schema, defaults: () => ({ webhook_type: type, webhook_code: code, item_id: plaidId(), ...fields(), environment: 'sandbox' }) };
}

/** Every webhook the Plaid Trigger names, by `TYPE.CODE`. */
export const PLAID_WEBHOOKS = {
	'AUTH.AUTOMATICALLY_VERIFIED': item('AUTH', 'AUTOMATICALLY_VERIFIED', 'AutomaticallyVerifiedWebhook', () => ({ account_id: plaidId(), error: null })),
	'AUTH.DEFAULT_UPDATE': item('AUTH', 'DEFAULT_UPDATE', 'AuthDefaultUpdateWebhook', () => ({
		account_ids_with_new_auth: [],
		account_ids_with_updated_auth: { [plaidId()]: ['ACCOUNT_NUMBER'] },
		error: null,
	})),
	'AUTH.PRODUCT_PERMISSIONS_REQUIRED': item('AUTH', 'PRODUCT_PERMISSIONS_REQUIRED', 'ProductPermissionsRequiredAuthWebhook'),
	'AUTH.SMS_MICRODEPOSITS_VERIFICATION': item('AUTH', 'SMS_MICRODEPOSITS_VERIFICATION', 'HostedMMDVerificationWebhook', () => ({
		status: 'MANUALLY_VERIFIED',
		account_id: plaidId(),
	})),
	'AUTH.VERIFICATION_EXPIRED': item('AUTH', 'VERIFICATION_EXPIRED', 'VerificationExpiredWebhook', () => ({ account_id: plaidId(), error: null })),
	'HOLDINGS.DEFAULT_UPDATE': item('HOLDINGS', 'DEFAULT_UPDATE', 'HoldingsDefaultUpdateWebhook', () => ({ error: null, new_holdings: 19, updated_holdings: 0 })),
	'IDENTITY.DEFAULT_UPDATE': item('IDENTITY', 'DEFAULT_UPDATE', 'IdentityDefaultUpdateWebhook', () => ({
		account_ids_with_updated_identity: { [plaidId()]: ['ADDRESSES'] },
		error: null,
	})),
	'IDENTITY.PRODUCT_PERMISSIONS_REQUIRED': item('IDENTITY', 'PRODUCT_PERMISSIONS_REQUIRED', 'ProductPermissionsRequiredIdentityWebhook'),
	'INVESTMENTS_TRANSACTIONS.DEFAULT_UPDATE': item('INVESTMENTS_TRANSACTIONS', 'DEFAULT_UPDATE', 'InvestmentsDefaultUpdateWebhook', () => ({
		error: null,
		new_investments_transactions: 16,
		cancelled_investments_transactions: 0,
	})),
	'INVESTMENTS_TRANSACTIONS.HISTORICAL_UPDATE': item('INVESTMENTS_TRANSACTIONS', 'HISTORICAL_UPDATE', 'InvestmentsHistoricalUpdateWebhook', () => ({
		error: null,
		new_investments_transactions: 16,
		cancelled_investments_transactions: 0,
	})),
	'ITEM.ERROR': item('ITEM', 'ERROR', 'ItemErrorWebhook', () => ({ error: ITEM_LOGIN_REQUIRED() })),
	'ITEM.LOGIN_REPAIRED': item('ITEM', 'LOGIN_REPAIRED', 'ItemLoginRepairedWebhook'),
	'ITEM.NEW_ACCOUNTS_AVAILABLE': item('ITEM', 'NEW_ACCOUNTS_AVAILABLE', 'NewAccountsAvailableWebhook', () => ({ error: null })),
	'ITEM.PENDING_DISCONNECT': item('ITEM', 'PENDING_DISCONNECT', 'PendingDisconnectWebhook', () => ({
		reason: 'INSTITUTION_TOKEN_EXPIRATION',
		disconnect_time: inSevenDays(),
	})),
	'ITEM.PENDING_EXPIRATION': item('ITEM', 'PENDING_EXPIRATION', 'PendingExpirationWebhook', () => ({ consent_expiration_time: inSevenDays() })),
	'ITEM.USER_ACCOUNT_REVOKED': item('ITEM', 'USER_ACCOUNT_REVOKED', 'UserAccountRevokedWebhook', () => ({ account_id: plaidId() })),
	'ITEM.USER_PERMISSION_REVOKED': item('ITEM', 'USER_PERMISSION_REVOKED', 'UserPermissionRevokedWebhook', () => ({
		error: webhookError('USER_PERMISSION_REVOKED', 'the holder of this account has revoked their permission for your application to access it'),
	})),
	'ITEM.WEBHOOK_UPDATE_ACKNOWLEDGED': item('ITEM', 'WEBHOOK_UPDATE_ACKNOWLEDGED', 'WebhookUpdateAcknowledgedWebhook', () => ({
		error: null,
		new_webhook_url: 'https://example.com/webhook',
	})),
	'LAYER.LAYER_AUTHENTICATION_PASSED': {
		schema: 'LayerAuthenticationPassedWebhook',
		defaults: () => ({ ...layerAuthenticationPassed({ link_token: `link-sandbox-${randomUUID()}` }) }),
	},
	'LIABILITIES.DEFAULT_UPDATE': item('LIABILITIES', 'DEFAULT_UPDATE', 'LiabilitiesDefaultUpdateWebhook', () => ({
		error: null,
		account_ids_with_new_liabilities: [plaidId()],
		account_ids_with_updated_liabilities: { [plaidId()]: ['past_amount_due'] },
	})),
	// Plaid's releases after the spec here (1.697.4) add a required `environment`; this follows the spec.
	'LINK.EVENTS': {
		schema: 'LinkEventsWebhook',
		defaults: () => ({
			webhook_type: 'LINK',
			webhook_code: 'EVENTS',
			events: [
				{ event_id: randomUUID(), event_metadata: { request_id: 'ClqZyuhovgkaQ3j' }, event_name: 'TRANSITION_VIEW', timestamp: new Date().toISOString() },
			],
			link_session_id: randomUUID(),
			link_token: `link-sandbox-${randomUUID()}`,
		}),
	},
	'LINK.ITEM_ADD_RESULT': {
		schema: 'ItemAddResultWebhook',
		defaults: () => ({
			webhook_type: 'LINK',
			webhook_code: 'ITEM_ADD_RESULT',
			link_session_id: randomUUID(),
			link_token: `link-sandbox-${randomUUID()}`,
			public_token: `public-sandbox-${randomUUID()}`,
			environment: 'sandbox',
		}),
	},
	'LINK.SESSION_FINISHED': {
		schema: 'LinkSessionFinishedWebhook',
		defaults: () => ({ ...sessionFinished({ link_token: `link-sandbox-${randomUUID()}`, public_tokens: [`public-sandbox-${randomUUID()}`] }) }),
	},
	'STATEMENTS.STATEMENTS_REFRESH_COMPLETE': item('STATEMENTS', 'STATEMENTS_REFRESH_COMPLETE', 'StatementsRefreshCompleteWebhook', () => ({ result: 'SUCCESS' })),
	'TRANSACTIONS.DEFAULT_UPDATE': item('TRANSACTIONS', 'DEFAULT_UPDATE', 'DefaultUpdateWebhook', () => ({ error: null, new_transactions: 3 })),
	'TRANSACTIONS.HISTORICAL_UPDATE': item('TRANSACTIONS', 'HISTORICAL_UPDATE', 'HistoricalUpdateWebhook', () => ({ error: null, new_transactions: 231 })),
	'TRANSACTIONS.INITIAL_UPDATE': item('TRANSACTIONS', 'INITIAL_UPDATE', 'InitialUpdateWebhook', () => ({ error: null, new_transactions: 19 })),
	'TRANSACTIONS.RECURRING_TRANSACTIONS_UPDATE': item('TRANSACTIONS', 'RECURRING_TRANSACTIONS_UPDATE', 'RecurringTransactionsUpdateWebhook', () => ({
		account_ids: [plaidId()],
	})),
	'TRANSACTIONS.SYNC_UPDATES_AVAILABLE': item('TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE', 'SyncUpdatesAvailableWebhook', () => ({
		initial_update_complete: true,
		historical_update_complete: false,
	})),
	'TRANSACTIONS.TRANSACTIONS_REMOVED': item('TRANSACTIONS', 'TRANSACTIONS_REMOVED', 'TransactionsRemovedWebhook', () => ({
		error: null,
		removed_transactions: [plaidId()],
	})),
} satisfies Record<string, WebhookDefinition>;

export type PlaidWebhookName = keyof typeof PLAID_WEBHOOKS;

/** The body of one Plaid webhook, e.g. `webhookPayload('ITEM.ERROR', { item_id, user_id })`. */
export function webhookPayload(name: PlaidWebhookName, fields: WebhookFields = {}): WebhookPayload {
	return { ...PLAID_WEBHOOKS[name].defaults(), ...fields };
}
