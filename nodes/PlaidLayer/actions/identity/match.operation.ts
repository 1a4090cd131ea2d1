import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { buildAccountsRequest } from '../account/getAll.operation';
import { accessTokenProperty, accountIdsOption, outputProperty, readAccessTokenInput, readOutput, splitByAccount } from '../itemData';
import { checkEmailAddress, invalidParameter, type ItemContext, itemContext, normalizePhoneNumber, phoneNumberOption, readCountryCode, readText } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['identity'], operation: ['match'] } };

const properties: INodeProperties[] = [
	accessTokenProperty(showOnlyHere),
	outputProperty(showOnlyHere, 'account', 'its match scores, item_id and request_id'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'What the user told you, e.g. mapped from your sign-up form; Plaid scores each against the account holder on file. Give at least one.',
		displayOptions: showOnlyHere,
		options: [
			accountIdsOption,
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'e.g. US', description: 'Two-letter ISO country code of the address' },
			{ displayName: 'Email Address', name: 'emailAddress', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Legal Name', name: 'legalName', type: 'string', default: '', placeholder: 'e.g. Leslie Knope', description: "The user's full legal name" },
			phoneNumberOption,
			{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
			{ displayName: 'Region', name: 'region', type: 'string', default: '', placeholder: 'e.g. CA', description: 'State, province or region' },
			{ displayName: 'Street', name: 'street', type: 'string', default: '', placeholder: 'e.g. 123 Main St', description: 'The full street address' },
		],
	},
];

export interface IdentityMatchInput {
	accessToken: unknown;
	accountIds?: unknown;
	legalName?: unknown;
	phoneNumber?: unknown;
	emailAddress?: unknown;
	street?: unknown;
	city?: unknown;
	region?: unknown;
	postalCode?: unknown;
	country?: unknown;
}

/** Builds the `/identity/match` body, or throws a NodeOperationError naming the field to fix. */
export function buildIdentityMatchRequest(at: ItemContext, input: IdentityMatchInput, environment: PlaidEnvironment): IDataObject {
	const body = buildAccountsRequest(at, input, environment);
	const user: IDataObject = {};
	const legalName = readText(at, input.legalName, 'Legal Name');
	if (legalName !== '') user.legal_name = legalName;
	const phoneNumber = readText(at, input.phoneNumber, 'Phone Number');
	if (phoneNumber !== '') user.phone_number = normalizePhoneNumber(at, phoneNumber, 'Phone Number');
	const emailAddress = readText(at, input.emailAddress, 'Email Address');
	if (emailAddress !== '') user.email_address = checkEmailAddress(at, emailAddress, 'Email Address');
	const address: IDataObject = {};
	for (const [field, plaidName, parameter] of [
		['street', 'street', 'Street'],
		['city', 'city', 'City'],
		['region', 'region', 'Region'],
		['postalCode', 'postal_code', 'Postal Code'],
	] as const) {
		const value = readText(at, input[field], parameter);
		if (value !== '') address[plaidName] = value;
	}
	const country = readCountryCode(at, input.country, 'Country');
	if (country !== '') address.country = country;
	if (Object.keys(address).length > 0) user.address = address;
	if (Object.keys(user).length === 0) {
		throw invalidParameter(
			at,
			'Legal Name, Phone Number, Email Address and address',
			'are all empty: there is nothing to match',
			'Add at least one under Additional Fields, e.g. Legal Name = {{ $json.body.name }} from your sign-up form.',
		);
	}
	body.user = user;
	return body;
}

/** `/identity/match`: how well what the user told you matches the bank's account holder, 0–100 per field (70 or more is a match). */
export const matchIdentity: PlaidOperation = {
	endpoint: '/identity/match',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildIdentityMatchRequest(itemContext(context, itemIndex), readAccessTokenInput(context, itemIndex), environment);
	},
	toOutput: (response: IDataObject, context: IExecuteFunctions, itemIndex: number) => splitByAccount(response, readOutput(context, itemIndex)),
};
