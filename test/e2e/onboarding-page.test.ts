/**
 * The Layer onboarding page as a visitor gets it from a real n8n 2.41 started with
 * N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX=true (self-hosted n8n's switch for its webhook
 * sandbox, in which Plaid Link cannot run: test/e2e/onboarding-static-page.test.ts covers n8n with
 * the sandbox on): the example "Layer onboarding page" imported and published (credential →
 * emulator, the Render node's Link Script URL → the emulator's stand-in for Plaid's
 * link-initialize.js, whose window is an iframe on another origin), opened in Debian's chromium.
 * - the eligible Sandbox number 415-555-0011 opens Link's window over the page; the visitor types
 *   Sandbox's code and shares there; the page ends on the success message, and n8n's completion
 *   flow turned the page's public token into the identity; screenshots to docs/ (desktop, Link's
 *   window, mobile);
 * - the ineligible 415-555-0000 goes through the date-of-birth step to the fallback message, and
 *   nothing reaches the completion flow;
 * - a script-breaking page title and phone prompt are shown as text, and a script-breaking link
 *   token gets an error instead of a page.
 * Throughout: no dialog, no Content-Security-Policy violation, nothing requested off 127.0.0.1.
 * n8n 2.41 drops the Content-Security-Policy header the example's Respond to Webhook sets and
 * sends its own `sandbox …` policy instead; the page's policy is checked where it is in force,
 * its meta tag.
 *
 * The page gets a browser context of its own, without request interception: with a route
 * installed, Playwright answers CORS preflights itself, and the page's cross-origin POSTs (to the
 * stand-in, and to n8n from a sandboxed page) must meet the real servers.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { BrowserContext, Page, Response } from 'playwright-core';

import { PAGE_DEFAULTS } from '../../nodes/PlaidLayer/actions/onboardingPage/render.operation';
import { openBrowser, type EditorBrowser } from '../../e2e/browser';
import { outputOf, type ExecutionDetail } from '../../e2e/executions';
import { repoRoot } from '../../e2e/install';
import {
	COMPLETE_NODE,
	connectBank,
	ExecutionLog,
	linkScriptUrl,
	publishOnboardingPage,
	RENDER_NODE,
	requestedHosts,
	SESSION_NODE,
	shareInLayer,
	watchPage,
	type OnboardingPageWorkflow,
	type PageWatch,
} from '../../e2e/onboarding-page';
import { publishOnboarding, RECORD_NODE, signUpForm, type PublishedOnboarding } from '../../e2e/onboarding';
import { startStack, type Stack } from '../../e2e/stack';
import { StaticServer } from '../../e2e/static-server';
import { exampleSignUp } from '../../runner/onboarding-visitor';
import { expectedRecord } from '../support/onboarding-record';

const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? join(repoRoot, 'docs');
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };
const ATTACK = '</script><script>alert(1)</script>';

let stack: Stack;
let ui: EditorBrowser;
let context: BrowserContext;
let example: OnboardingPageWorkflow;
let executions: ExecutionLog;
const watches: PageWatch[] = [];
/** The site whose sign-up form posts to "Onboarding: start". */
let signUpSite: StaticServer;

/** Self-hosted n8n's switch for its webhook sandbox (@n8n/config security.config). */
export const SANDBOX_OFF = { N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX: 'true' };

beforeAll(async () => {
	stack = await startStack({ n8n: { env: SANDBOX_OFF } });
	example = await publishOnboardingPage(stack);
	executions = new ExecutionLog(stack, example.id);
	ui = await openBrowser();
	context = await ui.browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
	mkdirSync(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
	await context?.close().catch(() => undefined);
	await ui?.close();
	await stack?.stop();
});

/** A fresh tab, watched from its first request. */
async function newPage(): Promise<{ page: Page; watch: PageWatch }> {
	const page = await context.newPage();
	const watch = await watchPage(page);
	watches.push(watch);
	return { page, watch };
}

/** Opens the page for a new user and waits for its phone step (Link created). */
async function openOnboarding(page: Page, userId: string, url = example.pageUrl): Promise<Response> {
	const response = await page.goto(`${url}?user_id=${encodeURIComponent(userId)}`);
	if (!response) throw new Error(`no response for ${url}`);
	await page.locator('body[data-step="phone"]').waitFor({ state: 'attached', timeout: 15_000 });
	return response;
}

async function step(page: Page): Promise<string | null> {
	return await page.locator('body').getAttribute('data-step');
}

/** The page's steps are shown by toggling `hidden`: the ids not hidden right now. */
async function shown(page: Page, ids: string[]): Promise<string[]> {
	const visible: string[] = [];
	for (const id of ids) if (await page.locator(`#${id}`).isVisible()) visible.push(id);
	return visible;
}

function expectClean(watch: PageWatch): void {
	expect(watch.dialogs).toEqual([]);
	expect(watch.violations).toEqual([]);
	expect(watch.cspConsole).toEqual([]);
	expect(watch.pageErrors).toEqual([]);
}

describe('eligible 415-555-0011: the page in n8n, Link, and the completion flow', () => {
	let page: Page;
	let watch: PageWatch;
	let response: Response;
	let visit: ExecutionDetail;
	let posted: { flow: string; link_token: string; phone_number: string; public_token: string; link_session_id: string | null; metadata: Record<string, unknown> };
	let completion: ExecutionDetail;

	beforeAll(async () => {
		({ page, watch } = await newPage());
		await page.setViewportSize(DESKTOP);
		const before = await executions.visits();
		response = await openOnboarding(page, 'customer-page-1');
		visit = await executions.next('visits', before);
	});

	test('the GET webhook answers 200 text/html; the page carries the policy Render made in its meta tag', async () => {
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toMatch(/^text\/html\b/);
		expect(visit.status).toBe('success');
		const [rendered] = outputOf(visit, RENDER_NODE);
		const policy = rendered.contentSecurityPolicy as string;
		expect(policy).toMatch(/; frame-ancestors 'none'$/);

		const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
		expect(meta).toBe(policy.replace(/; frame-ancestors 'none'$/, ''));
		const nonce = /'nonce-([^']+)'/.exec(meta!)![1];
		expect(meta).toContain(`script-src 'nonce-${nonce}' ${linkScriptUrl(stack)};`);
		expect(meta).toContain(`connect-src ${stack.n8n.url};`);
		expect(meta).toContain(`frame-src ${stack.emulator.linkOrigin};`);
		expect(meta!.match(/'unsafe-inline'/g)).toEqual(["'unsafe-inline'"]);
		expect(meta).toContain("style-src-attr 'unsafe-inline'");
		expect(await page.locator('script[src]').getAttribute('src')).toBe(linkScriptUrl(stack));
		// Browsers hide a nonce attribute's value from the DOM once the element is in the document.
		expect(await page.locator('script[src]').evaluate((script) => (script as unknown as { nonce: string }).nonce)).toBe(nonce);
		expect(rendered.completeUrl).toBe(example.completeUrl);
	});

	// n8n 2.41 never lets a webhook response carry its own Content-Security-Policy. With its sandbox
	// off it sends none; the page's policy is in force through its meta tag (all but frame-ancestors,
	// which a meta tag cannot carry: the example sends X-Frame-Options).
	test('with the sandbox off, n8n sends no sandbox: the page has its real origin, runs under its meta policy and refuses framing', async () => {
		const header = await response.headerValue('content-security-policy');
		expect(header ?? '').not.toContain('sandbox');
		expect(response.headers()['x-frame-options']).toBe('DENY');
		expect(await page.evaluate('window.origin')).toBe(stack.n8n.url);
	});

	test('the meta policy is enforced in the live page: an injected inline script and a fetch to another origin are blocked (the watch sees both, and an alert)', async () => {
		const probe = await newPage();
		await openOnboarding(probe.page, 'customer-page-probe');
		const elsewhere = `http://127.0.0.1:9/csp-probe`;
		await probe.page.evaluate(`(function () {
			var script = document.createElement('script');
			script.textContent = 'window.cspProbe = 1';
			document.body.appendChild(script);
			return window.fetch(${JSON.stringify(elsewhere)}).then(function () { return 'fetched'; }, function () { return 'refused'; });
		})()`);
		await probe.page.waitForTimeout(300);

		expect(await probe.page.evaluate('typeof window.cspProbe')).toBe('undefined');
		expect(probe.watch.violations.map(({ effectiveDirective, blockedURI, disposition }) => [effectiveDirective, blockedURI, disposition]).sort()).toEqual(
			[
				['connect-src', elsewhere, 'enforce'],
				['script-src-elem', 'inline', 'enforce'],
			].sort(),
		);
		expect(probe.watch.requests).not.toContain(elsewhere);
		// The dialog watch sees what an injected alert() would do (the sandbox allows modals).
		await probe.page.evaluate('window.alert("probe")');
		expect(probe.watch.dialogs).toEqual(['alert: probe']);
		probe.watch.dialogs.length = 0;
		// These two were ours: take them out of the tally the last test checks.
		probe.watch.violations.length = 0;
		probe.watch.cspConsole.length = 0;
		expect(probe.watch.pageErrors).toEqual([]);
		await probe.page.close();
	});

	test("phone step (desktop screenshot) → 415-555-0011 → Continue → Link's window over the page (screenshot) → code, Share → the success message", async () => {
		expect(await step(page)).toBe('phone');
		expect(await page.locator('#title').textContent()).toBe(PAGE_DEFAULTS.pageTitle);
		expect(await page.locator('label[for="phone"]').textContent()).toBe(PAGE_DEFAULTS.phonePrompt);
		await page.locator('#phone').fill('415-555-0011');
		await page.mouse.move(0, 0);
		await page.screenshot({ path: join(SCREENSHOTS, 'onboarding-page-desktop.png'), animations: 'disabled' });

		const sent = page.waitForRequest((request) => request.url() === example.completeUrl && request.method() === 'POST');
		const answered = page.waitForResponse((answer) => answer.url() === example.completeUrl && answer.request().method() === 'POST');
		await page.locator('#continue').click();
		await page.locator('body[data-step="link"]').waitFor({ state: 'attached', timeout: 30_000 });
		const link = page.frameLocator('iframe.plaid-link-iframe');
		await link.locator('#otp').waitFor({ state: 'visible', timeout: 15_000 });
		expect(await page.locator('iframe.plaid-link-iframe').boundingBox()).toEqual({ x: 0, y: 0, ...DESKTOP });
		await link.locator('#otp').fill('123456');
		await page.mouse.move(0, 0);
		await page.screenshot({ path: join(SCREENSHOTS, 'onboarding-page-link.png'), animations: 'disabled' });
		await link.locator('#otp-submit').click();
		await link.locator('#share').click();
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 30_000 });
		expect(await page.locator('iframe.plaid-link-iframe').isVisible()).toBe(false);

		expect(await shown(page, ['success', 'fallback', 'phone-form', 'dob-form', 'retry'])).toEqual(['success']);
		expect((await page.locator('#success').textContent())?.trim()).toBe(PAGE_DEFAULTS.successMessage);
		expect(await page.locator('#status').getAttribute('data-state')).toBe('idle');
		expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('success');

		posted = (await sent).postDataJSON() as typeof posted;
		expect(posted).toEqual({
			flow: 'layer',
			link_token: outputOf(visit, RENDER_NODE)[0].link_token,
			phone_number: '+14155550011',
			public_token: expect.stringMatching(/^public-sandbox-/),
			link_session_id: expect.any(String),
			metadata: expect.any(Object),
		});
		const answer = await answered;
		expect(answer.status()).toBe(200);
		expect(await answer.json()).toEqual({ status: 'received' });
		expect(stack.emulator.layerSubmissions).toEqual([
			{ link_token: outputOf(visit, RENDER_NODE)[0].link_token, submitted: { phone_number: '+14155550011' }, status: 200, event: 'LAYER_READY' },
		]);
	});

	test('n8n ran the completion flow successfully; Get User Account Session has the identity (+14155550011)', async () => {
		completion = await executions.next('completions', []);
		expect(completion).toMatchObject({ mode: 'webhook', status: 'success', lastNodeExecuted: 'Respond to page' });
		expect(completion.error).toBeUndefined();
		expect(outputOf(completion, COMPLETE_NODE)).toEqual([expect.objectContaining({ body: posted })]);
		const [session] = outputOf(completion, SESSION_NODE);
		expect(session.identity).toMatchObject({ phone_number: '+14155550011', email: 'leslie@example.com' });
		expect((session.identity as Record<string, unknown>).ssn).toBeUndefined();
		const sessionGet = stack.emulator.requests.filter((request) => request.path === '/user_account/session/get');
		expect(sessionGet.map((request) => [request.body, request.status])).toEqual([[{ public_token: posted.public_token }, 200]]);
	});

	test("no dialog, no CSP violation (events or console), no page error; the page requested n8n and the Link origin, Link's window the API", () => {
		expectClean(watch);
		const hosts = [stack.n8n.url, stack.emulator.linkOrigin, stack.emulator.url].map((url) => new URL(url).host);
		expect(requestedHosts(watch).sort()).toEqual(hosts.sort());
	});

	test('at a phone\'s width (390×844) the phone step fits the screen (mobile screenshot)', async () => {
		const mobile = await newPage();
		await mobile.page.setViewportSize(MOBILE);
		await openOnboarding(mobile.page, 'customer-page-mobile');
		await mobile.page.locator('#phone').fill('(415) 555-0011');
		await mobile.page.mouse.move(0, 0);
		const width = await mobile.page.evaluate('document.documentElement.scrollWidth');
		expect(width).toBeLessThanOrEqual(MOBILE.width);
		const button = (await mobile.page.locator('#continue').boundingBox())!;
		expect(button.x).toBeGreaterThanOrEqual(0);
		expect(button.x + button.width).toBeLessThanOrEqual(MOBILE.width);
		expect(button.y + button.height).toBeLessThanOrEqual(MOBILE.height);
		await mobile.page.screenshot({ path: join(SCREENSHOTS, 'onboarding-page-mobile.png'), animations: 'disabled' });
		expectClean(mobile.watch);
		await mobile.page.close();
	});
});

describe('ineligible 415-555-0000: the date-of-birth step, then the fallback message; nothing completes', () => {
	test('LAYER_NOT_AVAILABLE → date of birth → LAYER_AUTOFILL_NOT_AVAILABLE → #fallback; no public token, no completion', async () => {
		const { page, watch } = await newPage();
		const completionsBefore = await executions.completions();
		const tokensBefore = stack.emulator.state.publicTokens.size;
		const submissionsBefore = stack.emulator.layerSubmissions.length;
		await openOnboarding(page, 'customer-page-2');

		await page.locator('#phone').fill('415-555-0000');
		await page.locator('#continue').click();
		await page.locator('body[data-step="dob"], body[data-step="fallback"]').waitFor({ state: 'attached', timeout: 30_000 });
		const steps = [await step(page)];
		if (steps[0] === 'dob') {
			expect(await shown(page, ['dob-form', 'phone-form', 'success', 'fallback'])).toEqual(['dob-form']);
			await page.locator('#dob').fill('1975-01-18');
			await page.locator('#dob-continue').click();
			await page.locator('body[data-step="fallback"]').waitFor({ state: 'attached', timeout: 30_000 });
			steps.push(await step(page));
		}

		expect(steps).toEqual(['dob', 'fallback']);
		expect(await shown(page, ['fallback', 'success', 'phone-form', 'dob-form', 'retry'])).toEqual(['fallback']);
		expect((await page.locator('#fallback').textContent())?.trim()).toBe(PAGE_DEFAULTS.fallbackMessage);
		expect(await page.locator('#status').getAttribute('data-state')).toBe('idle');
		expect(stack.emulator.layerSubmissions.slice(submissionsBefore).map(({ submitted, event }) => [submitted, event])).toEqual([
			[{ phone_number: '+14155550000' }, 'LAYER_NOT_AVAILABLE'],
			[{ date_of_birth: '1975-01-18' }, 'LAYER_AUTOFILL_NOT_AVAILABLE'],
		]);
		// Plaid: discard the Layer handler before any fallback.
		expect(await page.locator('iframe.plaid-link-iframe').count()).toBe(0);
		expect(stack.emulator.state.publicTokens.size).toBe(tokensBefore);

		// Time for a POST the page should not send to have been run.
		await page.waitForTimeout(2_000);
		expect(watch.requests.filter((url) => url.startsWith(example.completeUrl))).toEqual([]);
		expect((await executions.completions()).map((execution) => execution.id)).toEqual(completionsBefore.map((execution) => execution.id));
		expectClean(watch);
		await page.close();
	});
});

describe('injection through the Render node\'s fields', () => {
	let injected: OnboardingPageWorkflow;
	let badToken: OnboardingPageWorkflow;

	beforeAll(async () => {
		injected = await publishOnboardingPage(stack, {
			name: 'Layer onboarding page (script-breaking title)',
			path: 'layer/onboarding-injected',
			options: { pageTitle: ATTACK, phonePrompt: ATTACK },
		});
		badToken = await publishOnboardingPage(stack, {
			name: 'Layer onboarding page (script-breaking link token)',
			path: 'layer/onboarding-bad-token',
			parameters: { linkToken: ATTACK },
		});
	});

	test(`a page title and phone prompt of ${ATTACK} are shown as text: no dialog, no extra script, no CSP violation`, async () => {
		const { page, watch } = await newPage();
		const response = await openOnboarding(page, 'mallory', injected.pageUrl);
		const html = await response.text();

		expect(response.status()).toBe(200);
		expect(html).not.toContain(ATTACK);
		expect(html).toContain('<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
		expect(await page.title()).toBe(ATTACK);
		expect(await page.locator('#title').textContent()).toBe(ATTACK);
		expect(await page.locator('label[for="phone"]').textContent()).toBe(ATTACK);
		// The Link script, the settings block and the page script: nothing the fields added.
		expect(await page.evaluate('Array.from(document.scripts).map(function (s) { return s.src ? "src" : s.type || "inline"; })')).toEqual([
			'src',
			'application/json',
			'inline',
		]);
		// The page still works after the attempt: the flow starts as usual.
		await page.locator('#phone').fill('415-555-0000');
		await page.locator('#continue').click();
		await page.locator('body[data-step="dob"]').waitFor({ state: 'attached', timeout: 30_000 });
		await page.waitForTimeout(500);
		expectClean(watch);
		await page.close();
	});

	test(`a link token of ${ATTACK} is refused by the Render node: the page webhook answers an error, not a page`, async () => {
		const { page, watch } = await newPage();
		const log = new ExecutionLog(stack, badToken.id);
		const response = (await page.goto(`${badToken.pageUrl}?user_id=mallory`))!;
		const body = await response.text();

		expect(response.status()).toBe(500);
		expect(response.headers()['content-type']).toMatch(/^application\/json\b/);
		// n8n's generic answer: the node's message (which quotes the token) does not reach the visitor.
		expect(JSON.parse(body)).toEqual({ message: 'Error in workflow' });
		expect(body).not.toContain('<script');
		expect(await page.locator('#phone').count()).toBe(0);

		const failed = await log.next('visits', []);
		expect(failed.status).toBe('error');
		expect(failed.lastNodeExecuted).toBe(RENDER_NODE);
		const renderRun = failed.runData[RENDER_NODE].at(-1)!;
		expect(renderRun.error?.message).toBe(`Link Token is not a Plaid link token: "${ATTACK}" [item 0]`);
		expect(outputOf(failed, RENDER_NODE)).toEqual([]);
		await page.waitForTimeout(500);
		expectClean(watch);
		await page.close();
	});
});

describe('every visitor completes: the example onboarding (start, fallback Link token, finish), served by n8n', () => {
	let onboarding: PublishedOnboarding;
	let starts: ExecutionLog;

	beforeAll(async () => {
		onboarding = await publishOnboarding(stack);
		starts = new ExecutionLog(stack, onboarding.start.id);
		signUpSite = await StaticServer.start();
	});
	afterAll(async () => {
		await signUpSite?.stop();
	});

	/** The visitor fills in the site's sign-up form; n8n answers with the onboarding page. */
	async function signUp(userId: string): Promise<{ page: Page; watch: PageWatch }> {
		const opened = await newPage();
		await opened.page.goto(signUpSite.serve(`/sign-up-${userId}`, signUpForm(onboarding.startUrl, exampleSignUp(userId))));
		await opened.page.locator('#sign-up-submit').click();
		await opened.page.locator('body[data-step="phone"]').waitFor({ state: 'attached', timeout: 30_000 });
		expect(opened.page.url()).toBe(onboarding.startUrl);
		return opened;
	}

	async function plaidUserOf(clientUserId: string): Promise<unknown> {
		const runs = await starts.ran('Create User');
		const run = runs.find((candidate) => outputOf(candidate, 'Sign-up')[0]?.body && (outputOf(candidate, 'Sign-up')[0].body as Record<string, unknown>).user_id === clientUserId);
		return run ? outputOf(run, 'Create User')[0].user_id : undefined;
	}

	test('415-555-0011: Layer, the code, Share → success; the finish workflow\'s record (flow layer)', async () => {
		const { page, watch } = await signUp('customer-e2e-layer');
		await page.locator('#phone').fill('415-555-0011');
		await page.locator('#continue').click();
		const link = page.frameLocator('iframe.plaid-link-iframe');
		await shareInLayer(link);
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 30_000 });

		const finish = await onboarding.finishRuns.next({ ran: RECORD_NODE }, []);
		expect(finish.status).toBe('success');
		const [record] = outputOf(finish, RECORD_NODE);
		expect(record).toEqual(expectedRecord('layer', await plaidUserOf('customer-e2e-layer'), 'customer-e2e-layer'));
		expect(JSON.stringify(record)).not.toMatch(/access-sandbox-/);
		expectClean(watch);
		await page.close();
	});

	test('415-555-0000: date of birth, then standard Link with a new token: a bank (screenshot), the test login → success; the record has the same shape (flow link)', async () => {
		const { page, watch } = await signUp('customer-e2e-link');
		const finishesBefore = await onboarding.finishRuns.ran(RECORD_NODE);
		await page.locator('#phone').fill('415-555-0000');
		await page.locator('#continue').click();
		await page.locator('body[data-step="dob"]').waitFor({ state: 'attached', timeout: 30_000 });
		await page.locator('#dob').fill('1975-01-18');
		await page.locator('#dob-continue').click();
		await page.locator('body[data-step="bank"]').waitFor({ state: 'attached', timeout: 30_000 });

		const fallback = await onboarding.fallbackRuns.next({ ran: 'Answer link token' }, []);
		expect(outputOf(fallback, 'Fallback token request')[0].body).toMatchObject({ phone_number: '+14155550000', date_of_birth: '1975-01-18' });
		const link = page.frameLocator('iframe.plaid-link-iframe');
		await link.locator('button[data-institution="ins_109508"]').waitFor({ state: 'visible', timeout: 15_000 });
		await page.mouse.move(0, 0);
		await page.screenshot({ path: join(SCREENSHOTS, 'onboarding-page-bank.png'), animations: 'disabled' });
		await connectBank(link, 'ins_109508');
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 30_000 });

		const finish = await onboarding.finishRuns.next({ ran: RECORD_NODE }, finishesBefore);
		const [record] = outputOf(finish, RECORD_NODE);
		expect(record).toEqual(expectedRecord('link', await plaidUserOf('customer-e2e-link'), 'customer-e2e-link'));
		expectClean(watch);
		await page.close();
	});
});

describe('the whole run', () => {
	test('no CSP violation on any page; nothing left 127.0.0.1: the pages requested only n8n and the emulator, n8n tried nothing else', () => {
		expect(watches.length).toBeGreaterThanOrEqual(6);
		expect(watches.flatMap((watch) => [...watch.violations.map((violation) => JSON.stringify(violation)), ...watch.cspConsole])).toEqual([]);
		const allowed = [stack.n8n.url, stack.emulator.linkOrigin, stack.emulator.url].map((url) => new URL(url).host);
		// The sign-up forms came from a site of their own.
		allowed.push(new URL(signUpSite.origin).host);
		expect(watches.flatMap(requestedHosts).filter((host) => !allowed.includes(host))).toEqual([]);
		expect(stack.guard.attempts).toEqual([]);
	});
});
