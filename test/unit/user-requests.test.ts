/** Create User and Get User Account Session: bodies built from node fields, and every refusal. */
import type { IDataObject, INode } from 'n8n-workflow';

import { validate } from '../../emulator/schema';
import { buildUserCreateRequest, type IdentityInput } from '../../nodes/PlaidLayer/actions/user/create.operation';
import {
	buildUserAccountSessionRequest,
	withoutSensitiveFields,
} from '../../nodes/PlaidLayer/actions/userAccountSession/get.operation';
import { refusalOf } from '../support/refusal';

const node = { name: 'Plaid Layer', type: 'n8n-nodes-plaid-layer.plaidLayer' } as INode;
const at = { node, itemIndex: 1 };

describe('Create User', () => {
	test('client_user_id alone; no empty identity object is sent', () => {
		expect(buildUserCreateRequest(at, ' user-7 ', {})).toEqual({ client_user_id: 'user-7' });
	});

	test('every identity field in Plaid\'s shapes, valid against the spec', () => {
		const body = buildUserCreateRequest(at, 'user-7', {
			givenName: 'Leslie',
			familyName: 'Knope',
			dateOfBirth: '1975-01-18T00:00:00.000Z',
			email: 'leslie@example.com',
			phoneNumber: '+1 (415) 555-0011',
			street1: '123 Main St',
			street2: 'Apt 2',
			city: 'Pawnee',
			region: 'IN',
			postalCode: '46001',
			country: 'us',
			ssn: '123-45-6789',
			ssnLast4: '6789',
		});
		expect(body).toEqual({
			client_user_id: 'user-7',
			identity: {
				name: { given_name: 'Leslie', family_name: 'Knope' },
				date_of_birth: '1975-01-18',
				emails: [{ data: 'leslie@example.com', primary: true }],
				phone_numbers: [{ data: '+14155550011', primary: true }],
				addresses: [{ street_1: '123 Main St', street_2: 'Apt 2', city: 'Pawnee', region: 'IN', postal_code: '46001', country: 'US', primary: true }],
				id_numbers: [
					{ value: '123456789', type: 'us_ssn' },
					{ value: '6789', type: 'us_ssn_last_4' },
				],
			},
		});
		expect(validate(body, 'UserCreateRequest', true)).toEqual([]);
	});

	test('a client_user_id of exactly 128 characters is accepted', () => {
		expect(buildUserCreateRequest(at, 'x'.repeat(128), {})).toEqual({ client_user_id: 'x'.repeat(128) });
	});

	test.each<[string, unknown, IdentityInput, string, RegExp]>([
		['empty client user id', '', {}, 'Client User ID is empty', /\$json\.body\.userId/],
		['client user id over 128 characters', 'x'.repeat(129), {}, 'Client User ID is 129 characters long; Plaid allows at most 128', /shorter/],
		['given name without family name', 'u', { givenName: 'Leslie' }, 'Family Name is empty while the other name is set', /both/],
		['family name without given name', 'u', { familyName: 'Knope' }, 'Given Name is empty while the other name is set', /both/],
		['date in another format', 'u', { dateOfBirth: '18/01/1975' }, 'Date of Birth is not a date in the format YYYY-MM-DD: "18/01/1975"', /1975-01-18/],
		['a date that does not exist', 'u', { dateOfBirth: '1975-02-30' }, 'Date of Birth is not a date in the format YYYY-MM-DD: "1975-02-30"', /1975-01-18/],
		['a birth date in the future', 'u', { dateOfBirth: '2999-01-01' }, 'Date of Birth is in the future: "2999-01-01"', /year/],
		['an email without a domain', 'u', { email: 'leslie@' }, 'Email is not an email address: "leslie@"', /name@example\.com/],
		['a phone number without country code', 'u', { phoneNumber: '415-555-0011' }, 'Phone Number is not an international phone number: "415-555-0011"', /\+14155550011/],
		['an address without a country', 'u', { city: 'Pawnee' }, 'Country is required with an address', /two-letter/],
		['a country name instead of a code', 'u', { country: 'United States' }, 'Country is not a two-letter country code: "United States"', /US, CA or GB/],
		['an SSN with letters', 'u', { ssn: '12345678X' }, 'SSN must be 9 digits', /9 digits/],
		['SSN last 4 too long', 'u', { ssnLast4: '67890' }, 'SSN Last 4 must be 4 digits', /4 digits/],
		['an identity field given an object', 'u', { email: { address: 'x' } }, 'Email must be text, but the value is an object', /single text field/],
	])('%s', (_name, clientUserId, identity, message, fix) => {
		const error = refusalOf(() => buildUserCreateRequest(at, clientUserId, identity));
		expect(error.message).toBe(`${message} [item 1]`);
		expect(error.description).toMatch(fix);
		expect(error.context.itemIndex).toBe(1);
	});
});

describe('Get User Account Session', () => {
	test('the public token goes to Plaid as public_token', () => {
		const body = buildUserAccountSessionRequest(at, ' public-sandbox-123 ');
		expect(body).toEqual({ public_token: 'public-sandbox-123' });
		expect(validate(body, 'UserAccountSessionGetRequest', true)).toEqual([]);
	});

	test.each<[string, unknown, string, RegExp]>([
		['empty', '', 'Public Token is empty', /public_tokens\[0\]/],
		['a link token instead', 'link-sandbox-123', 'Public Token is not a Plaid public token: "link-sandbox-123"', /starts with public-/],
		['a list from the trigger, not its first entry', ['public-sandbox-1'], 'Public Token must be text, but the value is a list', /single text field/],
	])('refuses %s', (_name, token, message, fix) => {
		const error = refusalOf(() => buildUserAccountSessionRequest(at, token));
		expect(error.message).toBe(`${message} [item 1]`);
		expect(error.description).toMatch(fix);
	});

	const answer: IDataObject = {
		identity: { name: { first_name: 'Leslie', last_name: 'Knope' }, ssn: '123-45-6789', ssn_last_4: '6789', phone_number: '+14155550011' },
		items: [{ item_id: 'item-1', access_token: 'access-sandbox-1' }],
		request_id: 'r1',
	};

	test('leaving out the full SSN keeps ssn_last_4', () => {
		const output = withoutSensitiveFields(answer, ['ssn']);
		expect(output.identity).toEqual({ name: { first_name: 'Leslie', last_name: 'Knope' }, ssn_last_4: '6789', phone_number: '+14155550011' });
		expect(output.items).toEqual(answer.items);
	});

	test('leaving out access tokens keeps item ids', () => {
		expect(withoutSensitiveFields(answer, ['access_token']).items).toEqual([{ item_id: 'item-1' }]);
	});

	test('leaving out nothing keeps Plaid\'s answer whole, and the answer itself is not changed', () => {
		const copy = structuredClone(answer);
		expect(withoutSensitiveFields(answer, [])).toEqual(answer);
		withoutSensitiveFields(answer, ['ssn', 'access_token']);
		expect(answer).toEqual(copy);
	});

	test('a null identity (nothing shared) stays null', () => {
		expect(withoutSensitiveFields({ identity: null, items: [], request_id: 'r' }, ['ssn']).identity).toBeNull();
	});
});
