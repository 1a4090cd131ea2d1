/**
 * The package in n8n's editor, in a real (headless) chromium: the Create Layer Session Token
 * panel and the Plaid Layer API credential dialog show the display names saved workflows and
 * users rely on, the Plaid Trigger shows the production URL the HTTP tests call and the example's
 * event saved with the first version's value as a valid choice, and screenshots
 * of the panel and the dialog go to docs/ for the README.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { openBrowser, signIn, type EditorBrowser } from '../../e2e/browser';
import { repoRoot } from '../../e2e/install';
import { startStack, type Stack } from '../../e2e/stack';

const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? join(repoRoot, 'docs');

let stack: Stack;
let ui: EditorBrowser;
let page: Page;

beforeAll(async () => {
	stack = await startStack();
	ui = await openBrowser();
	page = ui.page;
	await signIn(page, stack.n8n.url);
	mkdirSync(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
	await ui?.close();
	await stack?.stop();
});

async function openNode(workflowId: string, nodeName: string): Promise<void> {
	await page.goto(`${stack.n8n.url}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor();
	await node.dblclick();
	await page.getByTestId('ndv').waitFor();
	await page.getByTestId('node-parameters').waitFor();
}

/** Display names of the parameters the panel shows (their labels), in order. */
async function parameterLabels(): Promise<string[]> {
	const labels = await page.getByTestId('node-parameters').getByTestId('parameter-item').locator('label').allInnerTexts();
	// A label's text also holds its Fixed/Expression switch on later lines.
	return labels.map((label) => label.split('\n')[0].trim()).filter(Boolean);
}

describe('Create Layer Session Token in the node panel', () => {
	beforeAll(async () => {
		await page.setViewportSize({ width: 1440, height: 1100 });
		await openNode(stack.start.id, 'Create Layer Session Token');
	});

	test("shows Template ID, Create User First (on, as in the example) and Client User ID; turned off, User ID appears in its place", async () => {
		const panel = page.getByTestId('node-parameters');
		for (const name of ['Credential', 'Resource', 'Operation', 'Template ID', 'Create User First', 'Client User ID', 'Additional Fields']) {
			await expectVisible(panel.getByText(name, { exact: true }), name);
		}
		expect(await inputValue('parameter-input-resource')).toBe('Session Token');
		expect(await inputValue('parameter-input-operation')).toBe('Create Layer Session Token');
		expect(await inputValue('node-credentials-select')).toBe('Plaid Layer account');
		expect(await inputValue('parameter-input-templateId')).toBe('template_layer_demo');
		const shown = ['Credential', 'Resource', 'Operation', 'Template ID', 'Create User First', 'Client User ID', 'Additional Fields'];
		expect((await parameterLabels()).slice(0, 7)).toEqual(shown);

		// n8n's switch: a hidden checkbox (role switch) inside the visible .el-switch a user clicks.
		const switchInput = page.getByTestId('parameter-input-createUser').getByRole('switch');
		const createUser = page.getByTestId('parameter-input-createUser').locator('.el-switch');
		expect(await switchInput.getAttribute('aria-checked')).toBe('true');
		await createUser.click();
		await expectVisible(panel.getByText('User ID', { exact: true }), 'User ID');
		expect((await parameterLabels()).slice(0, 8)).toEqual([...shown.slice(0, 5), 'User ID', ...shown.slice(5)]);
		await createUser.click();
		await panel.getByText('User ID', { exact: true }).waitFor({ state: 'hidden' });
	});

	test('Additional Fields offers and adds Redirect URI, Android Package Name and Webhook URL', async () => {
		const add = page.getByTestId('collection-parameter-add').first();
		await add.click();
		const offered = (await page.getByTestId('collection-parameter-option').allInnerTexts()).map((text) => text.trim());
		expect(offered).toEqual(expect.arrayContaining(['Redirect URI', 'Android Package Name', 'Webhook URL']));
		await page.keyboard.press('Escape');

		for (const name of ['Redirect URI', 'Android Package Name', 'Webhook URL']) {
			await add.click();
			await page.getByTestId('collection-parameter-option').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) }).click();
			await expectVisible(page.getByTestId('node-parameters').getByText(name, { exact: true }), name);
		}
		for (const field of ['redirectUri', 'androidPackageName', 'webhook']) {
			await expectVisible(page.getByTestId(`parameter-input-${field}`), `the ${field} input`);
		}
		expect(await parameterLabels()).toEqual(
			expect.arrayContaining(['Template ID', 'Create User First', 'Client User ID', 'Redirect URI', 'Android Package Name', 'Webhook URL']),
		);

		await page.mouse.move(0, 0); // no hover highlight in the picture
		// The parameters, down to the last one (the panel's empty space below is left out).
		const panel = (await page.getByTestId('node-parameters').boundingBox())!;
		const bottom = await page
			.getByTestId('node-parameters')
			.getByTestId('parameter-item')
			.evaluateAll((items) => Math.max(...items.map((item) => item.getBoundingClientRect().bottom)));
		await page.screenshot({
			path: join(SCREENSHOTS, 'node-panel.png'),
			animations: 'disabled',
			clip: { x: panel.x, y: panel.y, width: panel.width, height: Math.min(panel.height, bottom - panel.y + 16) },
		});
	});
});

describe('the Plaid Layer API credential dialog', () => {
	test('shows Environment, Base URL (Custom Base URL), Client ID and Secret, and the test passes', async () => {
		// n8n tests a credential when its dialog opens: POST /rest/credentials/test (/institutions/get on the emulator).
		const tested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'));
		await page.getByTestId('credential-edit-button').click();
		const dialog = page.getByTestId('editCredential-modal');
		await dialog.waitFor();
		expect(((await (await tested).json()) as { data: unknown }).data).toEqual({ status: 'OK', message: 'Connection successful!' });

		await expectVisible(dialog.getByText('Plaid Layer API', { exact: true }), 'the credential type');
		for (const name of ['Environment', 'Base URL', 'Client ID', 'Secret']) {
			await expectVisible(dialog.getByText(name, { exact: true }), name);
		}
		expect(await inputValue('parameter-input-environment')).toBe('Custom Base URL');
		expect(await inputValue('parameter-input-baseUrl')).toBe(stack.emulator.url);
		expect(await inputValue('parameter-input-clientId')).toBe(stack.emulator.clientId);
		// The secret is a password field and never sent back to the browser in clear.
		const secret = dialog.getByTestId('parameter-input-secret').locator('input');
		expect(await secret.getAttribute('type')).toBe('password');
		expect(await secret.inputValue()).not.toBe(stack.emulator.secret);
		await expectVisible(dialog.getByText('Connection tested successfully'), 'the passed credential test');

		await expectVisible(dialog.getByRole('button', { name: 'Retry' }), 'the Retry button after the test');
		await page.mouse.move(0, 0);
		await page.waitForTimeout(1_000); // the banner's Retry button fades in
		await dialog.screenshot({ path: join(SCREENSHOTS, 'credential-dialog.png'), animations: 'disabled' });
		await page.keyboard.press('Escape');
	});
});

describe('the Plaid Trigger in the editor', () => {
	test('shows the production URL that Plaid (here: the emulator) is given', async () => {
		await page.setViewportSize({ width: 1440, height: 900 });
		await openNode(stack.finish.id, 'Plaid Trigger');
		const panel = page.getByTestId('node-parameters');
		await panel.getByText('Webhook URLs').click();
		await page.getByTestId('radio-button-production').click();

		await expectVisible(panel.getByText(stack.triggerWebhookUrl, { exact: true }), stack.triggerWebhookUrl);
		await expectVisible(panel.getByText('Verify Plaid Signature', { exact: true }), 'Verify Plaid Signature');
	});

	test('shows the example\'s saved event (the first version\'s value SESSION_FINISHED) as a valid choice', async () => {
		const events = page.getByTestId('parameter-input-events');
		await expectVisible(events.getByText('Link: Session Finished', { exact: true }), 'the Link: Session Finished choice');
		// n8n's editor flags a multiOptions value that is not among the options ("… is not supported")
		// with an issue icon beside the field.
		const eventsItem = page.getByTestId('node-parameters').getByTestId('parameter-item').filter({ has: events });
		expect(await eventsItem.count()).toBe(1);
		expect(await eventsItem.getByTestId('parameter-issues').count()).toBe(0);
	});
});

test('the editor never requested anything off 127.0.0.1', () => {
	expect(ui.blocked).toEqual([]);
	expect(stack.guard.attempts).toEqual([]);
});

/** The value a parameter input shows (selects show their option's display name). */
async function inputValue(testId: string): Promise<string> {
	return await page.getByTestId(testId).locator('input').first().inputValue();
}

async function expectVisible(locator: ReturnType<Page['locator']>, what: string): Promise<void> {
	try {
		await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
	} catch {
		throw new Error(`${what} is not visible in the editor`);
	}
}
