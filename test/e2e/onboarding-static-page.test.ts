/**
 * The onboarding page in a real n8n 2.41 with its webhook sandbox ON (n8n's default, and all n8n
 * Cloud users get), in Debian's chromium:
 * - the page served by n8n: an opaque origin, in which Plaid Link cannot run; within seconds the
 *   visitor sees the message naming N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX and the static page,
 *   and Link is never started (screenshot);
 * - the static page: the example "Layer onboarding static page" gives it as index.html (GET
 *   layer/static/page); a static server on another origin hosts it, as a user's own site would; it
 *   asks n8n's token webhook (CORS, Allowed Origins = that site) for a link token on the visitor's
 *   first focus of the phone field, and posts the result to "Onboarding: finish": 415-555-0011
 *   finishes through Layer's window; 415-555-0000 goes through the date of birth to "Onboarding:
 *   fallback Link token" and standard Link; both end in the finish workflow's onboarding record; a
 *   site n8n does not allow gets an error and a retry.
 * Throughout: no CSP violation, nothing requested off 127.0.0.1.
 */
import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { openBrowser, type EditorBrowser } from '../../e2e/browser';
import { outputOf } from '../../e2e/executions';
import { repoRoot } from '../../e2e/install';
import { connectBank, ExecutionLog, publishOnboardingPage, requestedHosts, shareInLayer, watchPage, type PageWatch } from '../../e2e/onboarding-page';
import { activateWorkflow, exampleWorkflow, importWorkflow, startStack, withCredential, type ImportedWorkflow, type Stack } from '../../e2e/stack';
import { publishOnboarding, RECORD_NODE, type PublishedOnboarding } from '../../e2e/onboarding';
import { StaticServer } from '../../e2e/static-server';
import { SANDBOXED_HELP } from '../../nodes/PlaidLayer/actions/onboardingPage/page';
import { expectedRecord } from '../support/onboarding-record';

const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? join(repoRoot, 'docs');
const STATIC_EXAMPLE = 'layer-onboarding-static-page.json';
const TOKEN_NODE = 'Token request';

let stack: Stack;
let ui: EditorBrowser;
let context: BrowserContext;
let site: StaticServer;
let elsewhere: StaticServer;
const watches: PageWatch[] = [];

beforeAll(async () => {
	stack = await startStack();
	site = await StaticServer.start();
	elsewhere = await StaticServer.start();
	ui = await openBrowser();
	context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
}, 600_000);

afterAll(async () => {
	await context?.close().catch(() => undefined);
	await ui?.close();
	await site?.stop();
	await elsewhere?.stop();
	await stack?.stop();
});

async function newPage(): Promise<{ page: Page; watch: PageWatch }> {
	const page = await context.newPage();
	const watch = await watchPage(page);
	watches.push(watch);
	return { page, watch };
}

function expectClean(watch: PageWatch): void {
	expect(watch.dialogs).toEqual([]);
	expect(watch.violations).toEqual([]);
	expect(watch.cspConsole).toEqual([]);
	expect(watch.pageErrors).toEqual([]);
}

describe("served by n8n with its sandbox on: the page says at once that Link cannot run here", () => {
	test('an opaque origin → #sandboxed within 5 s, naming the setting and the static page; Link is never started (screenshot)', async () => {
		const example = await publishOnboardingPage(stack);
		const { page, watch } = await newPage();
		const sessionsBefore = stack.emulator.linkSessions.size;
		const started = Date.now();
		const response = (await page.goto(`${example.pageUrl}?user_id=customer-sandboxed`))!;
		await page.locator('body[data-step="sandboxed"]').waitFor({ state: 'attached', timeout: 5_000 });
		expect(Date.now() - started).toBeLessThan(5_000);

		expect(await response.headerValue('content-security-policy')).toMatch(/^sandbox( [a-z-]+)+$/);
		expect(await page.evaluate('window.origin')).toBe('null');
		expect(await page.locator('#sandboxed').isVisible()).toBe(true);
		expect(await page.locator('#sandboxed .hint').textContent()).toBe(SANDBOXED_HELP);
		expect(await page.locator('#phone-form').isVisible()).toBe(false);
		expect(await page.locator('iframe').count()).toBe(0);
		await page.screenshot({ path: join(SCREENSHOTS, 'onboarding-page-sandboxed.png'), animations: 'disabled' });
		// Nothing waits on Link: a moment later the page is where it was, and no session started.
		await page.waitForTimeout(1_000);
		expect(await page.locator('body').getAttribute('data-step')).toBe('sandboxed');
		expect(stack.emulator.linkSessions.size).toBe(sessionsBefore);
		expectClean(watch);
		await page.close();
	});
});

describe('the static page on its own site, against n8n with its sandbox on', () => {
	let workflow: ImportedWorkflow;
	let executions: ExecutionLog;
	let onboarding: PublishedOnboarding;
	let pageUrl: string;

	/** The Plaid user the token webhook created for this visitor. */
	async function plaidUserOf(clientUserId: string): Promise<unknown> {
		const run = (await executions.ran(TOKEN_NODE)).find((candidate) => (outputOf(candidate, TOKEN_NODE)[0].body as Record<string, unknown>).user_id === clientUserId);
		return run ? outputOf(run, 'Create Layer Session Token')[0].user_id : undefined;
	}

	beforeAll(async () => {
		// The fallback token and finish workflows the page posts to, open to the user's site only.
		onboarding = await publishOnboarding(stack, { allowedOrigins: site.origin });
		const json = withCredential(exampleWorkflow(STATIC_EXAMPLE), stack.credentialId);
		for (const node of json.nodes) {
			// The user's site, where the example has https://www.example.com.
			const options = node.parameters.options as Record<string, unknown> | undefined;
			if (options?.allowedOrigins) options.allowedOrigins = site.origin;
			if (node.type === 'n8n-nodes-plaid-layer.plaidLayer' && node.parameters.resource === 'onboardingPage') {
				node.parameters.options = { ...(node.parameters.options as Record<string, unknown>), linkScriptUrl: stack.emulator.linkScriptUrl };
			}
		}
		workflow = await importWorkflow(stack.client, json);
		await activateWorkflow(stack.client, workflow);
		executions = new ExecutionLog(stack, workflow.id);
	});

	test('GET layer/static/page downloads index.html: no link token inside, the token and complete URLs are n8n\'s production webhooks', async () => {
		const response = await fetch(`${stack.n8n.url}/webhook/layer/static/page`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="index.html"');
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await response.text();
		expect(html).not.toMatch(/link-sandbox-/);
		const config = JSON.parse(/<script id="layer-config" type="application\/json">([^<]*)<\/script>/.exec(html)![1]) as Record<string, unknown>;
		expect(config).toMatchObject({
			mode: 'static',
			tokenUrl: `${stack.n8n.url}/webhook/layer/static/start`,
			fallback: 'link',
			fallbackTokenUrl: `${stack.n8n.url}/webhook/onboarding/fallback-token`,
			completeUrl: `${stack.n8n.url}/webhook/onboarding/complete`,
		});
		pageUrl = site.serve('/index.html', html);
		elsewhere.serve('/index.html', html);
	});

	test("415-555-0011: no token is asked for until the visitor touches the form; then Link, the code, Share → success, and the finish workflow's record (screenshot)", async () => {
		const { page, watch } = await newPage();
		await page.goto(`${pageUrl}?user_id=customer-static-1`);
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });
		expect(await page.evaluate('window.origin')).toBe(site.origin);
		await page.waitForTimeout(500);
		expect(watch.requests.filter((url) => url.startsWith(`${stack.n8n.url}/webhook/layer/static/start`))).toEqual([]);
		expect(await page.locator('iframe.plaid-link-iframe').count()).toBe(0);

		const tokenAnswer = page.waitForResponse((answer) => answer.url() === `${stack.n8n.url}/webhook/layer/static/start` && answer.request().method() === 'POST');
		await page.locator('#phone').focus();
		const answered = await tokenAnswer;
		expect(answered.status()).toBe(200);
		expect(answered.headers()['access-control-allow-origin']).toBe(site.origin);
		expect(Object.keys((await answered.json()) as object)).toEqual(['link_token']);
		await page.locator('iframe.plaid-link-iframe').waitFor({ state: 'attached' });
		const tokenRun = await executions.next({ ran: TOKEN_NODE }, []);
		expect(outputOf(tokenRun, TOKEN_NODE)[0].body).toEqual({ user_id: 'customer-static-1' });

		await page.locator('#phone').fill('415-555-0011');
		await page.mouse.move(0, 0);
		await page.screenshot({ path: join(SCREENSHOTS, 'onboarding-static-page.png'), animations: 'disabled' });
		await page.locator('#continue').click();
		const link = page.frameLocator('iframe.plaid-link-iframe');
		await shareInLayer(link);
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 30_000 });

		const finish = await onboarding.finishRuns.next({ ran: RECORD_NODE }, []);
		expect(finish.status).toBe('success');
		expect(outputOf(finish, 'Onboarding complete')[0].headers).toMatchObject({ origin: site.origin });
		expect(outputOf(finish, RECORD_NODE)[0]).toEqual(expectedRecord('layer', await plaidUserOf('customer-static-1'), 'customer-static-1'));
		// The token flow ran once for this visitor.
		expect((await executions.ran(TOKEN_NODE)).length).toBe(1);
		expectClean(watch);
		await page.close();
	});

	test("415-555-0000: date of birth, then standard Link with a token from the fallback webhook (CORS), a bank → success; the record holds the number typed", async () => {
		const { page, watch } = await newPage();
		const finishesBefore = await onboarding.finishRuns.ran(RECORD_NODE);
		await page.goto(pageUrl);
		await page.locator('#phone').fill('415-555-0000');
		await page.locator('#continue').click();
		await page.locator('body[data-step="dob"]').waitFor({ state: 'attached', timeout: 30_000 });
		await page.locator('#dob').fill('1975-01-18');
		const fallbackAnswer = page.waitForResponse((answer) => answer.url() === `${stack.n8n.url}/webhook/onboarding/fallback-token` && answer.request().method() === 'POST');
		await page.locator('#dob-continue').click();
		expect((await fallbackAnswer).headers()['access-control-allow-origin']).toBe(site.origin);
		const link = page.frameLocator('iframe.plaid-link-iframe');
		await connectBank(link, 'ins_109512');
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 30_000 });

		const finish = await onboarding.finishRuns.next({ ran: RECORD_NODE }, finishesBefore);
		const [record] = outputOf(finish, RECORD_NODE);
		// The static page has no sign-up form: the phone number is all the visitor typed.
		expect(record).toMatchObject({ flow: 'link', identity: { legal_name: null, phone_number: '+14155550000', email_address: null, address: null } });
		expect(Object.keys(record)).toEqual(Object.keys(expectedRecord('link', null, '')));
		// Without ?user_id= the page made up an ID for the visitor.
		expect(record.client_user_id).toMatch(/^visitor-[0-9a-f]{32}$/);
		expectClean(watch);
		await page.close();
	});

	test("a site n8n's Allowed Origins do not name: the token request is refused by CORS; the visitor sees an error and Try again", async () => {
		const { page, watch } = await newPage();
		await page.goto(`${elsewhere.origin}/index.html`);
		await page.locator('#phone').fill('415-555-0011');
		await page.locator('#continue').click();
		await page.locator('body[data-step="error"]').waitFor({ state: 'attached', timeout: 15_000 });
		expect(await page.locator('#status').getAttribute('data-state')).toBe('error');
		expect(await page.locator('#status').textContent()).toMatch(/^We could not start \(.+\)\. Please try again\.$/);
		expect(await page.locator('#retry').isVisible()).toBe(true);
		expect(await page.locator('iframe.plaid-link-iframe').count()).toBe(0);
		expect(watch.violations).toEqual([]);
		await page.close();
	});

	test('no CSP violation on any page; nothing left 127.0.0.1', () => {
		expect(watches.flatMap((watch) => [...watch.violations.map((violation) => JSON.stringify(violation)), ...watch.cspConsole])).toEqual([]);
		const allowed = [stack.n8n.url, stack.emulator.linkOrigin, stack.emulator.url, site.origin, elsewhere.origin].map((url) => new URL(url).host);
		expect(watches.flatMap(requestedHosts).filter((host) => !allowed.includes(host))).toEqual([]);
		expect(stack.guard.attempts).toEqual([]);
	});
});
