/** The /session/token/create body built from node fields, and each rule that refuses a field. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildSessionTokenRequest, type SessionTokenInput } from '../../nodes/PlaidLayer/actions/sessionToken/create.operation';
import { validate } from '../../emulator/schema';
import type { PlaidEnvironment } from '../../credentials/PlaidLayerApi.credentials';
import { refusalOf } from '../support/refusal';

const node = { name: 'Plaid Layer', type: 'n8n-nodes-plaid-layer.plaidLayer' } as INode;
const base: SessionTokenInput = { templateId: 'template_abc', userId: '', clientUserId: 'user-1' };

function build(overrides: Partial<SessionTokenInput>, environment: PlaidEnvironment = 'sandbox', itemIndex = 0) {
	return buildSessionTokenRequest({ node, itemIndex }, { ...base, ...overrides }, environment);
}

const refusal = (overrides: Partial<SessionTokenInput>, environment: PlaidEnvironment = 'sandbox', itemIndex = 0): NodeOperationError => refusalOf(() => build(overrides, environment, itemIndex));

describe('request body', () => {
	test('minimal: template and client user id', () => {
		expect(build({})).toEqual({ template_id: 'template_abc', user: { client_user_id: 'user-1' } });
	});

	test('a Plaid user_id alone goes top level and no user object is sent', () => {
		expect(build({ clientUserId: '', userId: 'usr_1' })).toEqual({ template_id: 'template_abc', user_id: 'usr_1' });
	});

	test('every field, each under its Plaid name, and valid against Plaid\'s schema', () => {
		const body = build({
			userId: 'usr_1',
			redirectUri: 'https://app.example.com/oauth',
			webhook: 'https://n8n.example.com/webhook/plaid',
		});
		expect(body).toEqual({
			template_id: 'template_abc',
			user_id: 'usr_1',
			user: { client_user_id: 'user-1' },
			redirect_uri: 'https://app.example.com/oauth',
			webhook: 'https://n8n.example.com/webhook/plaid',
		});
		expect(validate(body, 'SessionTokenCreateRequest', true)).toEqual([]);
	});

	test('empty, whitespace-only, null and undefined optional fields are left out', () => {
		expect(build({ userId: null, redirectUri: '   ', androidPackageName: undefined, webhook: '' })).toEqual({
			template_id: 'template_abc',
			user: { client_user_id: 'user-1' },
		});
	});

	test('surrounding whitespace from copy and paste is trimmed', () => {
		expect(build({ templateId: '  template_abc\n', clientUserId: '\tuser-1 ' })).toEqual({
			template_id: 'template_abc',
			user: { client_user_id: 'user-1' },
		});
	});

	test('a numeric id from an expression becomes text', () => {
		expect(build({ clientUserId: 4711 })).toMatchObject({ user: { client_user_id: '4711' } });
	});

	test('http://localhost redirect URIs are fine outside Production', () => {
		expect(build({ redirectUri: 'http://localhost:3000/oauth' })).toMatchObject({ redirect_uri: 'http://localhost:3000/oauth' });
		expect(build({ redirectUri: 'http://127.0.0.1:3000/oauth' }, 'custom')).toMatchObject({ redirect_uri: 'http://127.0.0.1:3000/oauth' });
	});

	test('https redirect URIs are fine in Production', () => {
		expect(build({ redirectUri: 'https://app.example.com/oauth' }, 'production')).toMatchObject({ redirect_uri: 'https://app.example.com/oauth' });
	});

	test('an Android package name is sent for Android apps', () => {
		expect(build({ androidPackageName: 'com.example.app_2' })).toMatchObject({ android_package_name: 'com.example.app_2' });
	});
});

describe('refusals name the field and the fix', () => {
	test.each<[string, Partial<SessionTokenInput>, PlaidEnvironment, string, string, RegExp]>([
		['empty Template ID', { templateId: '' }, 'sandbox', 'Template ID', 'is empty', /Layer → Templates/],
		['whitespace Template ID', { templateId: '   ' }, 'sandbox', 'Template ID', 'is empty', /template_/],
		['no user id at all', { clientUserId: '', userId: '' }, 'sandbox', 'User ID or Client User ID', 'is required: both are empty', /Client User ID/],
		['object as Client User ID', { clientUserId: { id: 1 } }, 'sandbox', 'Client User ID', 'must be text, but the value is an object', /\{\{ \$json\.id \}\}/],
		['list as User ID', { userId: ['a'] }, 'sandbox', 'User ID', 'must be text, but the value is a list', /single text field/],
		['boolean as Template ID', { templateId: true }, 'sandbox', 'Template ID', 'must be text, but the value is a boolean', /single text field/],
		['relative redirect', { redirectUri: 'oauth/callback' }, 'sandbox', 'Redirect URI', 'is not an absolute URL: "oauth/callback"', /https:\/\//],
		['redirect with a query', { redirectUri: 'https://app.example.com/oauth?a=1&b=2' }, 'sandbox', 'Redirect URI', 'must not contain a query string ("?a=1&b=2")', /https:\/\/app\.example\.com\/oauth\./],
		['redirect with an empty query', { redirectUri: 'https://app.example.com/oauth?' }, 'sandbox', 'Redirect URI', 'must not contain a query string ("?")', /Remove everything from "\?"/],
		['http redirect in Production', { redirectUri: 'http://app.example.com/oauth' }, 'production', 'Redirect URI', 'must use https:// in Production', /https:\/\/app\.example\.com\/oauth/],
		['http localhost redirect in Production', { redirectUri: 'http://localhost/oauth' }, 'production', 'Redirect URI', 'must use https:// in Production', /https:\/\/localhost\/oauth/],
		['http redirect to a public host in Sandbox', { redirectUri: 'http://app.example.com/oauth' }, 'sandbox', 'Redirect URI', 'must use https:// (http:// is allowed only for localhost, not for app.example.com)', /http:\/\/localhost/],
		['redirect with a custom scheme', { redirectUri: 'myapp://oauth' }, 'sandbox', 'Redirect URI', 'must start with https:// (it starts with myapp://)', /https:\/\/app\.example\.com/],
		['redirect with an upper-case scheme', { redirectUri: 'HTTPS://app.example.com/oauth' }, 'sandbox', 'Redirect URI', 'is not written as a plain web address: "HTTPS://app.example.com/oauth"', /lower-case https:\/\//],
		['redirect missing its slashes', { redirectUri: 'https:app.example.com/oauth' }, 'production', 'Redirect URI', 'is not written as a plain web address: "https:app.example.com/oauth"', /lower-case https:\/\//],
		['webhook with backslashes', { webhook: 'https:\\\\n8n.example.com\\hook' }, 'sandbox', 'Webhook URL', 'is not written as a plain web address: "https:\\\\n8n.example.com\\hook"', /no spaces or backslashes/],
		['redirect and Android package together', { redirectUri: 'https://app.example.com/oauth', androidPackageName: 'com.example.app' }, 'sandbox', 'Redirect URI', 'cannot be used together with Android Package Name', /remove one of them/],
		['Android package with spaces', { androidPackageName: 'com example app' }, 'sandbox', 'Android Package Name', 'is not an Android package name: "com example app"', /com\.example\.onboarding/],
		['Android package without a dot', { androidPackageName: 'onboarding' }, 'sandbox', 'Android Package Name', 'is not an Android package name: "onboarding"', /dot-separated/],
		['webhook without scheme', { webhook: 'n8n.example.com/webhook/plaid' }, 'sandbox', 'Webhook URL', 'is not an absolute URL: "n8n.example.com/webhook/plaid"', /Plaid Trigger/],
		['webhook with another scheme', { webhook: 'mailto:ops@example.com' }, 'sandbox', 'Webhook URL', 'must start with https:// (it starts with mailto://)', /web address/],
	])('%s', (_name, overrides, environment, parameter, problem, fix) => {
		const error = refusal(overrides, environment, 2);
		expect(error.message).toBe(`${parameter} ${problem} [item 2]`);
		expect(error.description).toMatch(fix);
		expect(error.context.itemIndex).toBe(2);
		expect(error.node).toBe(node);
	});
});
