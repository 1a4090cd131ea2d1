/**
 * The Layer onboarding page as one self-contained HTML document, and the Content-Security-Policy
 * that goes with it. Settings (and a nonce) in, text out. Every value is embedded by one of three
 * routes only: HTML-escaped text or double-quoted attribute, a validated colour in the stylesheet,
 * or JSON (with <, >, &, U+2028 and U+2029 escaped) in a `<script type="application/json">` block
 * that the inline script reads with JSON.parse.
 *
 * The policy is the one Plaid documents for Link on the web (plaid.com/docs/link/web, "CSP
 * directives", nonce variant; react-plaid-link README "Content Security Policy nonce"): a nonce,
 * fresh for every render, allows the page's own script and stylesheet and Plaid's script tag, whose
 * nonce link-initialize.js gives the stylesheet it injects; `style-src-attr 'unsafe-inline'`
 * because Link shows its window through style attributes; Link's origin in frame-src; Plaid's API
 * for the environment in connect-src. Hashes would not do: Plaid will not support hash-based CSP
 * for its script, which changes often (react-plaid-link#118). Scripts never get 'unsafe-inline'.
 */
import { randomBytes } from 'node:crypto';

import { PAGE_SCRIPT } from './page-script';

/** `token`: served by n8n with its link token inside; `static`: hosted anywhere, fetches its token. */
export type OnboardingPageType = 'token' | 'static';

/** What the page does when Layer cannot help: open standard Link, go to a URL, or show the fallback message. */
export type OnboardingFallback = 'link' | 'url' | 'message';

/** Plaid environments, named as in link tokens (`link-sandbox-…`, `link-production-…`). */
export type LinkEnvironment = 'sandbox' | 'production';

/** Validated settings of one page (see `readOnboardingPageSettings` for the checks). */
export interface OnboardingPageSettings {
	pageType: OnboardingPageType;
	/** The link_token from /session/token/create (page type `token`), else ''. */
	linkToken: string;
	/** Where a static page POSTs `{ user_id }` for its link_token (page type `static`), else ''. */
	tokenUrl: string;
	/** Whose API Plaid's own Link script talks to; from the link token, or chosen for a static page. */
	environment: LinkEnvironment;
	/** Where the page POSTs the result: an absolute http(s) URL, or a path on the page's own origin. */
	completeUrl: string;
	fallback: OnboardingFallback;
	/** Where the page POSTs `{ phone_number, date_of_birth, link_token }` for a standard Link token (fallback `link`), else ''. */
	fallbackTokenUrl: string;
	/** Where the visitor goes (fallback `url`), else ''. */
	fallbackUrl: string;
	/** Plaid's link-initialize.js, or a stand-in (https, or http on localhost / 127.0.0.1). */
	linkScriptUrl: string;
	pageTitle: string;
	/** `#rgb` or `#rrggbb`. */
	brandColor: string;
	/** An http(s) or `data:image/…;base64,` URL, or '' for no logo. */
	logoUrl: string;
	phonePrompt: string;
	successMessage: string;
	fallbackMessage: string;
	/** Calling code added to numbers typed without one, digits only, e.g. `1` or `44`. */
	defaultCountryCode: string;
}

export interface RenderedOnboardingPage {
	/** The whole document, UTF-8, to answer with `Content-Type: text/html; charset=utf-8`. */
	html: string;
	/**
	 * The policy as a `Content-Security-Policy` header, for servers that pass one through. n8n 2.41's
	 * webhooks do not (they send their own sandbox policy), so the page also carries it in a meta tag.
	 */
	contentSecurityPolicy: string;
	/** The same policy as the page's `<meta http-equiv>` carries (browsers ignore frame-ancestors there). */
	metaContentSecurityPolicy: string;
	/** The nonce in the policy and on the page's script and style elements. */
	nonce: string;
}

export const PLAID_LINK_SCRIPT_URL = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';
const PLAID_CDN_ORIGIN = 'https://cdn.plaid.com';

/** Where Plaid's own Link script talks to besides its CDN, as Plaid's CSP guidance lists them. */
export const PLAID_API_ORIGINS: Record<LinkEnvironment, string> = {
	sandbox: 'https://sandbox.plaid.com',
	production: 'https://production.plaid.com',
};

/** 128 random bits, base64: a CSP nonce (CSP3 asks for at least 128 bits, unguessable per response). */
export function newNonce(): string {
	return randomBytes(16).toString('base64');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/**
 * JSON that can sit inside a `<script>` element: no `</script>`, `<!--` or `]]>` can form, and
 * U+2028/U+2029 cannot end a line in older parsers. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
	return JSON.stringify(value).replace(
		/[<>&\u2028\u2029]/g,
		(character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}


const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

function channels(color: string): [number, number, number] {
	const hex = color.length === 4 ? color.replace(/[0-9a-f]/gi, (digit) => digit + digit).slice(1) : color.slice(1);
	return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance. */
function luminance(color: string): number {
	const [r, g, b] = channels(color).map((channel) => {
		const c = channel / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
	const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (light + 0.05) / (dark + 0.05);
}

const INK = '#1a1a1a';
const ERROR_RED = '#b42318';

/** The stylesheet: mobile first, the brand colour on buttons and focus rings, text kept readable. */
export function pageStyle(brandColor: string): string {
	if (!HEX_COLOR.test(brandColor)) throw new Error(`not a #rgb or #rrggbb colour: ${JSON.stringify(brandColor)}`);
	const brand = brandColor.toLowerCase();
	// Button text: white when it reads on the brand colour (WCAG AA), else near-black.
	const onBrand = contrast(brand, '#ffffff') >= 4.5 ? '#ffffff' : INK;
	// A focus ring must stand out from the white card (3:1); a pale brand colour would not.
	const ring = contrast(brand, '#ffffff') >= 3 ? brand : INK;
	return [
		'*,*::before,*::after{box-sizing:border-box}',
		'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
		`body{margin:0;min-height:100vh;display:flex;justify-content:center;align-items:flex-start;background:#f3f4f6;color:${INK};font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}`,
		'main{width:100%;max-width:28rem;margin:2.5rem 1rem;padding:1.75rem 1.5rem;background:#ffffff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}',
		'@media (max-width:30rem){main{margin:0;min-height:100vh;border-radius:0;box-shadow:none;padding:1.5rem 1.25rem}}',
		'.logo{display:block;max-width:60%;max-height:3rem;margin:0 0 1.25rem}',
		'h1{margin:0 0 1.25rem;font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}',
		'label{display:block;margin:0 0 .375rem;font-weight:600;overflow-wrap:anywhere}',
		`input{display:block;width:100%;min-height:2.75rem;margin:0;padding:.625rem .75rem;font:inherit;font-size:1rem;color:${INK};background:#ffffff;border:1px solid #6b7280;border-radius:8px}`,
		`input[aria-invalid="true"]{border-color:${ERROR_RED};border-width:2px}`,
		'.hint{margin:.375rem 0 0;font-size:.875rem;color:#4b5563;overflow-wrap:anywhere}',
		`.field-error{margin:.375rem 0 0;font-size:.875rem;font-weight:600;color:${ERROR_RED}}`,
		`button{display:block;width:100%;min-height:2.75rem;margin:1rem 0 0;padding:.625rem 1rem;font:inherit;font-weight:600;color:${onBrand};background:${brand};border:0;border-radius:8px;cursor:pointer}`,
		'button:disabled{opacity:.6;cursor:progress}',
		`:focus-visible{outline:3px solid ${ring};outline-offset:2px}`,
		'#status{min-height:1.5rem;margin:1rem 0 0;overflow-wrap:anywhere}',
		`#status[data-state="error"]{color:${ERROR_RED};font-weight:600}`,
		'#status[data-state="busy"]::before{content:"";display:inline-block;width:1em;height:1em;margin-right:.5em;vertical-align:-.15em;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}',
		'@keyframes spin{to{transform:rotate(360deg)}}',
		'@media (prefers-reduced-motion:reduce){#status[data-state="busy"]::before{animation:none}}',
		'.message{margin:0;white-space:pre-line;overflow-wrap:anywhere}',
		'#success,#fallback,#sandboxed{margin:.75rem 0 0}',
		'#success:focus,#fallback:focus,#sandboxed:focus{outline:none}',
		'[hidden]{display:none!important}',
	].join('\n');
}

function originOf(url: string): string {
	const { protocol, origin } = new URL(url);
	if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`not a web address: ${JSON.stringify(url)}`);
	return origin;
}

/** Distinct sources in the order given. */
function sources(...list: string[]): string {
	return [...new Set(list)].join(' ');
}

/** The Link script as a CSP source: its origin and path (a source cannot carry a query). */
function scriptSource(url: string): string {
	const { origin, pathname } = new URL(url);
	if (!/^[A-Za-z0-9/._~%-]*$/.test(pathname)) throw new Error(`not a plain script path: ${JSON.stringify(pathname)}`);
	return `${origin}${pathname}`;
}

/** The directives of the page's policy; the header adds frame-ancestors, which a meta tag cannot carry. */
export function pagePolicy(settings: OnboardingPageSettings, nonce: string): string {
	if (!/^[A-Za-z0-9+/]{22}==$/.test(nonce)) throw new Error(`not a 128-bit base64 nonce: ${JSON.stringify(nonce)}`);
	const link = originOf(settings.linkScriptUrl);
	const endpoint = (url: string) => (url.startsWith('/') ? "'self'" : originOf(url));
	const token = [
		...(settings.pageType === 'static' ? [endpoint(settings.tokenUrl)] : []),
		...(settings.fallback === 'link' ? [endpoint(settings.fallbackTokenUrl)] : []),
	];
	// Plaid's script talks to the environment's API from the page; a stand-in's window does that itself.
	const plaidApi = link === PLAID_CDN_ORIGIN ? [PLAID_API_ORIGINS[settings.environment]] : [];
	const logo = settings.logoUrl === '' || settings.logoUrl.startsWith('data:') ? [] : [originOf(settings.logoUrl)];
	const allowed = `'nonce-${nonce}'`;
	return [
		`default-src ${link}`,
		`script-src ${allowed} ${scriptSource(settings.linkScriptUrl)}`,
		`style-src ${allowed}`,
		`style-src-elem ${allowed}`,
		"style-src-attr 'unsafe-inline'",
		`img-src ${sources(link, ...logo, 'data:')}`,
		`connect-src ${sources(endpoint(settings.completeUrl), ...token, ...plaidApi)}`,
		`frame-src ${link}`,
		"base-uri 'none'",
		"form-action 'none'",
	].join('; ');
}

// The inline script must not be able to end its own element early.
if (/<\/script|<!--/i.test(PAGE_SCRIPT)) throw new Error('the page script contains </script or <!--');

function phoneHint(countryCode: string): string {
	return countryCode === '1'
		? 'A US or Canadian number, e.g. (415) 555-0011. For other countries, start with + and the country code.'
		: `Start with + and the country code; a number without it is read as a +${countryCode} number.`;
}

/** What a visitor sees when the page runs inside n8n's webhook sandbox, and what the site owner can do. */
export const SANDBOXED_MESSAGE = 'This page cannot run Plaid here, so your details cannot be filled in automatically. Please try again later.';
export const SANDBOXED_HELP =
	"For the site owner: n8n serves webhook pages in a sandbox in which Plaid Link cannot run. On self-hosted n8n, set N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX=true; or render a Static Page and host it on your own site (this works with n8n Cloud).";

/** The page and its policy. Throws (a programming error) on settings that were not validated. */
export function renderOnboardingPage(settings: OnboardingPageSettings, nonce: string = newNonce()): RenderedOnboardingPage {
	if (!/^[1-9][0-9]{0,2}$/.test(settings.defaultCountryCode)) {
		throw new Error(`not a calling code: ${JSON.stringify(settings.defaultCountryCode)}`);
	}
	const style = pageStyle(settings.brandColor);
	const policy = pagePolicy(settings, nonce);
	const config = {
		mode: settings.pageType,
		linkToken: settings.linkToken,
		tokenUrl: settings.tokenUrl,
		completeUrl: settings.completeUrl,
		fallback: settings.fallback,
		fallbackTokenUrl: settings.fallbackTokenUrl,
		fallbackUrl: settings.fallbackUrl,
		countryCode: settings.defaultCountryCode,
		// Only Plaid's own script ties the page to an environment (its connect-src).
		environment: originOf(settings.linkScriptUrl) === PLAID_CDN_ORIGIN ? settings.environment : null,
	};
	const text = escapeHtml;
	const html = [
		'<!DOCTYPE html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		`<meta http-equiv="Content-Security-Policy" content="${text(policy)}">`,
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="referrer" content="no-referrer">',
		'<meta name="robots" content="noindex, nofollow">',
		`<title>${text(settings.pageTitle)}</title>`,
		'<link rel="icon" href="data:,">',
		`<style nonce="${nonce}">${style}</style>`,
		`<script nonce="${nonce}" src="${text(settings.linkScriptUrl)}"></script>`,
		'</head>',
		'<body data-step="loading">',
		'<main id="onboarding" aria-labelledby="title" aria-busy="false">',
		...(settings.logoUrl ? [`<img id="logo" class="logo" src="${text(settings.logoUrl)}" alt="">`] : []),
		`<h1 id="title">${text(settings.pageTitle)}</h1>`,
		'<noscript><p>This page needs JavaScript to continue.</p></noscript>',
		'<form id="phone-form" novalidate>',
		`<label for="phone">${text(settings.phonePrompt)}</label>`,
		'<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required aria-invalid="false" aria-describedby="phone-hint phone-error">',
		`<p id="phone-hint" class="hint">${text(phoneHint(settings.defaultCountryCode))}</p>`,
		'<p id="phone-error" class="field-error" hidden></p>',
		'<button id="continue" type="submit">Continue</button>',
		'</form>',
		'<form id="dob-form" novalidate hidden>',
		'<p id="dob-intro" class="hint">We could not find your details by phone number alone. Your date of birth may help.</p>',
		'<label for="dob">Date of birth</label>',
		'<input id="dob" name="dob" type="date" autocomplete="bday" required aria-invalid="false" aria-describedby="dob-intro dob-error">',
		'<p id="dob-error" class="field-error" hidden></p>',
		'<button id="dob-continue" type="submit">Continue</button>',
		'</form>',
		'<p id="status" role="status" aria-live="polite" data-state="idle"></p>',
		'<button id="retry" type="button" hidden>Try again</button>',
		`<div id="success" tabindex="-1" hidden><p class="message">${text(settings.successMessage)}</p></div>`,
		`<div id="fallback" tabindex="-1" hidden><p class="message">${text(settings.fallbackMessage)}</p></div>`,
		`<div id="sandboxed" tabindex="-1" role="alert" hidden><p class="message">${text(SANDBOXED_MESSAGE)}</p><p class="hint">${text(SANDBOXED_HELP)}</p></div>`,
		'</main>',
		`<script id="layer-config" type="application/json">${jsonForScript(config)}</script>`,
		`<script nonce="${nonce}">${PAGE_SCRIPT}</script>`,
		'</body>',
		'</html>',
		'',
	].join('\n');
	return { html, contentSecurityPolicy: `${policy}; frame-ancestors 'none'`, metaContentSecurityPolicy: policy, nonce };
}
