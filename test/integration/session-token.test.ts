/**
 * Create Layer Session Token through n8n-core's WorkflowExecute against the Plaid emulator:
 * the emulator checks credentials and every body against Plaid's published schema.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_TEMPLATE_ID, PlaidEmulator } from '../../emulator/server';
import { runWorkflow, type WorkflowDefinition } from '../../runner/run-workflow';
import { validate } from '../../emulator/schema';
import { n8nLogs } from '../support/n8n-logs';
import { NEXT_NODE, PLAID_NODE, sessionTokenWorkflow, signups } from './workflows';
import { sharedEmulator } from '../support/shared-emulator';

const emulator = sharedEmulator();

function credentials(overrides: Record<string, string> = {}) {
	return {
		plaidLayerApi: {
			environment: 'custom',
			baseUrl: emulator.url,
			clientId: emulator.clientId,
			secret: emulator.secret,
			...overrides,
		},
	};
}

async function run(workflow: WorkflowDefinition, users = ['user-1'], credentialOverrides: Record<string, string> = {}) {
	return await runWorkflow(workflow, {
		mode: 'webhook',
		credentials: credentials(credentialOverrides),
		triggerItems: signups(...users),
	});
}

const byClientUserId = { templateId: DEFAULT_TEMPLATE_ID, clientUserId: '={{ $json.body.user }}' };

describe('a session token flows to the next node', () => {
	test('with a Client User ID: output fields, expression in the next node, headers and body as Plaid expects', async () => {
		const result = await run(sessionTokenWorkflow(byClientUserId), ['user-42']);

		expect(result.error).toBeUndefined();
		const [output] = result.jsonOf(PLAID_NODE);
		expect(Object.keys(output)).toEqual(['link_token', 'expiration', 'request_id']);
		expect(output.link_token).toMatch(/^link-sandbox-[0-9a-f-]{36}$/);
		const hoursLeft = (Date.parse(output.expiration as string) - Date.now()) / 3_600_000;
		expect(hoursLeft).toBeGreaterThan(3.9);
		expect(hoursLeft).toBeLessThanOrEqual(4);
		expect(output.request_id).toBe(emulator.requests[0].answer.request_id);

		const [next] = result.jsonOf(NEXT_NODE);
		expect(next.token).toBe(output.link_token);
		expect(next.open_url).toBe(`https://app.example.com/onboard#${output.link_token}`);
		expect(next.for_user).toBe('user-42');

		expect(emulator.requests).toHaveLength(1);
		const [request] = emulator.requests;
		expect(request.status).toBe(200);
		expect(request.path).toBe('/session/token/create');
		expect(request.headers['plaid-client-id']).toBe(emulator.clientId);
		expect(request.headers['plaid-secret']).toBe(emulator.secret);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({ template_id: DEFAULT_TEMPLATE_ID, user: { client_user_id: 'user-42' } });
		expect(validate(request.body, 'SessionTokenCreateRequest', true)).toEqual([]);
		expect(validate(request.answer, 'SessionTokenCreateResponse', false)).toEqual([]);
	});

	test('with a User ID from Create User: sent at the top level and returned as user_id', async () => {
		const result = await run(sessionTokenWorkflow({ templateId: DEFAULT_TEMPLATE_ID, userId: 'usr_8c3ZbDBYjaqUXZ' }));

		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].body).toEqual({ template_id: DEFAULT_TEMPLATE_ID, user_id: 'usr_8c3ZbDBYjaqUXZ' });
		expect(result.jsonOf(PLAID_NODE)[0]).toMatchObject({ user_id: 'usr_8c3ZbDBYjaqUXZ' });
	});

	test('with every optional field: each reaches Plaid under its API name', async () => {
		const result = await run(
			sessionTokenWorkflow({
				...byClientUserId,
				userId: 'usr_1',
				additionalFields: {
					redirectUri: 'https://app.example.com/plaid/oauth',
					webhook: 'https://n8n.example.com/webhook/plaid',
				},
			}),
		);

		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].body).toEqual({
			template_id: DEFAULT_TEMPLATE_ID,
			user_id: 'usr_1',
			user: { client_user_id: 'user-1' },
			redirect_uri: 'https://app.example.com/plaid/oauth',
			webhook: 'https://n8n.example.com/webhook/plaid',
		});
		expect(emulator.requests[0].status).toBe(200);
	});

	test('Android Package Name is sent for Android apps', async () => {
		const result = await run(
			sessionTokenWorkflow({ ...byClientUserId, additionalFields: { androidPackageName: 'com.example.onboarding' } }),
		);

		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].body).toMatchObject({ android_package_name: 'com.example.onboarding' });
	});

	test('optional fields left empty are not sent at all', async () => {
		const result = await run(
			sessionTokenWorkflow({
				...byClientUserId,
				userId: '',
				additionalFields: { redirectUri: '', androidPackageName: '  ', webhook: '' },
			}),
		);

		expect(result.error).toBeUndefined();
		expect(Object.keys(emulator.requests[0].body as object).sort()).toEqual(['template_id', 'user']);
	});

	test('several items: one token each, in input order, paired with their input item', async () => {
		const users = ['ada', 'grace', 'linus', 'margaret'];
		const result = await run(sessionTokenWorkflow(byClientUserId), users);

		expect(result.error).toBeUndefined();
		const items = result.itemsOf(PLAID_NODE);
		expect(items.map((item) => item.pairedItem)).toEqual(users.map((_, item) => ({ item })));
		const tokens = items.map((item) => item.json.link_token);
		expect(new Set(tokens).size).toBe(users.length);
		expect(emulator.requests.map((request) => (request.body as { user: { client_user_id: string } }).user.client_user_id)).toEqual(users);
		// The next node pairs each token with the sign-up it came from.
		expect(result.jsonOf(NEXT_NODE).map((item) => [item.for_user, item.token])).toEqual(users.map((user, i) => [user, tokens[i]]));
	});
});

describe('bad input is refused before anything is sent', () => {
	// Each row names its environment: jest would take a missing last argument for a done callback.
	const cases: Array<[string, IDataObject, RegExp, RegExp, 'custom' | 'production']> = [
		['empty Template ID', { ...byClientUserId, templateId: '  ' }, /^Template ID is empty \[item 0\]$/, /Layer → Templates/, 'custom'],
		['no user ID of either kind', { templateId: DEFAULT_TEMPLATE_ID, clientUserId: '', userId: '' }, /^User ID or Client User ID is required/, /Client User ID/, 'custom'],
		['a Template ID expression resolving to an object', { ...byClientUserId, templateId: '={{ $json.body }}' }, /^Template ID must be text, but the value is an object/, /single text field/, 'custom'],
		['a relative Redirect URI', { ...byClientUserId, additionalFields: { redirectUri: '/oauth' } }, /^Redirect URI is not an absolute URL: "\/oauth"/, /https:\/\//, 'custom'],
		['a Redirect URI with a query string', { ...byClientUserId, additionalFields: { redirectUri: 'https://app.example.com/oauth?next=1' } }, /^Redirect URI must not contain a query string \("\?next=1"\)/, /https:\/\/app\.example\.com\/oauth\b/, 'custom'],
		['an http Redirect URI in Production', { ...byClientUserId, additionalFields: { redirectUri: 'http://localhost:3000/oauth' } }, /^Redirect URI must use https:\/\/ in Production/, /https:\/\/localhost:3000\/oauth/, 'production'],
		['an http Redirect URI for a public host', { ...byClientUserId, additionalFields: { redirectUri: 'http://app.example.com/oauth' } }, /allowed only for localhost/, /https:\/\/app\.example\.com\/oauth/, 'custom'],
		['Redirect URI together with Android Package Name', { ...byClientUserId, additionalFields: { redirectUri: 'https://app.example.com/oauth', androidPackageName: 'com.example.app' } }, /^Redirect URI cannot be used together with Android Package Name/, /remove one/, 'custom'],
		['an Android Package Name that is not one', { ...byClientUserId, additionalFields: { androidPackageName: 'my app' } }, /^Android Package Name is not an Android package name/, /com\.example/, 'custom'],
		['a Webhook URL that is not absolute', { ...byClientUserId, additionalFields: { webhook: 'n8n.example.com/webhook' } }, /^Webhook URL is not an absolute URL/, /Plaid Trigger/, 'custom'],
		['a Webhook URL that is not http(s)', { ...byClientUserId, additionalFields: { webhook: 'ftp://n8n.example.com/hook' } }, /^Webhook URL must start with https:\/\//, /web address/, 'custom'],
	];

	test.each(cases)('%s', async (_case, parameters, message, fix, environment) => {
		// In Production the request would go to production.plaid.com: the test relies on it never leaving.
		const result = await run(sessionTokenWorkflow(parameters), ['user-1'], environment === 'production' ? { environment } : {});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(fix);
		expect(result.error?.context.itemIndex).toBe(0);
		expect(result.run.data.resultData.lastNodeExecuted).toBe(PLAID_NODE);
		expect(emulator.requests).toHaveLength(0);
	});

	test('the item index names the item that is wrong', async () => {
		const result = await run(
			sessionTokenWorkflow({ templateId: DEFAULT_TEMPLATE_ID, clientUserId: '={{ $json.body.user === "bad" ? "" : $json.body.user }}' }),
			['ok-1', 'ok-2', 'bad'],
		);

		expect(result.error?.message).toBe('User ID or Client User ID is required: both are empty [item 2]');
		expect(result.error?.context.itemIndex).toBe(2);
	});

	test('a Sandbox credential without a secret is refused before sending', async () => {
		const result = await run(sessionTokenWorkflow(byClientUserId), ['user-1'], { environment: 'sandbox', secret: '' });

		expect(result.error?.message).toBe('The Plaid Layer API credential has no Client ID or no Secret');
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Plaid errors are readable and keep their fields', () => {
	test('a Plaid 400 becomes a NodeApiError with code, message, request_id and docs', async () => {
		const result = await run(sessionTokenWorkflow({ ...byClientUserId, templateId: 'template_missing' }));

		const answer = emulator.requests[0].answer;
		expect(emulator.requests[0].status).toBe(400);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Plaid INVALID_FIELD: template_id not found: template_missing');
		expect(result.error?.description).toContain(`Plaid request ID: ${answer.request_id}`);
		expect(result.error?.description).toContain(`Docs: ${answer.documentation_url}`);
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
		expect(result.error?.context.itemIndex).toBe(0);
	});

	test('wrong keys give Plaid INVALID_API_KEYS', async () => {
		const result = await run(sessionTokenWorkflow(byClientUserId), ['user-1'], { secret: 'not-the-secret' });

		expect(result.error?.message).toBe('Plaid INVALID_API_KEYS: invalid client_id or secret provided');
	});

	test('a 500 that outlasts the retries keeps display_message and the last request_id', async () => {
		emulator.failNext('internal_error', 4);
		const result = await run(sessionTokenWorkflow(byClientUserId));

		expect(emulator.requests).toHaveLength(4);
		expect(result.error?.message).toBe('Plaid INTERNAL_SERVER_ERROR: an unexpected error occurred');
		expect(result.error?.description).toContain('Message for the user: An unexpected error occurred. Please try again later.');
		expect(result.error?.description).toContain(`Plaid request ID: ${emulator.requests[3].answer.request_id}`);
		expect(result.error?.description).toContain('Tried 4 times; the last answer is shown.');
		expect((result.error as { httpCode?: string }).httpCode).toBe('500');
	});

	test('with continue-on-fail, a failed item becomes an error item with Plaid fields and the rest go on', async () => {
		const workflow = sessionTokenWorkflow(
			{ ...byClientUserId, templateId: '={{ $json.body.user === "bob" ? "template_missing" : "template_layer_demo" }}' },
			{ continueOnFail: true },
		);
		const result = await run(workflow, ['alice', 'bob', 'carol']);

		expect(result.error).toBeUndefined();
		const items = result.itemsOf(PLAID_NODE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.link_token).toMatch(/^link-sandbox-/);
		expect(items[2].json.link_token).toMatch(/^link-sandbox-/);
		expect(items[1].json.error).toMatchObject({
			message: 'Plaid INVALID_FIELD: template_id not found: template_missing',
			http_code: '400',
			error_type: 'INVALID_REQUEST',
			error_code: 'INVALID_FIELD',
			error_message: 'template_id not found: template_missing',
			display_message: null,
			request_id: emulator.requests[1].answer.request_id,
		});
	});

	test('with continue-on-fail, a validation error names the field in the error item', async () => {
		// An expression that resolves to nothing: a literally empty required field never gets past n8n itself.
		const result = await run(sessionTokenWorkflow({ ...byClientUserId, templateId: '={{ $json.body.template }}' }, { continueOnFail: true }));

		expect(result.itemsOf(PLAID_NODE)[0]).toEqual({
			json: { error: { message: 'Template ID is empty [item 0]', description: expect.stringContaining('Layer → Templates') } },
			pairedItem: { item: 0 },
		});
		expect(emulator.requests).toHaveLength(0);
	});

	test('an unreachable Base URL is a connection error, not a crash', async () => {
		const closed = await PlaidEmulator.start();
		const url = closed.url;
		await closed.stop();
		const result = await run(sessionTokenWorkflow(byClientUserId), ['user-1'], { baseUrl: url });

		expect(result.error?.message).toBe(`Could not reach Plaid at ${url}`);
		expect(result.error?.description).toMatch(/^The connection failed with ECONNREFUSED\./);
	});
});

describe('the secret never leaves the credential', () => {
	const SECRET = 'very_secret_value_for_leak_test_42';

	test('n8n logs node errors, and those logs are the ones checked below', async () => {
		await run(sessionTokenWorkflow({ ...byClientUserId, additionalFields: { webhook: 'not-a-url-for-the-log-test' } }));
		expect(await n8nLogs()).toContain('not-a-url-for-the-log-test');
	});

	test.each([
		['a success', byClientUserId],
		['a Plaid error', { ...byClientUserId, templateId: 'template_missing' }],
		['a validation error', { ...byClientUserId, additionalFields: { redirectUri: 'nope' } }],
	])('not in run data after %s', async (_case, parameters) => {
		const leaky = await PlaidEmulator.start({ secret: SECRET });
		try {
			const result = await runWorkflow(sessionTokenWorkflow(parameters), {
				mode: 'webhook',
				credentials: { plaidLayerApi: { environment: 'custom', baseUrl: leaky.url, clientId: leaky.clientId, secret: SECRET } },
				triggerItems: signups('user-1'),
			});
			const serialized = JSON.stringify(result.run) + JSON.stringify(result.error ?? {}) + String(result.error?.stack);
			expect(serialized).not.toContain(SECRET);
			expect(await n8nLogs()).not.toContain(SECRET);
			if (leaky.requests.length > 0) expect(leaky.requests[0].headers['plaid-secret']).toBe(SECRET);
		} finally {
			await leaky.stop();
		}
	});

	test('not in the error when the answer echoes it back', async () => {
		const { createServer } = await import('node:http');
		const echo = createServer((request, response) => {
			response.writeHead(502, { 'Content-Type': 'text/html' });
			response.end(`<html>Bad gateway for ${String(request.headers['plaid-secret'])}</html>`);
		});
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		try {
			const port = (echo.address() as { port: number }).port;
			const result = await runWorkflow(sessionTokenWorkflow(byClientUserId), {
				mode: 'webhook',
				credentials: { plaidLayerApi: { environment: 'custom', baseUrl: `http://127.0.0.1:${port}`, clientId: 'id', secret: SECRET } },
				triggerItems: signups('user-1'),
			});
			expect(result.error?.message).toBe('Plaid request failed with HTTP 502 and no Plaid error in the answer');
			expect(result.error?.description).toContain('Bad gateway for [secret]');
			expect(JSON.stringify(result.run) + String(result.error?.stack)).not.toContain(SECRET);
		} finally {
			echo.closeAllConnections();
			await new Promise((resolve) => echo.close(resolve));
		}
	});
});
