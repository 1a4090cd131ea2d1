/**
 * Render Layer Onboarding Page without n8n: every embedded field escaped (no markup or script can
 * be injected through any of them), the Content-Security-Policy it emits and its per-render nonce,
 * the two page types, the checks on each field, and the browser-side phone and date rules.
 */
import fc from 'fast-check';
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	escapeHtml,
	jsonForScript,
	newNonce,
	type OnboardingPageSettings,
	PLAID_LINK_SCRIPT_URL,
	renderOnboardingPage,
} from '../../nodes/PlaidLayer/actions/onboardingPage/page';
import { DATE_SCRIPT, PAGE_SCRIPT, PHONE_SCRIPT } from '../../nodes/PlaidLayer/actions/onboardingPage/page-script';
import {
	buildOnboardingPage,
	type OnboardingPageInput,
	PAGE_DEFAULTS,
	readOnboardingPageSettings,
	renderLayerOnboardingPage,
} from '../../nodes/PlaidLayer/actions/onboardingPage/render.operation';
import { refusalOf } from '../support/refusal';

const node = { name: 'Plaid Layer', type: 'n8n-nodes-plaid-layer.plaidLayer' } as INode;
const at = (itemIndex = 0) => ({ node, itemIndex });

const TOKEN = 'link-sandbox-af1a0311-da53-4636-b754-dd15cc058176';
const EMULATOR = 'http://127.0.0.1:4010';

const NONCE = 'bm9uY2Utbm9uY2Utbm9uYw==';

const settings: OnboardingPageSettings = {
	pageType: 'token',
	linkToken: TOKEN,
	tokenUrl: '',
	environment: 'sandbox',
	fallback: 'message',
	fallbackTokenUrl: '',
	fallbackUrl: '',
	completeUrl: 'https://n8n.example.com/webhook/layer/onboarding/complete',
	linkScriptUrl: `${EMULATOR}/link/v2/stable/link-initialize.js`,
	pageTitle: 'Join Example Bank',
	brandColor: '#0a7c4a',
	logoUrl: 'https://img.example.com/logo.svg',
	phonePrompt: 'Your mobile number',
	successMessage: 'All done.',
	fallbackMessage: 'Please use our form.',
	defaultCountryCode: '1',
};

const render = (overrides: Partial<OnboardingPageSettings> = {}) => renderOnboardingPage({ ...settings, ...overrides }, NONCE);
const staticPage = (overrides: Partial<OnboardingPageSettings> = {}) =>
	render({ pageType: 'static', linkToken: '', tokenUrl: 'https://n8n.example.com/webhook/layer/static/start', ...overrides });
/** The same document with its nonce written as NONCE, to compare pages rendered with fresh nonces. */
const withFixedNonce = (text: string) => text.replace(/nonce(="|-)[A-Za-z0-9+/]{22}==/g, `nonce$1${NONCE}`);

/** The text between an element's start tag (matched by `open`) and the next `</tag>`. */
function elementText(html: string, open: RegExp, tag: string): string {
	const start = html.search(open);
	if (start < 0) throw new Error(`no element ${open}`);
	const body = html.indexOf('>', start) + 1;
	return html.slice(body, html.indexOf(`</${tag}>`, body));
}

const inlineScript = (html: string) => elementText(html, /<script nonce="[^"]*">/, 'script');
const configBlock = (html: string) => JSON.parse(elementText(html, /<script id="layer-config"/, 'script')) as Record<string, unknown>;
const style = (html: string) => elementText(html, /<style nonce="[^"]*">/, 'style');
const metaPolicy = (html: string) => {
	const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
	if (!match) throw new Error('no CSP meta tag');
	return match[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
};

/** Every tag name the document opens, in order: injected markup would add to this list. */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((match) => match[1].toLowerCase());

const INJECTIONS = [
	'</script><script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	"'><svg onload=alert(1)>",
	'</title></style></textarea><script>alert(1)</script>',
	'<!--<script>',
	'&lt;script&gt; &amp; &#x3c;',
	'line\u2028separator\u2029paragraph',
	'{{ $json.x }} ${alert(1)} `tick`',
];

describe('escaping: no field can add markup or script', () => {
	const baseline = tags(render().html);

	test('the page has exactly its own elements: one Link script, one JSON block, one inline script', () => {
		expect(baseline.filter((tag) => tag === 'script')).toHaveLength(3);
		expect(render().html.match(/<\/script>/g)).toHaveLength(3);
		expect(render().html).toContain(`<script nonce="${NONCE}" src="${EMULATOR}/link/v2/stable/link-initialize.js"></script>`);
	});

	const textFields = ['pageTitle', 'phonePrompt', 'successMessage', 'fallbackMessage'] as const;
	test.each(textFields.flatMap((field) => INJECTIONS.map((payload) => [field, payload] as const)))(
		'%s = %j is shown as text, HTML-escaped',
		(field, payload) => {
			const { html } = render({ [field]: payload });
			expect(tags(html)).toEqual(baseline);
			expect(html).toContain(escapeHtml(payload));
			if (/[<>"'&]/.test(payload)) expect(html).not.toContain(payload);
			// The same document as with a harmless value, but for the escaped text.
			const marker = 'MARKER-TEXT';
			expect(html).toBe(render({ [field]: marker }).html.split(marker).join(escapeHtml(payload)));
		},
	);

	test.each(INJECTIONS)('the link token %j reaches the script only as JSON, intact', (payload) => {
		const { html } = render({ linkToken: payload });
		expect(tags(html)).toEqual(baseline);
		if (/[<>&\u2028\u2029]/.test(payload)) expect(html).not.toContain(payload);
		expect(html).not.toMatch(/<\/script>\s*<script>alert/);
		expect(configBlock(html).linkToken).toBe(payload);
		expect(elementText(html, /<script id="layer-config"/, 'script')).not.toMatch(/[<>&\u2028\u2029]/);
	});

	test('the complete URL reaches the script only as JSON, intact, even with quotes and angle brackets', () => {
		const completeUrl = 'https://n8n.example.com/webhook/x?a="></script><script>alert(1)</script>&b=\u2028';
		const { html } = render({ completeUrl });
		expect(tags(html)).toEqual(baseline);
		expect(configBlock(html)).toEqual({ mode: 'token', linkToken: TOKEN, tokenUrl: '', completeUrl, fallback: 'message', fallbackTokenUrl: '', fallbackUrl: '', countryCode: '1', environment: null });
		expect(html).not.toContain('</script><script>alert');
	});

	test('the Link script and logo URLs are escaped inside their double-quoted attributes', () => {
		const linkScriptUrl = `${EMULATOR}/link.js?x="></script><script>alert(1)</script>`;
		const logoUrl = "https://img.example.com/l.svg?'\"><script>alert(2)</script>";
		const { html } = render({ linkScriptUrl, logoUrl });
		expect(tags(html)).toEqual(baseline);
		expect(html).toContain(`<script nonce="${NONCE}" src="${escapeHtml(linkScriptUrl)}"></script>`);
		expect(html).toContain(`<img id="logo" class="logo" src="${escapeHtml(logoUrl)}" alt="">`);
		expect(html).not.toContain('<script>alert');
	});

	test('a data: logo is embedded as an attribute value; no logo means no <img>', () => {
		const logoUrl = 'data:image/png;base64,iVBORw0KGgo=';
		expect(render({ logoUrl }).html).toContain(`src="${logoUrl}"`);
		expect(tags(render({ logoUrl: '' }).html)).not.toContain('img');
	});

	test('the renderer refuses a colour it cannot place in CSS safely, whatever called it', () => {
		for (const brandColor of ['red', '#12345', '#fff;}body{background:url(//x)}', '', '#ggg']) {
			expect(() => render({ brandColor })).toThrow('not a #rgb or #rrggbb colour');
		}
		expect(() => render({ defaultCountryCode: "1';alert(1)//" })).toThrow('not a calling code');
		expect(() => render({ linkScriptUrl: 'javascript:alert(1)' })).toThrow('not a web address');
	});

	test('jsonForScript escapes <, >, &, U+2028 and U+2029 and JSON.parse reads the value back', () => {
		const value = { a: '</script><!-- & \u2028\u2029 ]]>' };
		const text = jsonForScript(value);
		expect(text).toBe('{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 ]]\\u003e"}');
		expect(JSON.parse(text)).toEqual(value);
	});

	test('fuzz: any text in any field leaves the document structure as it is', () => {
		const risky = fc.string({
			unit: fc.constantFrom('<', '>', '&', '"', "'", '/', '!', '-', '[', ']', '`', '$', '{', '}', 's', 'c', 'r', 'i', 'p', 't', ' ', '\n', '\u2028', '\u2029', '\u0000', 'é', '😀'),
		});
		fc.assert(
			fc.property(risky, risky, risky, risky, risky, (pageTitle, phonePrompt, successMessage, fallbackMessage, linkToken) => {
				const { html } = render({ pageTitle, phonePrompt, successMessage, fallbackMessage, linkToken });
				expect(tags(html)).toEqual(baseline);
				expect(html.match(/<\/script/gi)).toHaveLength(3);
				expect(configBlock(html).linkToken).toBe(linkToken);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('Content-Security-Policy', () => {
	test("the header value: Plaid's directives for Link on the web, nonce variant, with only this page's origins", () => {
		const { contentSecurityPolicy } = render();
		expect(contentSecurityPolicy).toBe(
			[
				`default-src ${EMULATOR}`,
				`script-src 'nonce-${NONCE}' ${EMULATOR}/link/v2/stable/link-initialize.js`,
				`style-src 'nonce-${NONCE}'`,
				`style-src-elem 'nonce-${NONCE}'`,
				"style-src-attr 'unsafe-inline'",
				`img-src ${EMULATOR} https://img.example.com data:`,
				'connect-src https://n8n.example.com',
				`frame-src ${EMULATOR}`,
				"base-uri 'none'",
				"form-action 'none'",
				"frame-ancestors 'none'",
			].join('; '),
		);
	});

	test("the nonce is on the page's script, its stylesheet and Plaid's script tag, and nowhere else", () => {
		const { html, nonce } = render();
		expect(nonce).toBe(NONCE);
		expect(html.split(`nonce="${NONCE}"`)).toHaveLength(4);
		expect(inlineScript(html)).toBe(PAGE_SCRIPT);
		// The JSON block is data, not script: it needs no nonce.
		expect(html).toContain('<script id="layer-config" type="application/json">');
	});

	test('every render gets a fresh 128-bit nonce', () => {
		const nonces = new Set(Array.from({ length: 50 }, () => renderOnboardingPage(settings).nonce));
		expect(nonces.size).toBe(50);
		for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
		expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/);
		expect(() => renderOnboardingPage(settings, "x' 'unsafe-inline")).toThrow('not a 128-bit base64 nonce');
	});

	test("the page's meta tag carries the same policy, without frame-ancestors (ignored in a meta tag)", () => {
		const { html, contentSecurityPolicy, metaContentSecurityPolicy } = render();
		expect(metaPolicy(html)).toBe(metaContentSecurityPolicy);
		expect(contentSecurityPolicy).toBe(`${metaContentSecurityPolicy}; frame-ancestors 'none'`);
		// The policy comes before anything it governs.
		expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<style'));
	});

	test("nothing unsafe for scripts: no 'unsafe-inline' or 'unsafe-eval' but the style attributes Link needs, no wildcard", () => {
		for (const page of [render(), render({ linkScriptUrl: PLAID_LINK_SCRIPT_URL, completeUrl: '/webhook/x', logoUrl: '' }), staticPage()]) {
			const directives = page.contentSecurityPolicy.split('; ');
			expect(directives.filter((directive) => directive.includes('unsafe-'))).toEqual(["style-src-attr 'unsafe-inline'"]);
			expect(page.contentSecurityPolicy).not.toMatch(/\*|\bhttps?:(?!\/\/)|blob:/);
			expect(page.contentSecurityPolicy.match(/data:/g)).toHaveLength(1);
		}
	});

	test("Plaid's own script: Plaid's CDN, and the API of the link token's environment", () => {
		const sandbox = render({ linkScriptUrl: PLAID_LINK_SCRIPT_URL }).contentSecurityPolicy;
		expect(sandbox).toContain(`script-src 'nonce-${NONCE}' https://cdn.plaid.com/link/v2/stable/link-initialize.js;`);
		expect(sandbox).toContain('default-src https://cdn.plaid.com;');
		expect(sandbox).toContain('connect-src https://n8n.example.com https://sandbox.plaid.com;');
		expect(sandbox).toContain('frame-src https://cdn.plaid.com;');
		const production = render({ linkScriptUrl: PLAID_LINK_SCRIPT_URL, environment: 'production' }).contentSecurityPolicy;
		expect(production).toContain('connect-src https://n8n.example.com https://production.plaid.com;');
	});

	test('a stand-in script: its origin for the window; the page itself connects only to the complete URL', () => {
		expect(render().contentSecurityPolicy).toContain('connect-src https://n8n.example.com;');
		expect(configBlock(render().html).environment).toBeNull();
		expect(configBlock(render({ linkScriptUrl: PLAID_LINK_SCRIPT_URL }).html).environment).toBe('sandbox');
	});

	test("a complete path is 'self'; a data: logo or none adds no image origin; the same origin is named once", () => {
		expect(render({ completeUrl: '/webhook/layer/onboarding/complete' }).contentSecurityPolicy).toContain("connect-src 'self';");
		expect(render({ logoUrl: '' }).contentSecurityPolicy).toContain(`img-src ${EMULATOR} data:;`);
		expect(render({ logoUrl: 'data:image/gif;base64,R0lGOD==' }).contentSecurityPolicy).toContain(`img-src ${EMULATOR} data:;`);
		expect(render({ logoUrl: `${EMULATOR}/logo.png` }).contentSecurityPolicy).toContain(`img-src ${EMULATOR} data:;`);
		expect(render({ logoUrl: 'http://localhost:8080/logo.png' }).contentSecurityPolicy).toContain(`img-src ${EMULATOR} http://localhost:8080 data:;`);
	});

	test('the Link script source is its origin and path, never its query', () => {
		expect(render({ linkScriptUrl: `${EMULATOR}/link/v2/stable/link-initialize.js?v=2` }).contentSecurityPolicy).toContain(
			`script-src 'nonce-${NONCE}' ${EMULATOR}/link/v2/stable/link-initialize.js;`,
		);
		expect(() => render({ linkScriptUrl: `${EMULATOR}/x;script-src:*/l.js` })).toThrow('not a plain script path');
	});

	test('the inline script cannot close its own element', () => {
		expect(PAGE_SCRIPT).not.toMatch(/<\/script|<!--/i);
		expect(PAGE_SCRIPT).not.toContain('${');
	});
});

describe('the static page (hosted anywhere)', () => {
	test('no link token inside; the script gets the token URL, and the policy lets it connect there', () => {
		const { html, contentSecurityPolicy } = staticPage({ completeUrl: 'https://n8n.example.com/webhook/layer/static/complete' });
		expect(html).not.toContain('link-sandbox-');
		expect(configBlock(html)).toEqual({
			mode: 'static',
			linkToken: '',
			tokenUrl: 'https://n8n.example.com/webhook/layer/static/start',
			completeUrl: 'https://n8n.example.com/webhook/layer/static/complete',
			fallback: 'message',
			fallbackTokenUrl: '',
			fallbackUrl: '',
			countryCode: '1',
			environment: null,
		});
		expect(contentSecurityPolicy).toContain('connect-src https://n8n.example.com;');
		expect(staticPage({ tokenUrl: 'https://tokens.example.com/start' }).contentSecurityPolicy).toContain(
			'connect-src https://n8n.example.com https://tokens.example.com;',
		);
	});

	test("with Plaid's script, the chosen environment's API, and the script is told which environment to expect", () => {
		const page = staticPage({ linkScriptUrl: PLAID_LINK_SCRIPT_URL, environment: 'production' });
		expect(page.contentSecurityPolicy).toContain('https://production.plaid.com;');
		expect(page.contentSecurityPolicy).not.toContain('sandbox.plaid.com');
		expect(configBlock(page.html).environment).toBe('production');
	});
});

describe('the page', () => {
	test('stable ids for the browser tests, labels tied to their fields, a live status line', () => {
		const { html } = render();
		for (const id of ['phone', 'continue', 'status', 'fallback', 'success', 'sandboxed', 'dob', 'dob-continue', 'retry', 'phone-error', 'layer-config']) {
			expect(html).toContain(`id="${id}"`);
		}
		expect(html).toContain('<label for="phone">Your mobile number</label>');
		expect(html).toContain('<label for="dob">Date of birth</label>');
		expect(html).toContain('<p id="status" role="status" aria-live="polite" data-state="idle"></p>');
		expect(html).toMatch(/<input id="phone"[^>]* type="tel"[^>]* autocomplete="tel"/);
		expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
		expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
		expect(html).toContain('<body data-step="loading">');
		expect(html).toMatch(/<div id="success" tabindex="-1" hidden>/);
		expect(html).toMatch(/<div id="fallback" tabindex="-1" hidden>/);
		expect(html).toMatch(/<div id="sandboxed" tabindex="-1" role="alert" hidden>.*N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX=true.*Static Page/);
	});

	test('button text stays readable on the brand colour', () => {
		expect(style(render({ brandColor: '#0a7c4a' }).html)).toContain('color:#ffffff;background:#0a7c4a');
		expect(style(render({ brandColor: '#FFE600' }).html)).toContain('color:#1a1a1a;background:#ffe600');
	});

	test('the phone hint follows the default calling code', () => {
		expect(render().html).toContain('A US or Canadian number');
		expect(render({ defaultCountryCode: '44' }).html).toContain('read as a +44 number');
	});
});

describe('reading the fields', () => {
	const input: OnboardingPageInput = {
		linkToken: TOKEN,
		completeUrl: 'https://n8n.example.com/webhook/layer/onboarding/complete',
	};
	const read = (overrides: Partial<OnboardingPageInput>, itemIndex = 0) => readOnboardingPageSettings(at(itemIndex), { ...input, ...overrides });

	const refusal = (overrides: Partial<OnboardingPageInput>, itemIndex = 0): NodeOperationError => refusalOf(() => read(overrides, itemIndex));

	test('unset and blank options take the defaults', () => {
		const expected = { ...PAGE_DEFAULTS, pageType: 'token', linkToken: TOKEN, tokenUrl: '', environment: 'sandbox', fallback: 'message', fallbackTokenUrl: '', fallbackUrl: '', completeUrl: input.completeUrl };
		expect(read({})).toEqual(expected);
		expect(
			read({ pageTitle: '  ', brandColor: '', logoUrl: null, phonePrompt: undefined, successMessage: '', fallbackMessage: '\n', linkScriptUrl: '', defaultCountryCode: '' }),
		).toEqual(expected);
	});

	test("the properties' literal defaults are PAGE_DEFAULTS", () => {
		const options = (renderLayerOnboardingPage.properties.find((property) => property.name === 'options')!.options ?? []) as INodeProperties[];
		const defaults = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(defaults).toEqual({ ...PAGE_DEFAULTS });
		expect(renderLayerOnboardingPage.properties.find((property) => property.name === 'linkToken')!.default).toBe('={{ $json.link_token }}');
	});

	test('values are trimmed; colour lower-cased; a + before the calling code dropped', () => {
		expect(read({ linkToken: ` ${TOKEN}\n`, brandColor: '#ABC', defaultCountryCode: '+44', pageTitle: ' Hi ' })).toMatchObject({
			linkToken: TOKEN,
			brandColor: '#abc',
			defaultCountryCode: '44',
			pageTitle: 'Hi',
		});
	});

	test('accepted URLs: https anywhere, http for the complete URL and logo, http Link script only on localhost', () => {
		expect(read({ completeUrl: 'http://n8n.internal:5678/webhook/x' }).completeUrl).toBe('http://n8n.internal:5678/webhook/x');
		expect(read({ completeUrl: '/webhook/layer/onboarding/complete' }).completeUrl).toBe('/webhook/layer/onboarding/complete');
		expect(read({ linkScriptUrl: 'http://127.0.0.1:4010/link/v2/stable/link-initialize.js' }).linkScriptUrl).toBe(
			'http://127.0.0.1:4010/link/v2/stable/link-initialize.js',
		);
		expect(read({ linkScriptUrl: 'http://localhost/link.js' }).linkScriptUrl).toBe('http://localhost/link.js');
		expect(read({ logoUrl: 'data:image/svg+xml;base64,PHN2Zy8+' }).logoUrl).toBe('data:image/svg+xml;base64,PHN2Zy8+');
	});

	test.each<[string, Partial<OnboardingPageInput>, string]>([
		['Link Token', { linkToken: '' }, 'Link Token is empty [item 3]'],
		['Link Token', { linkToken: '</script><script>alert(1)</script>' }, 'Link Token is not a Plaid link token: "</script><script>alert(1)</script>" [item 3]'],
		['Link Token', { linkToken: 'public-sandbox-1234' }, 'Link Token is not a Plaid link token'],
		['Link Token', { linkToken: { link_token: TOKEN } }, 'Link Token must be text, but the value is an object [item 3]'],
		['Complete URL', { completeUrl: '' }, 'Complete URL is empty [item 3]'],
		['Complete URL', { completeUrl: 'javascript:alert(1)' }, 'Complete URL must start with https:// (it starts with javascript:)'],
		['Complete URL', { completeUrl: 'ftp://x.example.com/' }, 'Complete URL must start with https://'],
		['Complete URL', { completeUrl: 'webhook/x' }, 'Complete URL is not an absolute URL'],
		['Complete URL', { completeUrl: '//evil.example.com/x' }, 'Complete URL is not a plain path'],
		['Complete URL', { completeUrl: 'https://user:pw@n8n.example.com/x' }, 'Complete URL is not written as a plain web address'],
		['Complete URL', { completeUrl: 'https://n8n.example.com/a b' }, 'Complete URL is not written as a plain web address'],
		['Complete URL', { completeUrl: 'http://[::1]:5678/x' }, 'Complete URL uses an IPv6 address'],
		['Link Script URL', { linkScriptUrl: 'http://cdn.example.com/link.js' }, 'Link Script URL must use https://'],
		['Link Script URL', { linkScriptUrl: 'data:text/javascript,alert(1)' }, 'Link Script URL must start with https://'],
		['Logo URL', { logoUrl: 'javascript:alert(1)' }, 'Logo URL must start with https://'],
		['Logo URL', { logoUrl: 'data:text/html;base64,PHNjcmlwdD4=' }, 'Logo URL is a data URL but not a base64 PNG'],
		['Brand Color', { brandColor: 'red' }, 'Brand Color is not a colour in the form #rgb or #rrggbb: "red"'],
		['Brand Color', { brandColor: '#fff;}body{x:y}' }, 'Brand Color is not a colour'],
		['Brand Color', { brandColor: '#ffffff80' }, 'Brand Color is not a colour'],
		['Default Country Calling Code', { defaultCountryCode: '0' }, 'Default Country Calling Code is not a country calling code'],
		['Default Country Calling Code', { defaultCountryCode: '1234' }, 'Default Country Calling Code is not a country calling code'],
		['Page Title', { pageTitle: 'x'.repeat(121) }, 'Page Title is 121 characters long; at most 120 fit the page'],
		['Success Message', { successMessage: ['a'] }, 'Success Message must be text, but the value is a list'],
	])('%s: refuses %j', (_field, overrides, message) => {
		const error = refusal(overrides, 3);
		expect(error.message).toContain(message);
		expect(error.message).toMatch(/ \[item 3\]$/);
		expect(error.description).toEqual(expect.any(String));
		expect(error.context.itemIndex).toBe(3);
	});

	test('fuzz: any value in any field gives a page or a refusal naming that field, with a fix', () => {
		const value = fc.oneof(
			fc.string(),
			fc.constantFrom('', ' ', TOKEN, '#fff', '44', 'https://x.example.com/a', 'http://localhost/x', '/p', 'data:image/png;base64,AA=='),
			fc.integer(),
			fc.constant(null),
			fc.constant(undefined),
			fc.object(),
			fc.array(fc.string()),
		);
		const names: Record<keyof OnboardingPageInput, string> = {
			pageType: 'Page Type',
			tokenUrl: 'Token URL',
			fallback: 'If Layer Cannot Help',
			fallbackTokenUrl: 'Fallback Token URL',
			fallbackUrl: 'Fallback URL',
			plaidEnvironment: 'Plaid Environment',
			linkToken: 'Link Token',
			completeUrl: 'Complete URL',
			pageTitle: 'Page Title',
			brandColor: 'Brand Color',
			logoUrl: 'Logo URL',
			phonePrompt: 'Phone Number Prompt',
			successMessage: 'Success Message',
			fallbackMessage: 'Fallback Message',
			linkScriptUrl: 'Link Script URL',
			defaultCountryCode: 'Default Country Calling Code',
		};
		const field = fc.constantFrom(...(Object.keys(names) as Array<keyof OnboardingPageInput>));
		fc.assert(
			fc.property(field, value, fc.nat(20), (name, fieldValue, itemIndex) => {
				let output;
				try {
					output = buildOnboardingPage(at(itemIndex), { ...input, [name]: fieldValue });
				} catch (error) {
					expect(error).toBeInstanceOf(NodeOperationError);
					const { message, description } = error as NodeOperationError;
					expect(message.startsWith(`${names[name]} `)).toBe(true);
					expect(message.endsWith(` [item ${itemIndex}]`)).toBe(true);
					expect(description).toEqual(expect.stringMatching(/\S/));
					return;
				}
				const withoutLogo = (html: string) => tags(html).filter((tag) => tag !== 'img');
				expect(withoutLogo(output.html as string)).toEqual(withoutLogo(render().html));
				expect(tags(output.html as string).filter((tag) => tag === 'img').length).toBeLessThanOrEqual(1);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('the output item', () => {
	test("html, the header value, and the values used (link_token under Plaid's name)", () => {
		const output = buildOnboardingPage(at(), { linkToken: TOKEN, completeUrl: '/webhook/done', pageTitle: 'Hello' });
		const used = { ...PAGE_DEFAULTS, pageType: 'token', linkToken: TOKEN, tokenUrl: '', environment: 'sandbox', fallback: 'message', fallbackTokenUrl: '', fallbackUrl: '', completeUrl: '/webhook/done', pageTitle: 'Hello' } as const;
		const page = renderOnboardingPage(used, NONCE);
		expect({ ...output, html: withFixedNonce(output.html as string), contentSecurityPolicy: withFixedNonce(output.contentSecurityPolicy as string) }).toEqual({
			html: page.html,
			contentSecurityPolicy: page.contentSecurityPolicy,
			link_token: TOKEN,
			pageType: 'token',
			environment: 'sandbox',
			completeUrl: '/webhook/done',
			fallback: 'message',
			fallbackTokenUrl: '',
			fallbackUrl: '',
			linkScriptUrl: PLAID_LINK_SCRIPT_URL,
			pageTitle: 'Hello',
			brandColor: PAGE_DEFAULTS.brandColor,
			logoUrl: '',
			phonePrompt: PAGE_DEFAULTS.phonePrompt,
			successMessage: PAGE_DEFAULTS.successMessage,
			fallbackMessage: PAGE_DEFAULTS.fallbackMessage,
			defaultCountryCode: '1',
		});
	});

	test('a static page: its token URL and file name instead of a link token', () => {
		const output = buildOnboardingPage(at(), { pageType: 'static', tokenUrl: 'https://n8n.example.com/webhook/start', plaidEnvironment: 'production', completeUrl: 'https://n8n.example.com/webhook/done' });
		expect(output).toMatchObject({ pageType: 'static', tokenUrl: 'https://n8n.example.com/webhook/start', environment: 'production', fileName: 'index.html' });
		expect(output).not.toHaveProperty('link_token');
	});
});

describe('page types', () => {
	const read = (input: OnboardingPageInput) => readOnboardingPageSettings(at(2), input);
	const refusal = (input: OnboardingPageInput) => {
		try {
			read(input);
		} catch (error) {
			return error as NodeOperationError;
		}
		throw new Error('accepted');
	};

	test('a workflow saved before page types gets the page with its link token; the environment is the link token\'s', () => {
		expect(read({ linkToken: TOKEN, completeUrl: '/x' })).toMatchObject({ pageType: 'token', environment: 'sandbox', tokenUrl: '' });
		expect(read({ linkToken: 'link-production-af1a0311-da53-4636-b754-dd15cc058176', completeUrl: '/x' }).environment).toBe('production');
	});

	test('a static page needs a Token URL and no link token; Plaid Environment defaults to Sandbox', () => {
		expect(read({ pageType: 'static', tokenUrl: '/webhook/start', completeUrl: '/x' })).toMatchObject({ pageType: 'static', linkToken: '', tokenUrl: '/webhook/start', environment: 'sandbox' });
		const missing = refusal({ pageType: 'static', tokenUrl: ' ', completeUrl: '/x' });
		expect(missing.message).toBe('Token URL is empty [item 2]');
		expect(missing.description).toContain('answers {link_token}');
		expect(refusal({ pageType: 'static', tokenUrl: 'ftp://x.example.com', completeUrl: '/x' }).message).toContain('Token URL must start with https://');
		expect(refusal({ pageType: 'static', tokenUrl: '/t', plaidEnvironment: 'development', completeUrl: '/x' }).message).toBe(
			'Plaid Environment has an unknown value "development" [item 2]',
		);
	});

	test('an unknown page type is refused, naming the choices', () => {
		const error = refusal({ pageType: 'popup', linkToken: TOKEN, completeUrl: '/x' });
		expect(error.message).toBe('Page Type has an unknown value "popup" [item 2]');
		expect(error.description).toBe('Choose one of token, static.');
	});

	test('a Link Script URL whose path a policy cannot name is refused', () => {
		expect(refusal({ linkToken: TOKEN, completeUrl: '/x', linkScriptUrl: 'https://cdn.example.com/a;b/link.js' }).message).toBe(
			'Link Script URL has characters a Content-Security-Policy cannot name in its path: "/a;b/link.js" [item 2]',
		);
	});
});

describe('the fallback', () => {
	const read = (input: Partial<OnboardingPageInput>) => readOnboardingPageSettings(at(1), { linkToken: TOKEN, completeUrl: '/x', ...input });
	const refusal = (input: Partial<OnboardingPageInput>) => {
		try {
			read(input);
		} catch (error) {
			return error as NodeOperationError;
		}
		throw new Error('accepted');
	};

	test('unset (a node saved before the choice): the message, as before', () => {
		expect(read({})).toMatchObject({ fallback: 'message', fallbackTokenUrl: '', fallbackUrl: '' });
	});

	test('standard Link needs a Fallback Token URL; the policy lets the page connect there', () => {
		expect(refusal({ fallback: 'link' }).message).toBe('Fallback Token URL is empty [item 1]');
		expect(refusal({ fallback: 'link', fallbackTokenUrl: 'javascript:x' }).message).toContain('Fallback Token URL must start with https://');
		const settings = read({ fallback: 'link', fallbackTokenUrl: 'https://tokens.example.com/webhook/onboarding/fallback-token' });
		expect(settings).toMatchObject({ fallback: 'link', fallbackTokenUrl: 'https://tokens.example.com/webhook/onboarding/fallback-token' });
		const page = renderOnboardingPage(settings, NONCE);
		expect(page.contentSecurityPolicy).toContain("connect-src 'self' https://tokens.example.com https://sandbox.plaid.com;");
		expect(configBlock(page.html)).toMatchObject({ fallback: 'link', fallbackTokenUrl: 'https://tokens.example.com/webhook/onboarding/fallback-token' });
	});

	test('go to a URL needs a Fallback URL; it adds nothing the page connects to', () => {
		expect(refusal({ fallback: 'url' }).message).toBe('Fallback URL is empty [item 1]');
		const settings = read({ fallback: 'url', fallbackUrl: 'https://www.example.com/sign-up' });
		expect(renderOnboardingPage(settings, NONCE).contentSecurityPolicy).toContain("connect-src 'self' https://sandbox.plaid.com;");
		expect(configBlock(renderOnboardingPage(settings, NONCE).html)).toMatchObject({ fallback: 'url', fallbackUrl: 'https://www.example.com/sign-up' });
	});

	test('an unknown fallback is refused, naming the choices', () => {
		expect(refusal({ fallback: 'popup' }).message).toBe('If Layer Cannot Help has an unknown value "popup" [item 1]');
	});

	test('the two node versions: 1 keeps the message, 1.1 opens standard Link, as the property defaults say', () => {
		const fallbacks = renderLayerOnboardingPage.properties.filter((property) => property.name === 'fallback');
		expect(fallbacks.map((property) => [property.displayOptions?.show?.['@version'], property.default])).toEqual([
			[[1], 'message'],
			[[1.1], 'link'],
		]);
		expect(fallbacks[0].options).toEqual(fallbacks[1].options);
	});
});

describe('the browser rules', () => {
	const toE164 = new Function(`${PHONE_SCRIPT}; return toE164;`)() as (text: string, countryCode: string) => string | null;
	const toBirthDate = new Function(`${DATE_SCRIPT}; return toBirthDate;`)() as (text: string, today: string) => string | null;

	test.each<[string, string, string | null]>([
		['415-555-0011', '1', '+14155550011'],
		['(415) 555-0011', '1', '+14155550011'],
		['1 415 555 0011', '1', '+14155550011'],
		['+1 415.555.0011', '1', '+14155550011'],
		[' 4155550000 ', '1', '+14155550000'],
		['+44 20 7946 0958', '1', '+442079460958'],
		['0044 20 7946 0958', '1', '+442079460958'],
		['020 7946 0958', '44', '+442079460958'],
		['06 1234 5678', '39', '+390612345678'],
		['555-0011', '1', null],
		['+1 015 555 0011', '1', null],
		['415-555-0011 ext 2', '1', null],
		['4+15-555-0011', '1', null],
		['+1234567', '1', null],
		['+1234567890123456', '44', null],
		['', '1', null],
		['<script>', '1', null],
	])('phone %j with default +%s → %j', (text, countryCode, expected) => {
		expect(toE164(text, countryCode)).toBe(expected);
	});

	test.each<[string, string | null]>([
		['1975-01-18', '1975-01-18'],
		['2000-02-29', '2000-02-29'],
		['1975-02-30', null],
		['1899-12-31', null],
		['2030-01-01', null],
		['18/01/1975', null],
		['', null],
	])('date of birth %j → %j', (text, expected) => {
		expect(toBirthDate(text, '2026-06-01')).toBe(expected);
	});

	test('the page script is the one the page runs, with both rules in it', () => {
		expect(PAGE_SCRIPT).toContain(PHONE_SCRIPT);
		expect(PAGE_SCRIPT).toContain(DATE_SCRIPT);
		// It parses as a script (a syntax error would only show in a browser otherwise).
		expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
	});
});
