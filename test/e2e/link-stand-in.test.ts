/**
 * The emulator's Link stand-in in Debian's chromium, without n8n: the onboarding page as Render
 * makes it, served by a static server on its own origin, with the emulator's Link origin and API
 * on two more. What Plaid's Link needs from a page is what the stand-in needs, so a page that would
 * break the real Link breaks here too:
 * - the page as rendered: Link's window is an iframe on the Link origin, shown over the page on
 *   LAYER_READY; the visitor types Sandbox's code in it and shares; the page gets the public token;
 * - the same page under n8n's webhook sandbox header: an opaque origin; the page says so at once,
 *   and a page that creates Link anyway never hears from it (the window's storage throws);
 * - policies Plaid's docs warn about: without the nonce for styles, without style-src-attr
 *   'unsafe-inline', without the Link origin in frame-src: a CSP violation, and Link's window never
 *   covers the page or never loads;
 * - Link's API answers only Link's window.
 */
import type { BrowserContext, Frame, Page } from 'playwright-core';

import { openBrowser, type EditorBrowser } from '../../e2e/browser';
import { connectBank, shareInLayer, watchPage, type PageWatch } from '../../e2e/onboarding-page';
import { N8N_WEBHOOK_SANDBOX_CSP, StaticServer } from '../../e2e/static-server';
import { PlaidEmulator } from '../../emulator/server';
import { buildOnboardingPage } from '../../nodes/PlaidLayer/actions/onboardingPage/render.operation';

let emulator: PlaidEmulator;
let site: StaticServer;
let ui: EditorBrowser;
let context: BrowserContext;

beforeAll(async () => {
	emulator = await PlaidEmulator.start();
	site = await StaticServer.start();
	ui = await openBrowser();
	// No request interception here: with a route installed Playwright answers CORS preflights itself.
	context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
}, 60_000);

afterAll(async () => {
	await context?.close().catch(() => undefined);
	await ui?.close();
	await site?.stop();
	await emulator?.stop();
});

async function linkToken(): Promise<string> {
	const response = await fetch(`${emulator.url}/session/token/create`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		body: JSON.stringify({ template_id: 'template_layer_demo', user: { client_user_id: `stand-in-${Date.now()}-${Math.random()}` } }),
	});
	const body = (await response.json()) as { link: { link_token: string } };
	return body.link.link_token;
}

async function plaid(path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${emulator.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let pages = 0;
/** The onboarding page Render makes for a fresh token, served at a path of its own, its policy edited if asked. */
async function servePage(
	options: { headers?: Record<string, string>; policy?: (policy: string) => string; fallback?: 'link' | 'url' | 'message'; fallbackUrl?: string } = {},
): Promise<string> {
	const path = `/page-${++pages}`;
	const json = buildOnboardingPage(
		{ node: { name: 'Render' } as never, itemIndex: 0 },
		{
			linkToken: await linkToken(),
			completeUrl: `${site.origin}${path}/complete`,
			linkScriptUrl: emulator.linkScriptUrl,
			fallback: options.fallback,
			fallbackTokenUrl: `${site.origin}${path}/fallback-token`,
			fallbackUrl: options.fallbackUrl,
		},
	);
	// What a Fallback Token webhook does: a standard Link token for the phone number the visitor typed.
	site.handlers.set(`${path}/fallback-token`, async (post) => {
		const { phone_number: phone } = post.body as { phone_number: string };
		const created = await plaid('/link/token/create', {
			client_name: 'Stand-in test',
			language: 'en',
			country_codes: ['US'],
			products: ['auth', 'identity'],
			user: { client_user_id: `fallback-${path}`, phone_number: phone },
		});
		return { status: created.status, body: { link_token: created.body.link_token } };
	});
	let html = json.html as string;
	if (options.policy) {
		const [, escaped] = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)!;
		const edited = options.policy(escaped.replace(/&#39;/g, "'"));
		expect(edited).not.toBe(escaped.replace(/&#39;/g, "'"));
		html = html.replace(escaped, edited.replace(/'/g, '&#39;'));
	}
	return site.serve(path, html, options.headers);
}

async function open(url: string): Promise<{ page: Page; watch: PageWatch }> {
	const page = await context.newPage();
	const watch = await watchPage(page);
	await page.goto(url);
	return { page, watch };
}

function linkWindow(page: Page): Frame {
	const frame = page.frames().find((candidate) => candidate.url().startsWith(`${emulator.linkOrigin}/link/v2/stable/link.html`));
	if (!frame) throw new Error(`no Link window in ${page.url()}: frames ${page.frames().map((f) => f.url()).join(', ')}`);
	return frame;
}

async function iframeBox(page: Page) {
	return await page.locator('iframe.plaid-link-iframe').boundingBox();
}

/** Waits until `read` gives `expected` (JSON-equal), or fails with the last value read. */
async function until<T>(read: () => Promise<T>, expected: T, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last: T;
	do {
		last = await read();
		if (JSON.stringify(last) === JSON.stringify(expected)) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	} while (Date.now() < deadline);
	expect(last).toEqual(expected);
}

describe('the page as Render makes it', () => {
	test('415-555-0011: Link loads in its own origin, opens over the page on LAYER_READY; code 123456 and Share give the page its public token', async () => {
		const url = await servePage();
		const { page, watch } = await open(url);
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });

		// Link's window exists from the start (preloading), hidden, on the Link origin.
		const iframe = page.locator('iframe.plaid-link-iframe');
		await iframe.waitFor({ state: 'attached' });
		expect(await iframe.getAttribute('src')).toMatch(new RegExp(`^${emulator.linkOrigin}/link/v2/stable/link\\.html\\?isLinkInitialize=true&origin=${encodeURIComponent(site.origin)}&token=link-sandbox-`));
		expect(await iframe.isVisible()).toBe(false);
		expect(await page.locator('style[data-plaid-link]').evaluate((style) => (style as unknown as { sheet: unknown }).sheet !== null)).toBe(true);

		await page.locator('#phone').fill('415-555-0011');
		await page.locator('#continue').click();
		await page.locator('body[data-step="link"]').waitFor({ state: 'attached', timeout: 15_000 });
		// Over the whole viewport, as the injected stylesheet places it.
		await until(() => iframeBox(page), { x: 0, y: 0, width: 1280, height: 800 });

		const link = linkWindow(page);
		await link.locator('#otp').waitFor({ state: 'visible' });
		expect(await link.locator('#otp-phone').textContent()).toBe('(•••) •••-0011');
		await link.locator('#otp').fill('000000');
		await link.locator('#otp-submit').click();
		await link.locator('#otp-error').waitFor({ state: 'visible' });
		expect(await link.locator('#otp-error').textContent()).toBe('That code is not right. Check the text message and try again.');
		await shareInLayer(link);

		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 15_000 });
		expect(await iframe.isVisible()).toBe(false);
		const [complete] = site.posts.filter((post) => post.path === `${new URL(url).pathname}/complete`);
		expect(complete.body).toEqual({
			flow: 'layer',
			link_token: expect.stringMatching(/^link-sandbox-/),
			phone_number: '+14155550011',
			public_token: expect.stringMatching(/^public-sandbox-/),
			link_session_id: expect.any(String),
			metadata: expect.any(Object),
		});
		expect(complete.headers.origin).toBe(site.origin);
		expect(watch.violations).toEqual([]);
		expect(watch.pageErrors).toEqual([]);
		await page.close();
	});

	test('415-555-0000: LAYER_NOT_AVAILABLE → date of birth → LAYER_AUTOFILL_NOT_AVAILABLE → fallback; Link\'s window was never shown', async () => {
		const { page, watch } = await open(await servePage());
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });
		await page.locator('#phone').fill('415-555-0000');
		await page.locator('#continue').click();
		await page.locator('body[data-step="dob"]').waitFor({ state: 'attached', timeout: 15_000 });
		await page.locator('#dob').fill('1975-01-18');
		await page.locator('#dob-continue').click();
		await page.locator('body[data-step="fallback"]').waitFor({ state: 'attached', timeout: 15_000 });
		// Plaid: discard the Layer handler before any fallback.
		expect(await page.locator('iframe.plaid-link-iframe').count()).toBe(0);
		expect(watch.violations).toEqual([]);
		await page.close();
	});
});

describe('when Layer cannot help: standard Link with a new token, as Plaid advises', () => {
	async function toFallback(page: Page) {
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });
		await page.locator('#phone').fill('415-555-0000');
		await page.locator('#continue').click();
		await page.locator('body[data-step="dob"]').waitFor({ state: 'attached', timeout: 15_000 });
		await page.locator('#dob').fill('1975-01-18');
		await page.locator('#dob-continue').click();
	}

	test('415-555-0000: the Layer window goes, the fallback token URL gets what was typed, Link opens; a bank, a wrong then the right login → a public token that exchanges once', async () => {
		const url = await servePage({ fallback: 'link' });
		const path = new URL(url).pathname;
		const { page, watch } = await open(url);
		const layerToken = new URL((await page.locator('iframe.plaid-link-iframe').getAttribute('src'))!).searchParams.get('token');
		await toFallback(page);
		await page.locator('body[data-step="bank"]').waitFor({ state: 'attached', timeout: 15_000 });

		const [asked] = site.posts.filter((post) => post.path === `${path}/fallback-token`);
		expect(asked.body).toEqual({ phone_number: '+14155550000', date_of_birth: '1975-01-18', link_token: layerToken });
		// One Link window: Layer's was destroyed before standard Link's was created.
		expect(await page.locator('iframe.plaid-link-iframe').count()).toBe(1);
		const bankToken = new URL((await page.locator('iframe.plaid-link-iframe').getAttribute('src'))!).searchParams.get('token');
		expect(bankToken).not.toBe(layerToken);

		const link = linkWindow(page);
		await link.locator('button[data-institution="ins_109508"]').click();
		await link.locator('#username').fill('user_good');
		await link.locator('#password').fill('wrong');
		await link.locator('#login-submit').click();
		await link.locator('#login-error').waitFor({ state: 'visible' });
		expect(await link.locator('#login-error').textContent()).toBe('The provided credentials were not correct. Please try again.');
		await link.locator('#password').fill('pass_good');
		await link.locator('#login-submit').click();
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 15_000 });

		const [complete] = site.posts.filter((post) => post.path === `${path}/complete`);
		const body = complete.body as { flow: string; link_token: string; public_token: string; link_session_id: string; metadata: Record<string, unknown> };
		expect(body).toMatchObject({ flow: 'link', link_token: bankToken, public_token: expect.stringMatching(/^public-sandbox-/) });
		expect(body.metadata).toMatchObject({
			link_session_id: body.link_session_id,
			institution: { institution_id: 'ins_109508', name: 'First Platypus Bank' },
			accounts: expect.arrayContaining([expect.objectContaining({ name: 'Plaid Checking', mask: '0000' })]),
		});
		// Plaid records the session on the token, and the public token exchanges once.
		const got = await plaid('/link/token/get', { link_token: bankToken });
		expect(got.body.link_sessions).toEqual([expect.objectContaining({ link_session_id: body.link_session_id })]);
		expect((await plaid('/item/public_token/exchange', { public_token: body.public_token })).body).toMatchObject({ access_token: expect.stringMatching(/^access-sandbox-/) });
		expect((await plaid('/item/public_token/exchange', { public_token: body.public_token })).body).toMatchObject({ error_code: 'INVALID_PUBLIC_TOKEN' });
		expect(watch.violations).toEqual([]);
		expect(watch.pageErrors).toEqual([]);
		await page.close();
	});

	test('closing Link shows an error and Try again, which opens it once more with the same token', async () => {
		const url = await servePage({ fallback: 'link' });
		const { page, watch } = await open(url);
		await toFallback(page);
		await page.locator('body[data-step="bank"]').waitFor({ state: 'attached', timeout: 15_000 });
		await linkWindow(page).locator('#close').click();
		await page.locator('body[data-step="error"]').waitFor({ state: 'attached', timeout: 15_000 });
		expect(await page.locator('#status').textContent()).toBe('You closed the bank connection before it finished. Try again to connect your bank.');
		await page.locator('#retry').click();
		await page.locator('body[data-step="bank"]').waitFor({ state: 'attached', timeout: 15_000 });
		await until(async () => page.frames().filter((frame) => frame.url().includes('/link/v2/stable/link.html')).length, 1);
		await connectBank(linkWindow(page), 'ins_109511');
		await page.locator('body[data-step="success"]').waitFor({ state: 'attached', timeout: 15_000 });
		expect(watch.violations).toEqual([]);
		await page.close();
	});

	test('Go to a URL: the visitor is taken to Fallback URL', async () => {
		const signUp = site.serve('/sign-up', '<!DOCTYPE html><title>Our sign-up form</title>');
		const { page } = await open(await servePage({ fallback: 'url', fallbackUrl: signUp }));
		await toFallback(page);
		await page.waitForURL(signUp, { timeout: 15_000 });
		expect(await page.title()).toBe('Our sign-up form');
		await page.close();
	});
});

describe("under n8n's webhook sandbox (the CSP header n8n 2.41 puts on every webhook answer)", () => {
	test('the page sees its opaque origin and says so at once, naming the setting and the static page', async () => {
		const started = Date.now();
		const { page, watch } = await open(await servePage({ headers: { 'Content-Security-Policy': N8N_WEBHOOK_SANDBOX_CSP } }));
		await page.locator('body[data-step="sandboxed"]').waitFor({ state: 'attached', timeout: 5_000 });
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(await page.evaluate('window.origin')).toBe('null');
		expect(await page.locator('#sandboxed').isVisible()).toBe(true);
		expect(await page.locator('#sandboxed').textContent()).toContain('N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX=true');
		expect(await page.locator('#sandboxed').textContent()).toContain('Static Page');
		expect(await page.locator('#phone-form').isVisible()).toBe(false);
		expect(await page.locator('iframe.plaid-link-iframe').count()).toBe(0);
		expect(watch.violations).toEqual([]);
		await page.close();
	});

	test('a page that creates Link there anyway never hears from it: the window\'s storage throws and no session starts', async () => {
		const sessionsBefore = emulator.linkSessions.size;
		const token = await linkToken();
		const url = site.serve(
			'/bare-sandboxed',
			`<!DOCTYPE html><html><head><script src="${emulator.linkScriptUrl}"></script></head><body><script>
			window.loaded = false;
			window.handler = Plaid.create({ token: ${JSON.stringify(token)}, onLoad: function () { window.loaded = true; } });
			</script></body></html>`,
			{ 'Content-Security-Policy': N8N_WEBHOOK_SANDBOX_CSP },
		);
		const page = await context.newPage();
		const frameErrors: string[] = [];
		page.on('pageerror', (error) => frameErrors.push(`${error.name}: ${error.message}`));
		await page.goto(url);
		await page.waitForTimeout(3_000);
		expect(await page.evaluate('window.loaded')).toBe(false);
		expect(await linkWindow(page).evaluate('window.origin')).toBe('null');
		expect(frameErrors).toEqual([expect.stringMatching(/SecurityError: Failed to read the 'localStorage' property .* sandboxed/)]);
		expect(emulator.linkSessions.size).toBe(sessionsBefore);
		await page.close();
	});
});

describe('policies Plaid warns about break the stand-in as they would break Link', () => {
	async function toLayerReady(url: string) {
		const { page, watch } = await open(url);
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });
		await page.locator('#phone').fill('415-555-0011');
		await page.locator('#continue').click();
		return { page, watch };
	}

	test("without the nonce for styles (a hash-only policy): Link's stylesheet is blocked and its window never covers the page", async () => {
		const url = await servePage({ policy: (policy) => policy.replace(/style-src-elem 'nonce-[^']+'/, "style-src-elem 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='") });
		const { page, watch } = await toLayerReady(url);
		await page.locator('body[data-step="link"]').waitFor({ state: 'attached', timeout: 15_000 });
		await page.waitForTimeout(500);
		expect(watch.violations.map((violation) => violation.effectiveDirective)).toContain('style-src-elem');
		expect(await iframeBox(page)).not.toEqual({ x: 0, y: 0, width: 1280, height: 800 });
		await page.close();
	});

	test("without style-src-attr 'unsafe-inline': Link cannot hide or show its window", async () => {
		const url = await servePage({ policy: (policy) => policy.replace("style-src-attr 'unsafe-inline'", "style-src-attr 'none'") });
		const { page, watch } = await open(url);
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });
		await page.waitForTimeout(500);
		expect(watch.violations.map((violation) => violation.effectiveDirective)).toContain('style-src-attr');
		// Meant to wait hidden until LAYER_READY, it covers the page from the start.
		expect(await page.locator('iframe.plaid-link-iframe').isVisible()).toBe(true);
		await page.close();
	});

	test('without the Link origin in frame-src: the window is blocked and Link never loads', async () => {
		const url = await servePage({ policy: (policy) => policy.replace(/frame-src [^;]+/, "frame-src 'none'") });
		const { page, watch } = await toLayerReady(url);
		await page.waitForTimeout(2_000);
		expect(watch.violations.map((violation) => violation.effectiveDirective)).toContain('frame-src');
		expect(await page.locator('body').getAttribute('data-step')).toBe('checking');
		await page.close();
	});
});

describe('page and window accept messages only from each other', () => {
	test("a message made to look like Link's, posted by anything but Link's window, is ignored: no success, no public token", async () => {
		const { page, watch } = await open(await servePage());
		await page.locator('body[data-step="phone"]').waitFor({ state: 'attached' });
		await page.evaluate(`window.postMessage({ source: 'plaid-link', uniqueId: '1', action: 'success', publicToken: 'public-sandbox-forged', metadata: {} }, '*')`);
		await page.waitForTimeout(500);
		expect(await page.locator('body').getAttribute('data-step')).toBe('phone');
		expect(site.posts.filter((post) => JSON.stringify(post.body).includes('forged'))).toEqual([]);
		expect(watch.pageErrors).toEqual([]);
		await page.close();
	});

	test("Link's window takes a submit only from its parent with the origin it was given", async () => {
		/** A page that frames Link's window itself, telling it the page's origin is `claimed`, and posts it a submit. */
		async function submitFromPageClaiming(claimed: string): Promise<{ page: Page; reached: () => boolean }> {
			const token = await linkToken();
			const url = site.serve(
				`/framing-${encodeURIComponent(claimed)}`,
				`<!DOCTYPE html><html><body><iframe id="w" src="${emulator.linkOrigin}/link/v2/stable/link.html?isLinkInitialize=true&origin=${encodeURIComponent(claimed)}&token=${token}&uniqueId=1"></iframe></body></html>`,
			);
			const page = await context.newPage();
			await page.goto(url);
			await until(async () => [...emulator.linkSessions.values()].some((session) => session.link_token === token), true, 10_000);
			await page.evaluate(
				`document.getElementById('w').contentWindow.postMessage({ source: 'plaid-link-initialize', uniqueId: '1', action: 'submit', data: { phone_number: '+14155550011' } }, '*')`,
			);
			return { page, reached: () => emulator.layerSubmissions.some((submission) => submission.link_token === token) };
		}
		const honest = await submitFromPageClaiming(site.origin);
		await until(async () => honest.reached(), true, 10_000);
		await honest.page.close();
		const impostor = await submitFromPageClaiming('http://127.0.0.1:9');
		await impostor.page.waitForTimeout(2_000);
		expect(impostor.reached()).toBe(false);
		await impostor.page.close();
	});
});

describe("Link's API answers Link's window only", () => {
	test('a page calling it directly is refused by CORS; no session starts', async () => {
		const sessionsBefore = emulator.linkSessions.size;
		const { page } = await open(site.serve('/direct', '<!DOCTYPE html><title>direct</title>'));
		const outcome = await page.evaluate(
			`fetch(${JSON.stringify(`${emulator.url}/emulator/link/session`)}, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(function () { return 'answered'; }, function (error) { return 'refused: ' + error.message; })`,
		);
		expect(outcome).toMatch(/^refused/);
		expect(emulator.linkSessions.size).toBe(sessionsBefore);
		await page.close();
	});
});
