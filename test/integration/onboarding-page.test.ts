/**
 * Render Layer Onboarding Page inside real workflows run by n8n-core, against the emulator:
 * the example "Layer onboarding page" serves the page through Respond to Webhook with its
 * Content-Security-Policy; the emulator's Link stand-in (loaded from the emulator, run in a VM in
 * place of a browser) plays Layer's client flow for the Sandbox numbers; the example's complete
 * webhook turns the public token into the identity. Injection through the fields never reaches
 * the page as markup.
 */
import { runInNewContext } from 'node:vm';

import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import example from '../../examples/layer-onboarding-page.json';
import { PlaidEmulator } from '../../emulator/server';
import { runWorkflow, type WorkflowDefinition } from '../../runner/run-workflow';
import { chain, webhookSource } from './workflows';

let emulator: PlaidEmulator;
const credentials = () => ({
	plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
});
const linkScriptUrl = () => `${emulator.url}/link/v2/stable/link-initialize.js`;

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
function pageConfig(html: string): { linkToken: string; completeUrl: string; countryCode: string } {
	const match = /<script id="layer-config" type="application\/json">([^<]*)<\/script>/.exec(html);
	if (!match) throw new Error('no layer-config block');
	return JSON.parse(match[1]);
}

// ---------------------------------------------------------------------------------------------
// The Link stand-in, run the way a browser runs it: a global `window` with fetch, the script's
// own <script> element as document.currentScript.
// ---------------------------------------------------------------------------------------------

interface LinkHandler {
	submit(data: Record<string, string>): void;
	open(): void;
	exit(): void;
	destroy(): void;
}
interface Ending {
	success?: { publicToken: string; metadata: Record<string, unknown> };
	exit?: { error: Record<string, unknown> | null; metadata: Record<string, unknown> };
}

async function loadLinkStandIn(): Promise<{ create(config: Record<string, unknown>): LinkHandler }> {
	const response = await fetch(linkScriptUrl());
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
	const window: Record<string, unknown> = { fetch, console, URL, document: { currentScript: { src: linkScriptUrl() } } };
	window.window = window;
	runInNewContext(await response.text(), window);
	return window.Plaid as { create(config: Record<string, unknown>): LinkHandler };
}

/** Plaid.create as the page calls it, with each callback recorded. */
async function startLink(linkToken: string) {
	const Plaid = await loadLinkStandIn();
	const events: Array<{ name: string; metadata: Record<string, unknown> }> = [];
	const waiting = new Map<string, () => void>();
	let loaded!: () => void;
	let end!: (ending: Ending) => void;
	const onLoad = new Promise<void>((resolve) => (loaded = resolve));
	const ended = new Promise<Ending>((resolve) => (end = resolve));
	const handler = Plaid.create({
		token: linkToken,
		onLoad: () => loaded(),
		onEvent: (name: string, metadata: Record<string, unknown>) => {
			events.push({ name, metadata });
			waiting.get(name)?.();
		},
		onSuccess: (publicToken: string, metadata: Record<string, unknown>) => end({ success: { publicToken, metadata } }),
		onExit: (error: Record<string, unknown> | null, metadata: Record<string, unknown>) => end({ exit: { error, metadata } }),
	});
	await onLoad;
	const event = (name: string) => new Promise<void>((resolve) => waiting.set(name, resolve));
	const names = () => events.map(({ name }) => name);
	return { handler, events, names, event, ended };
}

describe('the example "Layer onboarding page"', () => {
	test('a visit gets the page: Create User → Create Layer Session Token → Render → Respond with HTML carrying its CSP', async () => {
		const { run, page, html, linkToken } = await servePage('customer-2001');

		// Render sent nothing to Plaid: only the two calls before it reached the emulator.
		expect(emulator.requests.map((request) => request.path)).toEqual(['/user/create', '/session/token/create']);
		expect(linkToken).toBe(run.jsonOf('Create Layer Session Token')[0].link_token);
		expect(linkToken).toMatch(/^link-sandbox-/);
		expect(pageConfig(html)).toEqual({ linkToken, completeUrl: `${PAGE_URL}/complete`, countryCode: '1' });
		expect(page).toMatchObject({ completeUrl: `${PAGE_URL}/complete`, linkScriptUrl: linkScriptUrl(), pageTitle: 'Create your account' });
		expect(run.itemsOf('Render Layer Onboarding Page')[0].pairedItem).toEqual({ item: 0 });

		const csp = page.contentSecurityPolicy as string;
		expect(csp).toMatch(
			new RegExp(
				`^default-src 'none'; script-src ${emulator.url} 'sha256-[A-Za-z0-9+/]{43}='; style-src 'sha256-[A-Za-z0-9+/]{43}='; ` +
					`img-src data:; connect-src http://127.0.0.1:5678 ${emulator.url}; frame-src ${emulator.url}; ` +
					"base-uri 'none'; form-action 'none'; frame-ancestors 'none'$",
			),
		);
		expect(html).toContain(`<script src="${linkScriptUrl()}"></script>`);
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

	test('eligible 415-555-0011: LAYER_READY, open(), onSuccess; the complete webhook gets the identity and answers without it', async () => {
		const { html } = await servePage('customer-2002');
		const config = pageConfig(html);

		const link = await startLink(config.linkToken);
		const ready = link.event('LAYER_READY');
		link.handler.submit({ phone_number: '+14155550011' });
		await ready;
		link.handler.open();
		const { success } = await link.ended;

		expect(link.names()).toEqual(['LAYER_READY', 'OPEN', 'VERIFY_PHONE', 'HANDOFF']);
		expect(success?.publicToken).toMatch(/^public-sandbox-/);
		const linkSessionId = success!.metadata.link_session_id;
		expect(linkSessionId).toEqual(expect.any(String));
		expect(link.events.every(({ metadata }) => metadata.link_session_id === linkSessionId)).toBe(true);
		expect(emulator.layerSubmissions).toEqual([
			{ body: { link_token: config.linkToken, phone_number: '+14155550011' }, status: 200, event: 'LAYER_READY' },
		]);
		// Not Plaid API calls: never among the recorded requests.
		expect(emulator.requests.some((request) => request.path.startsWith('/emulator/'))).toBe(false);

		// What the page POSTs to the complete URL, as the POST webhook hands it on.
		const body = { public_token: success!.publicToken, link_session_id: linkSessionId, metadata: JSON.parse(JSON.stringify(success!.metadata)) };
		const complete = await runWorkflow(flowFrom(workflow, 'Onboarding complete'), {
			mode: 'webhook',
			credentials: credentials(),
			triggerItems: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body, webhookUrl: config.completeUrl } }],
		});
		expect(complete.error).toBeUndefined();
		const [session] = complete.jsonOf('Get User Account Session');
		expect(session.identity).toMatchObject({ phone_number: '+14155550011', email: 'leslie@example.com' });
		expect((session.identity as IDataObject).ssn).toBeUndefined();
		expect(complete.webhookResponse?.body).toEqual({ status: 'received' });
	});

	test('ineligible 415-555-0000: LAYER_NOT_AVAILABLE; the date of birth then gives LAYER_AUTOFILL_NOT_AVAILABLE, no token', async () => {
		const { linkToken } = await servePage('customer-2003');
		const tokensBefore = emulator.state.publicTokens.size;

		const link = await startLink(linkToken);
		const notAvailable = link.event('LAYER_NOT_AVAILABLE');
		link.handler.submit({ phone_number: '+14155550000' });
		await notAvailable;
		const noAutofill = link.event('LAYER_AUTOFILL_NOT_AVAILABLE');
		link.handler.submit({ date_of_birth: '1975-01-18' });
		await noAutofill;
		link.handler.exit();
		const { exit } = await link.ended;

		expect(link.names()).toEqual(['LAYER_NOT_AVAILABLE', 'LAYER_AUTOFILL_NOT_AVAILABLE', 'EXIT']);
		expect(exit).toEqual({ error: null, metadata: expect.objectContaining({ status: null, link_session_id: expect.any(String) }) });
		expect(emulator.state.publicTokens.size).toBe(tokensBefore);
		expect(emulator.layerSubmissions.map(({ event }) => event)).toEqual(['LAYER_NOT_AVAILABLE', 'LAYER_AUTOFILL_NOT_AVAILABLE']);
	});

	test('an unknown link token or a number not in E.164 ends in onExit with Plaid\'s error fields', async () => {
		const unknown = await startLink('link-sandbox-00000000-0000-4000-8000-000000000000');
		unknown.handler.submit({ phone_number: '+14155550011' });
		expect((await unknown.ended).exit?.error).toMatchObject({ error_type: 'INVALID_INPUT', error_code: 'INVALID_LINK_TOKEN' });

		const { linkToken } = await servePage('customer-2004');
		const local = await startLink(linkToken);
		local.handler.submit({ phone_number: '415-555-0011' });
		expect((await local.ended).exit?.error).toMatchObject({ error_code: 'INVALID_FIELD', error_message: expect.stringContaining('E.164') });
	});
});

describe('the emulator serves the stand-in to pages on another origin', () => {
	const origin = { Origin: 'http://127.0.0.1:5678' };

	test('CORS preflight and answers allow any origin', async () => {
		const preflight = await fetch(`${emulator.url}/emulator/layer/submit`, {
			method: 'OPTIONS',
			headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
		expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
		expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type');

		const script = await fetch(`${linkScriptUrl()}?v=1`, { headers: origin });
		expect(script.headers.get('access-control-allow-origin')).toBe('*');
		expect(await script.text()).toContain('window.Plaid = { version: \'plaid-emulator\', create: create }');

		const submit = await fetch(`${emulator.url}/emulator/layer/submit`, { method: 'POST', headers: { ...origin, 'Content-Type': 'application/json' }, body: '{}' });
		expect(submit.status).toBe(400);
		expect(submit.headers.get('access-control-allow-origin')).toBe('*');
		expect(await submit.json()).toMatchObject({ error_code: 'INVALID_LINK_TOKEN' });
	});

	test('injected faults are for Plaid endpoints only: the stand-in is answered, the fault waits for Plaid', async () => {
		const { linkToken } = await servePage('customer-2005');
		emulator.failNext('internal_error');
		const link = await startLink(linkToken);
		const notAvailable = link.event('LAYER_NOT_AVAILABLE');
		link.handler.submit({ phone_number: '+14155550000' });
		await notAvailable;

		const response = await fetch(`${emulator.url}/user/create`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
			body: JSON.stringify({ client_user_id: 'after-fault' }),
		});
		expect(response.status).toBe(500);
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
		expect(contentSecurityPolicy).toContain(`connect-src 'self' ${emulator.url};`);
		expect(contentSecurityPolicy).not.toContain('unsafe-inline');
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
});
