/**
 * Render Layer Onboarding Page inside real workflows run by n8n-core, against the emulator: the
 * example "Layer onboarding page" serves the page through Respond to Webhook with its
 * Content-Security-Policy; a Layer session is played through the emulator's Link session API as
 * Link's window calls it (the browser side is in test/e2e: link-stand-in.test.ts and the
 * onboarding page tests); the example's complete webhook turns the public token into the identity.
 * Injection through the fields never reaches the page as markup; a static page comes as a file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import example from '../../examples/layer-onboarding-page.json';
import { PlaidEmulator } from '../../emulator/server';
import { runWorkflow, type WorkflowDefinition } from '../../runner/run-workflow';
import { LinkWindowCalls } from '../../emulator/link/window-calls';
import { chain, webhookSource } from './workflows';

let emulator: PlaidEmulator;
const credentials = () => ({
	plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
});
const linkScriptUrl = () => emulator.linkScriptUrl;

beforeAll(async () => {
	emulator = await PlaidEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const workflow = example as unknown as WorkflowDefinition;
const PAGE_URL = 'http://127.0.0.1:5678/webhook/layer/onboarding';

/** The nodes reachable from `start`, with their connections: one of the example's two flows. */
function flowFrom(definition: WorkflowDefinition, start: string): WorkflowDefinition {
	const names = new Set([start]);
	for (const name of names) {
		for (const targets of definition.connections[name]?.main ?? []) for (const target of targets ?? []) names.add(target.node);
	}
	const connections: IConnections = Object.fromEntries(Object.entries(definition.connections).filter(([name]) => names.has(name)));
	const nodes = structuredClone(definition.nodes.filter((node) => names.has(node.name)));
	return { ...definition, nodes, connections };
}

/** The example's page flow, its Link script pointed at the emulator (the only change a test set-up needs). */
function pageFlow(): WorkflowDefinition {
	const flow = flowFrom(workflow, 'Onboarding page request');
	const render = flow.nodes.find((node) => node.name === 'Render Layer Onboarding Page')!;
	(render.parameters.options as IDataObject).linkScriptUrl = linkScriptUrl();
	return flow;
}

/** What the GET webhook emits for a visit to the page. */
const visit = (userId: string) => [
	{ json: { headers: { host: '127.0.0.1:5678' }, params: {}, query: { user_id: userId }, body: {}, webhookUrl: PAGE_URL, executionMode: 'production' } },
];

async function servePage(userId: string) {
	const run = await runWorkflow(pageFlow(), { mode: 'webhook', credentials: credentials(), triggerItems: visit(userId) });
	expect(run.error).toBeUndefined();
	const [page] = run.jsonOf('Render Layer Onboarding Page');
	return { run, page, html: page.html as string, linkToken: page.link_token as string };
}

/** The settings block the page's script reads. */
function pageConfig(html: string): { mode: string; linkToken: string; tokenUrl: string; completeUrl: string; countryCode: string; environment: string | null } {
	const match = /<script id="layer-config" type="application\/json">([^<]*)<\/script>/.exec(html);
	if (!match) throw new Error('no layer-config block');
	return JSON.parse(match[1]);
}

/** Runs the example's completion flow with what the page POSTs. */
async function complete(body: Record<string, unknown>, completeUrl: string) {
	return await runWorkflow(flowFrom(workflow, 'Onboarding complete'), {
		mode: 'webhook',
		credentials: credentials(),
		triggerItems: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body, webhookUrl: completeUrl } }],
	});
}

describe('the example "Layer onboarding page"', () => {
	test('a visit gets the page: Create User → Create Layer Session Token → Render → Respond with HTML carrying its CSP', async () => {
		const { run, page, html, linkToken } = await servePage('customer-2001');

		// Render sent nothing to Plaid: only the two calls before it reached the emulator.
		expect(emulator.requests.map((request) => request.path)).toEqual(['/user/create', '/session/token/create']);
		expect(linkToken).toBe(run.jsonOf('Create Layer Session Token')[0].link_token);
		expect(linkToken).toMatch(/^link-sandbox-/);
		// Saved at node version 1, before the fallback choice: it still shows the message.
		expect(pageConfig(html)).toEqual({
			mode: 'token',
			linkToken,
			tokenUrl: '',
			completeUrl: `${PAGE_URL}/complete`,
			fallback: 'message',
			fallbackTokenUrl: '',
			fallbackUrl: '',
			countryCode: '1',
			environment: null,
		});
		expect(page).toMatchObject({ pageType: 'token', completeUrl: `${PAGE_URL}/complete`, linkScriptUrl: linkScriptUrl(), pageTitle: 'Create your account' });
		expect(run.itemsOf('Render Layer Onboarding Page')[0].pairedItem).toEqual({ item: 0 });

		const csp = page.contentSecurityPolicy as string;
		const nonce = /'nonce-([A-Za-z0-9+/]{22}==)'/.exec(csp)![1];
		expect(csp).toBe(
			[
				`default-src ${emulator.linkOrigin}`,
				`script-src 'nonce-${nonce}' ${linkScriptUrl()}`,
				`style-src 'nonce-${nonce}'`,
				`style-src-elem 'nonce-${nonce}'`,
				"style-src-attr 'unsafe-inline'",
				`img-src ${emulator.linkOrigin} data:`,
				'connect-src http://127.0.0.1:5678',
				`frame-src ${emulator.linkOrigin}`,
				"base-uri 'none'",
				"form-action 'none'",
				"frame-ancestors 'none'",
			].join('; '),
		);
		expect(html).toContain(`<script nonce="${nonce}" src="${linkScriptUrl()}"></script>`);
		// The page enforces its policy itself: n8n 2.41 replaces a webhook's CSP header with its own.
		expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp.replace("; frame-ancestors 'none'", '').replace(/'/g, '&#39;')}">`);

		expect(run.webhookResponse).toEqual({
			body: html,
			statusCode: 200,
			headers: {
				'content-type': 'text/html; charset=utf-8',
				'x-frame-options': 'DENY',
				'cache-control': 'no-store',
				'referrer-policy': 'no-referrer',
				'x-content-type-options': 'nosniff',
			},
		});
	});

	test('two visits get two nonces: a nonce is never reused across pages', async () => {
		const first = (await servePage('customer-2001a')).page.contentSecurityPolicy as string;
		const second = (await servePage('customer-2001b')).page.contentSecurityPolicy as string;
		const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)![1];
		expect(nonceOf(first)).not.toBe(nonceOf(second));
	});

	test("eligible 415-555-0011 through Link's window: LAYER_READY, code, share; the complete webhook gets the identity and answers without it", async () => {
		const { html } = await servePage('customer-2002');
		const config = pageConfig(html);
		const link = new LinkWindowCalls(emulator);

		expect((await link.start(config.linkToken)).body).toMatchObject({ link_session_id: expect.any(String), flow: 'layer' });
		expect((await link.submit({ phone_number: '+14155550011' })).body).toEqual({ event: 'LAYER_READY', phone_hint: '(•••) •••-0011' });
		expect((await link.verify('123456')).body).toMatchObject({ profile: { name: 'Leslie Knope' } });
		const shared = await link.share();
		expect(shared.status).toBe(200);
		const publicToken = shared.body.public_token as string;
		expect(publicToken).toMatch(/^public-sandbox-/);
		expect(emulator.layerSubmissions).toEqual([{ link_token: config.linkToken, submitted: { phone_number: '+14155550011' }, status: 200, event: 'LAYER_READY' }]);
		// Not Plaid API calls: never among the recorded requests.
		expect(emulator.requests.some((request) => request.path.startsWith('/emulator/'))).toBe(false);

		// What the page POSTs to the complete URL, as the POST webhook hands it on.
		const completion = await complete({ public_token: publicToken, link_session_id: link.linkSessionId, metadata: shared.body.metadata as IDataObject }, config.completeUrl);
		expect(completion.error).toBeUndefined();
		const [session] = completion.jsonOf('Get User Account Session');
		expect(session.identity).toMatchObject({ phone_number: '+14155550011', email: 'leslie@example.com' });
		expect((session.identity as IDataObject).ssn).toBeUndefined();
		expect(completion.webhookResponse?.body).toEqual({ status: 'received' });
	});

	test('ineligible 415-555-0000: LAYER_NOT_AVAILABLE; the date of birth then gives LAYER_AUTOFILL_NOT_AVAILABLE, no token', async () => {
		const { linkToken } = await servePage('customer-2003');
		const tokensBefore = emulator.state.publicTokens.size;
		const link = new LinkWindowCalls(emulator);
		await link.start(linkToken);

		expect((await link.submit({ phone_number: '+14155550000' })).body).toEqual({ event: 'LAYER_NOT_AVAILABLE' });
		expect((await link.submit({ date_of_birth: '1975-01-18' })).body).toEqual({ event: 'LAYER_AUTOFILL_NOT_AVAILABLE' });
		expect((await link.verify('123456')).body).toMatchObject({ error_code: 'INVALID_FIELD' });
		expect(emulator.state.publicTokens.size).toBe(tokensBefore);
		expect(emulator.layerSubmissions.map(({ event }) => event)).toEqual(['LAYER_NOT_AVAILABLE', 'LAYER_AUTOFILL_NOT_AVAILABLE']);
	});
});

describe("Link's session API is as strict as Link", () => {
	test('an unknown link token, a number not in E.164, both fields or a date of birth first are refused with Plaid\'s error fields', async () => {
		const link = new LinkWindowCalls(emulator);
		expect(await link.start('link-sandbox-00000000-0000-4000-8000-000000000000')).toMatchObject({
			status: 400,
			body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_LINK_TOKEN', request_id: expect.any(String) },
		});

		const { linkToken } = await servePage('customer-2004');
		await link.start(linkToken);
		expect((await link.submit({ phone_number: '415-555-0011' })).body).toMatchObject({ error_code: 'INVALID_FIELD', error_message: expect.stringContaining('E.164') });
		expect((await link.call('layer/submit', { link_session_id: link.linkSessionId, phone_number: '+14155550011', date_of_birth: '1975-01-18' })).body).toMatchObject({
			error_message: 'submit exactly one of phone_number and date_of_birth',
		});
		expect((await link.submit({ date_of_birth: '1975-01-18' })).body).toMatchObject({ error_message: expect.stringContaining('only after LAYER_NOT_AVAILABLE') });
		expect((await link.share()).body).toMatchObject({ error_message: 'the phone number has not been verified in this session' });
	});

	test('a wrong code keeps the session; a link token is spent once a session with it finished', async () => {
		const { linkToken } = await servePage('customer-2005');
		const link = new LinkWindowCalls(emulator);
		await link.start(linkToken);
		await link.submit({ phone_number: '+14155550011' });
		expect(await link.verify('654321')).toMatchObject({ status: 400, body: { error_code: 'INVALID_OTP', display_message: expect.stringContaining('code') } });
		expect((await link.verify('123456')).status).toBe(200);
		expect((await link.share()).status).toBe(200);
		expect((await link.share()).body).toMatchObject({ error_message: 'this Link session has already finished (SUCCESS)' });
		expect((await new LinkWindowCalls(emulator).start(linkToken)).body).toMatchObject({
			error_code: 'INVALID_LINK_TOKEN',
			error_message: 'provided link token has already been used',
		});
	});

	test("only Link's window may call it: the page's origin, an opaque origin (\"null\") and no origin are refused; CORS names the Link origin", async () => {
		const { linkToken } = await servePage('customer-2006');
		for (const origin of ['http://127.0.0.1:5678', 'null']) {
			expect(await new LinkWindowCalls(emulator, origin).start(linkToken)).toMatchObject({ status: 403, body: { error_code: 'INVALID_ORIGIN' } });
		}
		const bare = await fetch(`${emulator.url}/emulator/link/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ link_token: linkToken }) });
		expect(bare.status).toBe(403);
		const preflight = await fetch(`${emulator.url}/emulator/link/session`, {
			method: 'OPTIONS',
			headers: { Origin: emulator.linkOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(emulator.linkOrigin);
		expect((await new LinkWindowCalls(emulator).start(linkToken)).headers.get('access-control-allow-origin')).toBe(emulator.linkOrigin);
	});

	test("the session's webhooks go to the token's webhook: LAYER_AUTHENTICATION_PASSED after the code, SESSION_FINISHED with the public token after sharing", async () => {
		const received: Array<Record<string, unknown>> = [];
		const receiver = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				received.push({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>), signed: Boolean(request.headers['plaid-verification']) });
				response.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/plaid`;
			const token = await fetch(`${emulator.url}/session/token/create`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
				body: JSON.stringify({ template_id: 'template_layer_demo', user: { client_user_id: 'customer-2007' }, webhook }),
			});
			const linkToken = ((await token.json()) as { link: { link_token: string } }).link.link_token;
			const link = new LinkWindowCalls(emulator);
			await link.start(linkToken);
			await link.submit({ phone_number: '+14155550011' });
			expect(received).toEqual([]);
			await link.verify('123456');
			expect(received.map(({ webhook_code }) => webhook_code)).toEqual(['LAYER_AUTHENTICATION_PASSED']);
			const shared = await link.share();
			expect(received).toEqual([
				expect.objectContaining({ webhook_type: 'LAYER', webhook_code: 'LAYER_AUTHENTICATION_PASSED', link_session_id: link.linkSessionId, signed: true }),
				expect.objectContaining({ webhook_type: 'LINK', webhook_code: 'SESSION_FINISHED', status: 'SUCCESS', public_tokens: [shared.body.public_token], link_session_id: link.linkSessionId, signed: true }),
			]);
		} finally {
			await new Promise<void>((resolve) => receiver.close(() => resolve()));
		}
	});

	test('injected faults are for Plaid endpoints only: Link\'s window is answered, the fault waits for Plaid', async () => {
		const { linkToken } = await servePage('customer-2008');
		emulator.failNext('internal_error');
		const link = new LinkWindowCalls(emulator);
		expect((await link.start(linkToken)).status).toBe(200);
		expect((await link.submit({ phone_number: '+14155550000' })).body).toEqual({ event: 'LAYER_NOT_AVAILABLE' });

		const response = await fetch(`${emulator.url}/user/create`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
			body: JSON.stringify({ client_user_id: 'after-fault' }),
		});
		expect(response.status).toBe(500);
	});

	test("the Link origin serves the script and Link's window; the window's own policy lets it reach only the API", async () => {
		const script = await fetch(emulator.linkScriptUrl);
		expect(script.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
		expect(await script.text()).toContain("window.Plaid = { version: 'plaid-emulator-2', create: create }");
		const window = await fetch(`${emulator.linkOrigin}/link/v2/stable/link.html?token=x&origin=http%3A%2F%2F127.0.0.1%3A5678&uniqueId=1`);
		expect(window.headers.get('content-security-policy')).toBe(
			`default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${emulator.url}; base-uri 'none'; form-action 'none'`,
		);
		expect(await window.text()).toContain(`data-api="${emulator.url}"`);
		expect(new URL(emulator.linkOrigin).port).not.toBe(new URL(emulator.url).port);
	});
});

describe('Render Layer Onboarding Page in a workflow', () => {
	const ATTACK = '</script><script>alert(1)</script>';

	function plaidNode(name: string, x: number, parameters: IDataObject, onError?: INode['onError']): INode {
		return {
			id: name,
			name,
			type: 'n8n-nodes-plaid-layer.plaidLayer',
			typeVersion: 1,
			position: [x, 0],
			parameters: parameters as INode['parameters'],
			credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
			...(onError ? { onError } : {}),
		};
	}

	function onboarding(render: IDataObject, onError?: INode['onError']): WorkflowDefinition {
		return chain([
			webhookSource(),
			plaidNode('Create User', 200, { resource: 'user', operation: 'create', clientUserId: '={{ $json.body.user }}', identity: {} }),
			plaidNode('Create Layer Session Token', 400, {
				resource: 'sessionToken',
				operation: 'create',
				templateId: 'template_layer_demo',
				userId: '={{ $json.user_id }}',
				clientUserId: '',
				additionalFields: {},
			}),
			plaidNode(
				'Render',
				600,
				{ resource: 'onboardingPage', operation: 'render', completeUrl: '/webhook/layer/onboarding/complete', ...render },
				onError,
			),
		]);
	}
	const signups = (...users: string[]) => users.map((user) => ({ json: { headers: {}, params: {}, query: {}, body: { user } } }));

	test('a script-breaking title and prompt are shown as text: no </script><script> anywhere, the same three scripts', async () => {
		const run = await runWorkflow(
			onboarding({ options: { pageTitle: ATTACK, phonePrompt: '"><img src=x onerror=alert(1)>', linkScriptUrl: linkScriptUrl() } }),
			{ mode: 'webhook', credentials: credentials(), triggerItems: signups('mallory') },
		);
		expect(run.error).toBeUndefined();
		const [{ html, link_token: linkToken, contentSecurityPolicy }] = run.jsonOf('Render');
		const page = html as string;

		expect(page).not.toContain('</script><script>');
		expect(page).not.toContain('<img src=x');
		expect(page.match(/<script/g)).toHaveLength(3);
		expect(page).toContain(`<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>`);
		expect(page).toContain('<label for="phone">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</label>');
		// The token is embedded only as JSON for the script, and intact.
		expect(pageConfig(page).linkToken).toBe(linkToken);
		expect(contentSecurityPolicy).toContain("connect-src 'self';");
		expect(contentSecurityPolicy).toMatch(/script-src 'nonce-[^']+' \S+;/);
		expect((contentSecurityPolicy as string).match(/unsafe-inline/g)).toEqual(['unsafe-inline']);
		expect(contentSecurityPolicy).toContain("style-src-attr 'unsafe-inline'");
	});

	test('a script-breaking link token is refused before any page exists', async () => {
		const run = await runWorkflow(onboarding({ linkToken: ATTACK }), {
			mode: 'webhook',
			credentials: credentials(),
			triggerItems: signups('mallory'),
		});
		expect(run.error?.message).toBe(`Link Token is not a Plaid link token: "${ATTACK}" [item 0]`);
		expect(run.error?.description).toContain('link_token');
		expect(run.itemsOf('Render')).toEqual([]);
	});

	test('with continue-on-fail a refused item becomes an error item, paired with its input; the others render', async () => {
		const run = await runWorkflow(
			onboarding({ linkToken: `={{ $('Sign-up webhook').item.json.body.user === 'bad' ? '${ATTACK}' : $json.link_token }}` }, 'continueRegularOutput'),
			{ mode: 'webhook', credentials: credentials(), triggerItems: signups('good', 'bad') },
		);
		expect(run.error).toBeUndefined();
		const items = run.itemsOf('Render');
		const tokens = run.jsonOf('Create Layer Session Token').map((token) => token.link_token);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.link_token).toBe(tokens[0]);
		expect(pageConfig(items[0].json.html as string).linkToken).toBe(tokens[0]);
		expect(items[1].json).toEqual({
			error: {
				message: expect.stringMatching(/^Link Token is not a Plaid link token: .* \[item 1\]$/),
				description: expect.any(String),
			},
		});
	});

	test('a static page: no Plaid call, no link token inside, and the page as the file index.html for nodes that upload it', async () => {
		const run = await runWorkflow(
			chain([
				webhookSource(),
				plaidNode('Render', 200, {
					resource: 'onboardingPage',
					operation: 'render',
					pageType: 'static',
					startUrl: 'https://n8n.example.com/webhook/layer/static/start',
					plaidEnvironment: 'production',
					completeUrl: 'https://n8n.example.com/webhook/layer/static/complete',
					options: {},
				}),
			]),
			{ mode: 'webhook', credentials: credentials(), triggerItems: signups('anyone') },
		);
		expect(run.error).toBeUndefined();
		expect(emulator.requests).toEqual([]);
		const [item] = run.itemsOf('Render');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ pageType: 'static', environment: 'production', fileName: 'index.html', tokenUrl: 'https://n8n.example.com/webhook/layer/static/start' });
		expect(item.json.html).not.toMatch(/link-(sandbox|production)-/);
		expect(item.json.contentSecurityPolicy).toContain('connect-src https://n8n.example.com https://production.plaid.com;');
		expect(item.binary?.data).toMatchObject({ fileName: 'index.html', mimeType: 'text/html', fileExtension: 'html' });
		expect(Buffer.from(item.binary!.data.data, 'base64').toString('utf8')).toBe(item.json.html);
	});

	test('node version 1.1 falls back to standard Link unless told otherwise: without a Fallback Token URL n8n does not run it', async () => {
		const workflow = onboarding({});
		for (const node of workflow.nodes) node.typeVersion = 1.1;
		const refusal = await runWorkflow(workflow, { mode: 'webhook', credentials: credentials(), triggerItems: signups('new-node') }).then(
			() => 'ran',
			(error: Error) => error.message,
		);
		expect(refusal).toMatch(/has issues/);
		// n8n 2.x names the node and the parameter; 1.x only says the workflow has issues.
		if (refusal.includes('node has issues')) expect(refusal).toContain(`The 'Render' node has issues:\n- Parameter "Fallback Token URL" is required.`);
		// An expression that gives nothing gets the node's own refusal.
		const render = workflow.nodes.find((node) => node.name === 'Render')!;
		render.parameters = { ...render.parameters, fallbackStartUrl: '={{ $json.nothing }}' };
		const refused = await runWorkflow(workflow, { mode: 'webhook', credentials: credentials(), triggerItems: signups('new-node') });
		expect(refused.error?.message).toBe('Fallback Token URL is empty [item 0]');

		render.parameters = { ...render.parameters, fallbackStartUrl: '/webhook/onboarding/fallback-token' };
		const run = await runWorkflow(workflow, { mode: 'webhook', credentials: credentials(), triggerItems: signups('new-node') });
		expect(run.error).toBeUndefined();
		expect(pageConfig(run.jsonOf('Render')[0].html as string)).toMatchObject({ fallback: 'link', fallbackTokenUrl: '/webhook/onboarding/fallback-token' });

		render.parameters = { ...render.parameters, fallback: 'message' };
		const message = await runWorkflow(workflow, { mode: 'webhook', credentials: credentials(), triggerItems: signups('new-node') });
		expect(pageConfig(message.jsonOf('Render')[0].html as string)).toMatchObject({ fallback: 'message', fallbackTokenUrl: '' });
	});
});
