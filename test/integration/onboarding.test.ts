/**
 * The example onboarding for every visitor, through n8n-core against the emulator: "Onboarding:
 * start" answers a sign-up with the page; 415-555-0011 finishes in Layer; 415-555-0000 gets
 * LAYER_NOT_AVAILABLE, then LAYER_AUTOFILL_NOT_AVAILABLE for the date of birth, and the page asks
 * "Onboarding: fallback Link token" for a standard Link token (with the number typed, for the
 * same Plaid user); "Onboarding: finish" turns either completion into one onboarding record of
 * the same shape, and answers the page without any secret.
 */
import type { IDataObject } from 'n8n-workflow';

import { exampleSignUp, OnboardingVisitor, RECORD_NODE, START_WORKFLOW } from '../../runner/onboarding-visitor';
import { sharedEmulator } from '../support/shared-emulator';
import { expectedRecord, LINK_VISITOR } from '../support/onboarding-record';

const emulator = sharedEmulator();
const credentials = () => ({
	plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
});
const visitor = () => new OnboardingVisitor(emulator, credentials());

const paths = () => emulator.requests.map((request) => request.path);
const bodyOf = (path: string) => emulator.requests.find((request) => request.path === path)?.body as IDataObject;

describe('the start: a sign-up gets the page', () => {
	test('Create User with what the visitor typed, a Layer token for that user, a page that falls back to standard Link', async () => {
		const { run, page } = await visitor().signUp(exampleSignUp('customer-3001'));
		expect(paths()).toEqual(['/user/create', '/session/token/create']);
		expect(bodyOf('/user/create')).toEqual({
			client_user_id: 'customer-3001',
			identity: {
				name: { given_name: 'Alberta', family_name: 'Charleson' },
				emails: [{ data: 'accountholder0@example.com', primary: true }],
				phone_numbers: [{ data: '+14155550000', primary: true }],
				addresses: [{ street_1: '2992 Cameron Road', city: 'Malakoff', region: 'NY', postal_code: '14236', country: 'US', primary: true }],
			},
		});
		const userId = run.jsonOf('Create User')[0].user_id;
		expect(bodyOf('/session/token/create')).toMatchObject({ user_id: userId });
		expect(page).toMatchObject({
			linkToken: expect.stringMatching(/^link-sandbox-/),
			fallback: 'link',
			fallbackTokenUrl: 'http://127.0.0.1:5678/webhook/onboarding/fallback-token',
			completeUrl: 'http://127.0.0.1:5678/webhook/onboarding/complete',
		});
	});
});

describe('415-555-0011 through Layer', () => {
	test('the finish: the identity Layer shared, matched against the bank account holder, the accounts with masked numbers', async () => {
		const onboarding = visitor();
		const { run: start, page } = await onboarding.signUp(exampleSignUp('customer-3002'));
		const completion = await onboarding.throughLayer(page);
		emulator.reset();
		const finish = await onboarding.finish(completion);

		expect(paths()).toEqual(['/link/token/get', '/user/get', '/user_account/session/get', '/identity/match', '/auth/get']);
		const [record] = finish.jsonOf(RECORD_NODE);
		expect(record).toEqual(expectedRecord('layer', start.jsonOf('Create User')[0].user_id, 'customer-3002'));
		expect(record.verified).toEqual({ phone: true, bank_account: true, legal_name: true, phone_number: true, email_address: true, address: true });
		expect(finish.webhookResponse?.body).toEqual({ status: 'received' });
	});
});

describe('415-555-0000: Layer cannot help; standard Link instead', () => {
	test('the fallback token: the Layer token names the Plaid user; Create Link Token for that user, with the number typed, products auth and identity', async () => {
		const onboarding = visitor();
		const { run: start, page } = await onboarding.signUp(exampleSignUp('customer-3003'));
		emulator.reset();
		const { fallback, completion } = await onboarding.throughLink(page, LINK_VISITOR);

		expect(paths()).toEqual(['/link/token/get', '/user/get', '/link/token/create']);
		expect(bodyOf('/link/token/get')).toEqual({ link_token: page.linkToken });
		const userId = start.jsonOf('Create User')[0].user_id;
		expect(bodyOf('/user/get')).toEqual({ user_id: userId });
		expect(bodyOf('/link/token/create')).toEqual({
			client_name: 'Example Bank',
			language: 'en',
			country_codes: ['US'],
			products: ['auth', 'identity'],
			user_id: userId,
			user: { client_user_id: 'customer-3003', phone_number: '+14155550000' },
		});
		expect(fallback.webhookResponse?.body).toEqual({ link_token: completion.link_token });
		expect(completion).toMatchObject({ flow: 'link', public_token: expect.stringMatching(/^public-sandbox-/) });
	});

	test('the finish: the public token exchanged once; the sign-up identity matched against the bank account holder; the same record shape', async () => {
		const onboarding = visitor();
		const { run: start, page } = await onboarding.signUp(exampleSignUp('customer-3004'));
		const { completion } = await onboarding.throughLink(page, LINK_VISITOR);
		emulator.reset();
		const finish = await onboarding.finish(completion);

		expect(paths()).toEqual(['/link/token/get', '/user/get', '/item/public_token/exchange', '/identity/match', '/auth/get']);
		expect(bodyOf('/identity/match')).toMatchObject({
			user: {
				legal_name: 'Alberta Charleson',
				phone_number: '+14155550000',
				email_address: 'accountholder0@example.com',
				address: { street: '2992 Cameron Road', city: 'Malakoff', region: 'NY', postal_code: '14236', country: 'US' },
			},
		});
		const [record] = finish.jsonOf(RECORD_NODE);
		expect(record).toEqual(expectedRecord('link', start.jsonOf('Create User')[0].user_id, 'customer-3004'));
		// The holder of Sandbox's user_good accounts has other phone numbers; the rest matches.
		expect(record.verified).toEqual({ phone: false, bank_account: true, legal_name: true, phone_number: false, email_address: true, address: true });

		// Exchanged once: the same completion again is refused by Plaid, as a replayed page POST would be.
		await expect(onboarding.finish(completion)).rejects.toThrow(/INVALID_PUBLIC_TOKEN/);
	});

	test('no secret in the record or in the answer to the page: no access token, no whole account number', async () => {
		const onboarding = visitor();
		const { page } = await onboarding.signUp(exampleSignUp('customer-3005'));
		const { completion } = await onboarding.throughLink(page, LINK_VISITOR);
		const finish = await onboarding.finish(completion);
		const shown = JSON.stringify([finish.jsonOf(RECORD_NODE), finish.webhookResponse]);
		expect(shown).not.toMatch(/access-sandbox-/);
		expect(shown).not.toContain('1111222233330000');
		expect(shown).toContain('••••0000');
	});
});

describe('a visitor who typed nothing but the phone number (the static page: no sign-up form)', () => {
	test('through standard Link: the record holds the typed number, Identity Match gets only that, the rest stays empty', async () => {
		const start = structuredClone(START_WORKFLOW);
		start.nodes.find((node) => node.name === 'Create User')!.parameters.identity = {};
		const onboarding = new OnboardingVisitor(emulator, credentials(), { start });
		const { page } = await onboarding.signUp({ user_id: 'customer-3006' });
		const { completion } = await onboarding.throughLink(page, LINK_VISITOR);
		emulator.reset();
		const [record] = (await onboarding.finish(completion)).jsonOf(RECORD_NODE);

		expect(bodyOf('/identity/match')).toEqual({ access_token: expect.any(String), user: { phone_number: '+14155550000' } });
		expect(record.identity).toEqual({ legal_name: null, phone_number: '+14155550000', email_address: null, address: null });
		expect((record.accounts as IDataObject[]).map((account) => account.match_scores)).toEqual([
			{ legal_name: null, phone_number: 0, email_address: null, address: null },
			{ legal_name: null, phone_number: 0, email_address: null, address: null },
		]);
		expect(record.verified).toEqual({ phone: false, bank_account: true, legal_name: false, phone_number: false, email_address: false, address: false });
	});
});
