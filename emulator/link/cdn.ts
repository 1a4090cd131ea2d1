/**
 * The emulator's Link origin: the stand-in for https://cdn.plaid.com, on a port of its own so
 * that the page, Link's window and the Plaid API are three origins, as they are with Plaid. It
 * serves link-initialize.js (for the page) and Link's window (the document inside the iframe the
 * script injects), with the policy of a page that embeds nothing inline.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const LINK_SCRIPT_PATH = '/link/v2/stable/link-initialize.js';
export const LINK_WINDOW_PATH = '/link/v2/stable/link.html';
const WINDOW_SCRIPT_PATH = '/link/v2/stable/link-window.js';
const WINDOW_STYLE_PATH = '/link/v2/stable/link-window.css';

const files = new Map<string, string>();
function file(name: string): string {
	let text = files.get(name);
	if (text === undefined) {
		text = readFileSync(join(__dirname, name), 'utf8');
		files.set(name, text);
	}
	return text;
}

function escapeAttribute(text: string): string {
	return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Link's window. Everything it shows is in the markup; link-window.js switches screens. */
function linkWindowHtml(apiOrigin: string): string {
	return `<!DOCTYPE html>
<html lang="en" data-api="${escapeAttribute(apiOrigin)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plaid Link (emulator)</title>
<link rel="stylesheet" href="${WINDOW_STYLE_PATH}">
<script src="${WINDOW_SCRIPT_PATH}" defer></script>
</head>
<body>
<div class="dialog" role="dialog" aria-modal="true" aria-labelledby="brand">
<p id="brand" class="brand">Plaid <span class="hint">(emulator)</span></p>
<button id="close" type="button" aria-label="Close">×</button>
<p id="fatal" class="error" hidden></p>
<section id="screen-loading" data-screen><p>Loading…</p></section>
<section id="screen-otp" data-screen hidden>
<h2>Verify your phone</h2>
<form id="otp-form" novalidate>
<label for="otp">Enter the code sent to <span id="otp-phone"></span></label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
<p class="hint">Sandbox code: 123456</p>
<p id="otp-error" class="error" hidden></p>
<button id="otp-submit" class="primary" type="submit">Continue</button>
</form>
</section>
<section id="screen-share" data-screen hidden>
<h2>Share your details</h2>
<dl><dt>Name</dt><dd id="profile-name"></dd><dt>Email</dt><dd id="profile-email"></dd><dt>Bank accounts</dt><dd id="profile-banks"></dd></dl>
<button id="share" class="primary" type="button">Share</button>
</section>
<section id="screen-institutions" data-screen hidden>
<h2>Select your bank</h2>
<div id="institutions"></div>
</section>
<section id="screen-login" data-screen hidden>
<h2 id="login-title">Log in</h2>
<form id="login-form" novalidate>
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<p class="hint">Sandbox login: user_good / pass_good</p>
<p id="login-error" class="error" hidden></p>
<button id="login-submit" class="primary" type="submit">Submit</button>
</form>
</section>
<section id="screen-done" data-screen hidden><h2>Done</h2></section>
</div>
</body>
</html>
`;
}

export interface LinkCdnAnswer {
	status: number;
	headers: Record<string, string>;
	text: string;
}

/** What the Link origin answers for one request. */
export function answerLinkCdn(method: string, rawPath: string, apiOrigin: string): LinkCdnAnswer {
	const path = new URL(rawPath, 'http://link').pathname;
	if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { Allow: 'GET, HEAD' }, text: '' };
	const asset = (type: string, text: string): LinkCdnAnswer => ({
		status: 200,
		headers: {
			'Content-Type': `${type}; charset=utf-8`,
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff',
			// A classic script or stylesheet from another origin needs no CORS, only this.
			'Cross-Origin-Resource-Policy': 'cross-origin',
		},
		text: method === 'HEAD' ? '' : text,
	});
	switch (path) {
		case LINK_SCRIPT_PATH:
			return asset('application/javascript', file('link-initialize.js'));
		case WINDOW_SCRIPT_PATH:
			return asset('application/javascript', file('link-window.js'));
		case WINDOW_STYLE_PATH:
			return asset('text/css', file('link-window.css'));
		case LINK_WINDOW_PATH: {
			const answer = asset('text/html', linkWindowHtml(apiOrigin));
			// Link's window runs only its own files and talks only to the API. No frame-ancestors: any page may frame it.
			answer.headers['Content-Security-Policy'] = [
				"default-src 'none'",
				"script-src 'self'",
				"style-src 'self'",
				"img-src 'self' data:",
				`connect-src ${apiOrigin}`,
				"base-uri 'none'",
				"form-action 'none'",
			].join('; ');
			return answer;
		}
		default:
			return { status: 404, headers: { 'Content-Type': 'text/plain' }, text: 'not found' };
	}
}

/** The Link origin's own listener on 127.0.0.1. */
export class LinkCdn {
	private constructor(
		private readonly server: Server,
		readonly origin: string,
	) {}

	static async start(apiOrigin: string, port = 0): Promise<LinkCdn> {
		const server = createServer((request, response) => {
			const sent = answerLinkCdn(request.method ?? 'GET', request.url ?? '/', apiOrigin);
			response.writeHead(sent.status, sent.headers);
			response.end(sent.text);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve());
		});
		const { port: bound } = server.address() as AddressInfo;
		return new LinkCdn(server, `http://127.0.0.1:${bound}`);
	}

	/** The URL the page's Link Script URL points at. */
	get scriptUrl(): string {
		return `${this.origin}${LINK_SCRIPT_PATH}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
