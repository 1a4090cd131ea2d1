/**
 * The example "Layer onboarding page" (examples/layer-onboarding-page.json) in a running stack,
 * and what a browser test needs around it: a copy of the example imported with the stack's
 * credential and the Render node's Link Script URL pointed at the emulator's stand-in (other
 * webhook paths or Render parameters for variants), its executions split into page visits and
 * completions, and a watch on a page for dialogs, CSP violations (console and
 * `securitypolicyviolation` events), page errors and the hosts it requested.
 */
import { randomUUID } from 'node:crypto';

import type { ConsoleMessage, Frame, FrameLocator, Page } from 'playwright-core';

import { getExecution, listExecutions, type ExecutionDetail } from './executions';
import { activateWorkflow, exampleWorkflow, importWorkflow, withCredential, type ImportedWorkflow, type Stack } from './stack';

export const PAGE_EXAMPLE = 'layer-onboarding-page.json';
export const PAGE_WORKFLOW = 'Layer onboarding page';
export const PAGE_REQUEST_NODE = 'Onboarding page request';
export const RENDER_NODE = 'Render Layer Onboarding Page';
export const COMPLETE_NODE = 'Onboarding complete';
export const SESSION_NODE = 'Get User Account Session';

type WorkflowJson = ReturnType<typeof exampleWorkflow>;

export interface PageVariant {
	/** Workflow name (default the example's). */
	name?: string;
	/** The GET webhook's path (default the example's `layer/onboarding`); the POST one is `<path>/complete`. */
	path?: string;
	/** Merged into the Render node's Options. */
	options?: Record<string, unknown>;
	/** Merged into the Render node's parameters (e.g. `linkToken`). */
	parameters?: Record<string, unknown>;
}

export interface OnboardingPageWorkflow extends ImportedWorkflow {
	/** The GET webhook's production URL: the page. */
	pageUrl: string;
	/** The POST webhook's production URL, where the page sends the result. */
	completeUrl: string;
}

/** The emulator's stand-in for Plaid's link-initialize.js. */
export function linkScriptUrl(stack: Stack): string {
	return stack.emulator.linkScriptUrl;
}

/** The example with the stack's credential, the stand-in Link script, and the variant's changes. */
export function onboardingPageJson(stack: Stack, variant: PageVariant = {}): WorkflowJson {
	const json = structuredClone(withCredential(exampleWorkflow(PAGE_EXAMPLE), stack.credentialId));
	if (variant.name) json.name = variant.name;
	const node = (name: string) => {
		const found = json.nodes.find((candidate) => candidate.name === name);
		if (!found) throw new Error(`${PAGE_EXAMPLE} has no node "${name}"`);
		return found;
	};
	const render = node(RENDER_NODE);
	render.parameters = {
		...render.parameters,
		...variant.parameters,
		options: { ...(render.parameters.options as Record<string, unknown>), linkScriptUrl: linkScriptUrl(stack), ...variant.options },
	};
	if (variant.path) {
		const request = node(PAGE_REQUEST_NODE);
		const complete = node(COMPLETE_NODE);
		request.parameters = { ...request.parameters, path: variant.path };
		complete.parameters = { ...complete.parameters, path: `${variant.path}/complete` };
		request.webhookId = randomUUID();
		complete.webhookId = randomUUID();
	}
	return json;
}

/** Imports and publishes a copy of the example (see `onboardingPageJson`). */
export async function publishOnboardingPage(stack: Stack, variant: PageVariant = {}): Promise<OnboardingPageWorkflow> {
	const json = onboardingPageJson(stack, variant);
	const workflow = await importWorkflow(stack.client, json);
	await activateWorkflow(stack.client, workflow);
	const path = (name: string) => String(json.nodes.find((node) => node.name === name)!.parameters.path);
	return {
		...workflow,
		pageUrl: `${stack.n8n.url}/webhook/${path(PAGE_REQUEST_NODE)}`,
		completeUrl: `${stack.n8n.url}/webhook/${path(COMPLETE_NODE)}`,
	};
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Every finished execution of the workflow, with its run data. The example holds two flows, so
 * each one is a page visit (its run data has `Onboarding page request`) or a completion
 * (`Onboarding complete`).
 */
export class ExecutionLog {
	private readonly details = new Map<string, ExecutionDetail>();

	constructor(
		private readonly stack: Stack,
		private readonly workflowId: string,
	) {}

	async finished(): Promise<ExecutionDetail[]> {
		const summaries = await listExecutions(this.stack.client, this.workflowId);
		const result: ExecutionDetail[] = [];
		for (const summary of summaries) {
			if (!FINISHED.has(summary.status)) continue;
			let detail = this.details.get(summary.id);
			if (!detail) {
				detail = await getExecution(this.stack.n8n, this.stack.client, summary.id);
				this.details.set(summary.id, detail);
			}
			result.push(detail);
		}
		return result;
	}

	/** Finished executions that ran this node. */
	async ran(nodeName: string): Promise<ExecutionDetail[]> {
		return (await this.finished()).filter((execution) => execution.runData[nodeName] !== undefined);
	}

	async completions(): Promise<ExecutionDetail[]> {
		return await this.ran(COMPLETE_NODE);
	}

	async visits(): Promise<ExecutionDetail[]> {
		return await this.ran(PAGE_REQUEST_NODE);
	}

	/** Waits for a finished execution of the given kind (or that ran the given node) that is not in `known`, and returns it. */
	async next(kind: 'completions' | 'visits' | { ran: string }, known: ExecutionDetail[], timeoutMs = 30_000): Promise<ExecutionDetail> {
		const seen = new Set(known.map((execution) => execution.id));
		const read = () => (typeof kind === 'string' ? this[kind]() : this.ran(kind.ran));
		const deadline = Date.now() + timeoutMs;
		let last: ExecutionDetail[] = [];
		while (Date.now() < deadline) {
			last = await read();
			const fresh = last.find((execution) => !seen.has(execution.id));
			if (fresh) return fresh;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const what = typeof kind === 'string' ? kind.slice(0, -1) : `execution running "${kind.ran}"`;
		throw new Error(`no new finished ${what} of workflow ${this.workflowId} within ${timeoutMs / 1000} s (have ${last.length})`);
	}
}

export interface CspViolation {
	violatedDirective: string;
	effectiveDirective: string;
	blockedURI: string;
	sample: string;
	disposition: string;
}

export interface PageWatch {
	/** `alert`/`confirm`/`prompt` dialogs the page opened (each dismissed): `type: message`. */
	dialogs: string[];
	/** `securitypolicyviolation` events the page's documents fired. */
	violations: CspViolation[];
	/** Console messages about the Content Security Policy. */
	cspConsole: string[];
	/** Every console message: `type: text`. */
	console: string[];
	/** Uncaught exceptions in the page. */
	pageErrors: string[];
	/** Every URL the page requested. */
	requests: string[];
}

const VIOLATION_BINDING = '__e2eCspViolation';

/** Starts watching a page (call before its first navigation). */
export async function watchPage(page: Page): Promise<PageWatch> {
	const watch: PageWatch = { dialogs: [], violations: [], cspConsole: [], console: [], pageErrors: [], requests: [] };
	page.on('dialog', (dialog) => {
		watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss().catch(() => undefined);
	});
	page.on('console', (message: ConsoleMessage) => {
		const line = `${message.type()}: ${message.text()}`;
		watch.console.push(line);
		if (/content[ -]security[ -]policy/i.test(message.text())) watch.cspConsole.push(line);
	});
	page.on('pageerror', (error) => watch.pageErrors.push(error.message));
	page.on('request', (request) => watch.requests.push(request.url()));
	await page.exposeBinding(VIOLATION_BINDING, (_source, violation: CspViolation) => {
		watch.violations.push(violation);
	});
	// Runs before the page's own scripts, outside its CSP (it is injected by the browser, not inline).
	await page.addInitScript(`document.addEventListener('securitypolicyviolation', function (event) {
		window.${VIOLATION_BINDING}({
			violatedDirective: event.violatedDirective,
			effectiveDirective: event.effectiveDirective,
			blockedURI: event.blockedURI,
			sample: event.sample,
			disposition: event.disposition
		});
	}, true);`);
	return watch;
}

/** Hosts (host:port) of the requests, distinct. */
export function requestedHosts(watch: PageWatch): string[] {
	return [...new Set(watch.requests.map((url) => (url.startsWith('data:') ? 'data:' : new URL(url).host)))];
}

/**
 * The visitor's part in Layer's window once it asks for the code: Sandbox's code 123456, then
 * Share (what the emulator's Link window asks, as Plaid's Layer flow does).
 */
export async function shareInLayer(link: Frame | FrameLocator): Promise<void> {
	await link.locator('#otp').fill('123456');
	await link.locator('#otp-submit').click();
	await link.locator('#share').click();
}

/** The visitor's part in standard Link: a Sandbox bank, then Sandbox's user_good / pass_good. */
export async function connectBank(link: Frame | FrameLocator, institutionId: string): Promise<void> {
	await link.locator(`button[data-institution="${institutionId}"]`).click();
	await link.locator('#username').fill('user_good');
	await link.locator('#password').fill('pass_good');
	await link.locator('#login-submit').click();
}
