/**
 * Debian's chromium, headless, driven by playwright-core (no browser download), with a fresh
 * profile and background networking off. Every request to anything but 127.0.0.1 is aborted
 * and recorded, so a test can show the editor never reached off this machine.
 */
import { existsSync } from 'node:fs';

import { chromium, selectors, type Browser, type BrowserContext, type BrowserServer, type Page } from 'playwright-core';

import { OWNER, type Owner } from './n8n';
import { forgetGroup, recordGroup } from './process-groups';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-breakpad',
	'--disable-crash-reporter',
	'--disable-dev-shm-usage',
];

export interface EditorBrowser {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** Requests the page tried to send off 127.0.0.1 (aborted). */
	blocked: string[];
	close(): Promise<void>;
}

export async function openBrowser(): Promise<EditorBrowser> {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get update && apt-get install -y chromium (or set E2E_CHROMIUM)`);
	// launchServer, not launch: its process id goes to the pid folder run.sh cleans up.
	// Playwright gives every launch a fresh temporary --user-data-dir and removes it on close.
	const server: BrowserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
	const pid = server.process().pid;
	if (pid) recordGroup('chromium', pid);
	const browser = await chromium.connect(server.wsEndpoint());
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
	const blocked: string[] = [];
	await context.route('**/*', async (route) => {
		const url = new URL(route.request().url());
		if (['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') await route.continue();
		else {
			blocked.push(route.request().url());
			await route.abort('blockedbyclient');
		}
	});
	// n8n's editor marks its elements with data-test-id.
	selectors.setTestIdAttribute('data-test-id');
	const page = await context.newPage();
	return {
		browser,
		context,
		page,
		blocked,
		async close() {
			await context.close().catch(() => undefined);
			await browser.close().catch(() => undefined);
			await server.close().catch(() => undefined);
			if (pid) forgetGroup('chromium', pid);
		},
	};
}

/** Signs in through n8n's sign-in form, as a user does. */
export async function signIn(page: Page, baseUrl: string, owner: Owner = OWNER): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.getByLabel('Email').fill(owner.email);
	await page.getByLabel('Password').fill(owner.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}
