import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkEmailAddress, invalidParameter, type ItemContext, itemContext, normalizePhoneNumber, phoneNumberOption, readCountryCode, readParameter, readText, requireText } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['user'], operation: ['create'] } };

const CLIENT_USER_ID_MAX = 128;

const properties: INodeProperties[] = [
	{
		displayName: 'Client User ID',
		name: 'clientUserId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.body.userId }}',
		description:
			'Your own stable ID for this person (1–128 characters), such as the user ID in your database. Do not use an email address or phone number.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Identity',
		name: 'identity',
		type: 'collection',
		placeholder: 'Add Identity Field',
		default: {},
		description: 'What you already know about the person; Plaid uses it to prefill and match',
		displayOptions: showOnlyHere,
		options: [
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{
				displayName: 'Country',
				name: 'country',
				type: 'string',
				default: '',
				placeholder: 'e.g. US',
				description: 'Two-letter ISO country code of the address; required when any address field is set',
			},
			{
				displayName: 'Date of Birth',
				name: 'dateOfBirth',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1975-01-18',
				description: 'In the format YYYY-MM-DD',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{ displayName: 'Family Name', name: 'familyName', type: 'string', default: '', description: 'Last name; give it together with Given Name' },
			{ displayName: 'Given Name', name: 'givenName', type: 'string', default: '', description: 'First name; give it together with Family Name' },
			phoneNumberOption,
			{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
			{ displayName: 'Region', name: 'region', type: 'string', default: '', placeholder: 'e.g. CA', description: 'State, province or region' },
			{
				displayName: 'SSN',
				name: 'ssn',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'US Social Security Number, 9 digits',
			},
			{ displayName: 'SSN Last 4', name: 'ssnLast4', type: 'string', default: '', description: 'Last 4 digits of the US Social Security Number' },
			{ displayName: 'Street', name: 'street1', type: 'string', default: '', description: 'First line of the street address' },
			{ displayName: 'Street Line 2', name: 'street2', type: 'string', default: '' },
		],
	},
];

export interface IdentityInput {
	givenName?: unknown;
	familyName?: unknown;
	dateOfBirth?: unknown;
	email?: unknown;
	phoneNumber?: unknown;
	street1?: unknown;
	street2?: unknown;
	city?: unknown;
	region?: unknown;
	postalCode?: unknown;
	country?: unknown;
	ssn?: unknown;
	ssnLast4?: unknown;
}

/** A calendar date as YYYY-MM-DD; an ISO date-time (as n8n's date fields give) is cut to its date. */
function normalizeDate(at: ItemContext, text: string, parameter: string): string {
	const date = text.slice(0, 10);
	const parsed = Date.parse(`${date}T00:00:00Z`);
	// Date.parse rolls nothing over but rejects month 13; a 30 February comes back as 2 March.
	const valid =
		/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text) && !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(date);
	if (!valid) {
		throw invalidParameter(at, parameter, `is not a date in the format YYYY-MM-DD: "${text}"`, 'Write it like 1975-01-18.');
	}
	if (Date.parse(date) > Date.now()) {
		throw invalidParameter(at, parameter, `is in the future: "${date}"`, 'Check the year.');
	}
	return date;
}

function digitsOnly(at: ItemContext, text: string, parameter: string, length: number): string {
	const digits = text.replace(/[\s-]/g, '');
	if (!new RegExp(`^\\d{${length}}$`).test(digits)) {
		throw invalidParameter(at, parameter, `must be ${length} digits`, `Enter the ${length} digits; dashes and spaces are fine.`);
	}
	return digits;
}

function buildIdentity(at: ItemContext, input: IdentityInput): IDataObject | undefined {
	const text = (value: unknown, parameter: string) => readText(at, value, parameter);
	const identity: IDataObject = {};

	const givenName = text(input.givenName, 'Given Name');
	const familyName = text(input.familyName, 'Family Name');
	if ((givenName === '') !== (familyName === '')) {
		throw invalidParameter(
			at,
			givenName === '' ? 'Given Name' : 'Family Name',
			'is empty while the other name is set',
			'Plaid takes a name only as both Given Name and Family Name: add the missing one or remove both.',
		);
	}
	if (givenName !== '') identity.name = { given_name: givenName, family_name: familyName };

	const dateOfBirth = text(input.dateOfBirth, 'Date of Birth');
	if (dateOfBirth !== '') identity.date_of_birth = normalizeDate(at, dateOfBirth, 'Date of Birth');

	const email = text(input.email, 'Email');
	if (email !== '') identity.emails = [{ data: checkEmailAddress(at, email, 'Email'), primary: true }];

	const phoneNumber = text(input.phoneNumber, 'Phone Number');
	if (phoneNumber !== '') identity.phone_numbers = [{ data: normalizePhoneNumber(at, phoneNumber, 'Phone Number'), primary: true }];

	const address: IDataObject = {};
	const addressFields: Array<[keyof IdentityInput, string, string]> = [
		['street1', 'street_1', 'Street'],
		['street2', 'street_2', 'Street Line 2'],
		['city', 'city', 'City'],
		['region', 'region', 'Region'],
		['postalCode', 'postal_code', 'Postal Code'],
	];
	for (const [field, plaidName, parameter] of addressFields) {
		const value = text(input[field], parameter);
		if (value !== '') address[plaidName] = value;
	}
	const country = readCountryCode(at, input.country, 'Country');
	if (country !== '' || Object.keys(address).length > 0) {
		if (country === '') throw invalidParameter(at, 'Country', 'is required with an address', 'Use the two-letter ISO code, e.g. US, CA or GB.');
		identity.addresses = [{ ...address, country, primary: true }];
	}

	const idNumbers: IDataObject[] = [];
	const ssn = text(input.ssn, 'SSN');
	if (ssn !== '') idNumbers.push({ value: digitsOnly(at, ssn, 'SSN', 9), type: 'us_ssn' });
	const ssnLast4 = text(input.ssnLast4, 'SSN Last 4');
	if (ssnLast4 !== '') idNumbers.push({ value: digitsOnly(at, ssnLast4, 'SSN Last 4', 4), type: 'us_ssn_last_4' });
	if (idNumbers.length > 0) identity.id_numbers = idNumbers;

	return Object.keys(identity).length > 0 ? identity : undefined;
}

/** Builds the `/user/create` body, or throws a NodeOperationError naming the field to fix. */
export function buildUserCreateRequest(at: ItemContext, clientUserId: unknown, identity: IdentityInput): IDataObject {
	const id = requireText(
		at,
		clientUserId,
		'Client User ID',
		'Set it to your own ID for this person, e.g. {{ $json.body.userId }}.',
	);
	if (id.length > CLIENT_USER_ID_MAX) {
		throw invalidParameter(
			at,
			'Client User ID',
			`is ${id.length} characters long; Plaid allows at most ${CLIENT_USER_ID_MAX}`,
			'Use a shorter ID, such as your database key for the person.',
		);
	}
	const body: IDataObject = { client_user_id: id };
	const builtIdentity = buildIdentity(at, identity);
	if (builtIdentity) body.identity = builtIdentity;
	return body;
}

export const createUser: PlaidOperation = {
	endpoint: '/user/create',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number) {
		return buildUserCreateRequest(
			itemContext(context, itemIndex),
			readParameter(context, 'clientUserId', itemIndex, ''),
			readParameter(context, 'identity', itemIndex, {}) as IdentityInput,
		);
	},
	toOutput(response: IDataObject) {
		const output: IDataObject = { user_id: response.user_id };
		if (response.user_token !== undefined) output.user_token = response.user_token;
		output.request_id = response.request_id;
		return output;
	},
};
