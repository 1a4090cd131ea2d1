import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Plaid's enums the node offers as choices, from the spec (2020-09-14): `Products`,
 * `CountryCode`, Link's languages (listed in `LinkTokenCreateRequest.language`) and
 * `ItemRemoveReasonCode`. A unit test keeps them equal to plaid-spec.json.
 */

/**
 * Plaid's `Products` without `balance`: "Balance is not a valid value, the Balance product does
 * not require explicit initialization" (`products`, `additional_consented_products`).
 */
export const PRODUCTS: INodePropertyOptions[] = [
	{ name: 'Assets', value: 'assets' },
	{ name: 'Auth', value: 'auth' },
	{ name: 'Balance Plus', value: 'balance_plus' },
	{ name: 'Beacon', value: 'beacon' },
	{ name: 'CRA Base Report', value: 'cra_base_report' },
	{ name: 'CRA Cashflow Insights', value: 'cra_cashflow_insights' },
	{ name: 'CRA Income Insights', value: 'cra_income_insights' },
	{ name: 'CRA Lend Score', value: 'cra_lend_score' },
	{ name: 'CRA Monitoring', value: 'cra_monitoring' },
	{ name: 'CRA Network Insights', value: 'cra_network_insights' },
	{ name: 'CRA Partner Insights', value: 'cra_partner_insights' },
	{ name: 'CRA Plaid Credit Score', value: 'cra_plaid_credit_score' },
	{ name: 'Credit Details', value: 'credit_details' },
	{ name: 'Employment', value: 'employment' },
	{ name: 'Identity', value: 'identity' },
	{ name: 'Identity Match', value: 'identity_match' },
	{ name: 'Identity Verification', value: 'identity_verification' },
	{ name: 'Income', value: 'income' },
	{ name: 'Income Verification', value: 'income_verification' },
	{ name: 'Investments', value: 'investments' },
	{ name: 'Investments Auth', value: 'investments_auth' },
	{ name: 'Layer', value: 'layer' },
	{ name: 'Liabilities', value: 'liabilities' },
	{ name: 'Pay By Bank', value: 'pay_by_bank' },
	{ name: 'Payment Initiation', value: 'payment_initiation' },
	{ name: 'Processor Identity', value: 'processor_identity' },
	{ name: 'Processor Payments', value: 'processor_payments' },
	{ name: 'Profile', value: 'profile' },
	{ name: 'Protect Linked Bank', value: 'protect_linked_bank' },
	{ name: 'Protect Transactions', value: 'protect_transactions' },
	{ name: 'Recurring Transactions', value: 'recurring_transactions' },
	{ name: 'Signal', value: 'signal' },
	{ name: 'Standing Orders', value: 'standing_orders' },
	{ name: 'Statements', value: 'statements' },
	{ name: 'Transactions', value: 'transactions' },
	{ name: 'Transactions Refresh', value: 'transactions_refresh' },
	{ name: 'Transfer', value: 'transfer' },
];

/** Products update mode may add to an existing Item: "Assets, Statements, Income, or Plaid Check Consumer Report". */
export const UPDATE_MODE_PRODUCTS = /^(assets|statements|income_verification|cra_.+)$/;

/** Plaid's `CountryCode`: the countries Link can show institutions of. */
export const COUNTRY_CODES: INodePropertyOptions[] = [
	{ name: 'Austria', value: 'AT' },
	{ name: 'Belgium', value: 'BE' },
	{ name: 'Canada', value: 'CA' },
	{ name: 'Denmark', value: 'DK' },
	{ name: 'Estonia', value: 'EE' },
	{ name: 'Finland', value: 'FI' },
	{ name: 'France', value: 'FR' },
	{ name: 'Germany', value: 'DE' },
	{ name: 'Ireland', value: 'IE' },
	{ name: 'Italy', value: 'IT' },
	{ name: 'Latvia', value: 'LV' },
	{ name: 'Lithuania', value: 'LT' },
	{ name: 'Netherlands', value: 'NL' },
	{ name: 'Norway', value: 'NO' },
	{ name: 'Poland', value: 'PL' },
	{ name: 'Portugal', value: 'PT' },
	{ name: 'Spain', value: 'ES' },
	{ name: 'Sweden', value: 'SE' },
	{ name: 'United Kingdom', value: 'GB' },
	{ name: 'United States', value: 'US' },
];

/** The languages Link is displayed in. */
export const LINK_LANGUAGES: INodePropertyOptions[] = [
	{ name: 'Danish', value: 'da' },
	{ name: 'Dutch', value: 'nl' },
	{ name: 'English', value: 'en' },
	{ name: 'Estonian', value: 'et' },
	{ name: 'French', value: 'fr' },
	{ name: 'German', value: 'de' },
	{ name: 'Hindi', value: 'hi' },
	{ name: 'Italian', value: 'it' },
	{ name: 'Latvian', value: 'lv' },
	{ name: 'Lithuanian', value: 'lt' },
	{ name: 'Norwegian', value: 'no' },
	{ name: 'Polish', value: 'pl' },
	{ name: 'Portuguese', value: 'pt' },
	{ name: 'Romanian', value: 'ro' },
	{ name: 'Spanish', value: 'es' },
	{ name: 'Swedish', value: 'sv' },
	{ name: 'Vietnamese', value: 'vi' },
];

/** Plaid's `ItemRemoveReasonCode`. */
export const ITEM_REMOVE_REASONS: INodePropertyOptions[] = [
	{ name: 'Connection Is Not Working', value: 'CONNECTION_IS_NON_FUNCTIONAL', description: 'The connection no longer works for the user' },
	{ name: 'Fraud: Abuse', value: 'FRAUD_ABUSE', description: 'The end user abused the product' },
	{ name: 'Fraud: False Identity', value: 'FRAUD_FALSE_IDENTITY', description: 'The end user created the connection with a false identity' },
	{ name: 'Fraud: First Party', value: 'FRAUD_FIRST_PARTY', description: 'The end user who owns the connected account committed fraud' },
	{ name: 'Fraud: Other', value: 'FRAUD_OTHER', description: 'Another kind of fraud' },
	{ name: 'Other', value: 'OTHER', description: 'Any other reason' },
];
