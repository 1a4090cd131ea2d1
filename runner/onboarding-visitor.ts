/**
 * A visitor going through the example onboarding — "Onboarding: start", "Onboarding: fallback
 * Link token" and "Onboarding: finish" (examples/onboarding-*.json) — run through n8n-core, with
 * the page's part played as its script plays it: the calls Link's window makes to the emulator,
 * and the page's POSTs to the fallback token and complete webhooks. For the demo and for tests
 * that need the whole onboarding without a browser (the browser plays it in test/e2e).
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import fallbackExample from '../examples/onboarding-fallback-token.json';
import finishExample from '../examples/onboarding-finish.json';
import startExample from '../examples/onboarding-start.json';
import { LinkWindowCalls } from '../emulator/link/window-calls';
import type { PlaidEmulator } from '../emulator/server';
import { runWorkflow, type WorkflowDefinition, type WorkflowRun } from './run-workflow';

export const START_WORKFLOW = startExample as unknown as WorkflowDefinition;
export const FALLBACK_WORKFLOW = fallbackExample as unknown as WorkflowDefinition;
export const FINISH_WORKFLOW = finishExample as unknown as WorkflowDefinition;
export const RECORD_NODE = 'Onboarding record';

/** Where the three example webhooks are when n8n serves them at this base URL. */
const BASE = 'http://127.0.0.1:5678/webhook/onboarding';

/** The sign-up form the start webhook receives. */
export type SignUp = Record<string, string>;

/** A sign-up as Sandbox's user_good account holder would type it (the demo's, the tests'). */
export function exampleSignUp(userId: string): SignUp {
	return {
		user_id: userId,
		given_name: 'Alberta',
		family_name: 'Charleson',
		email: 'accountholder0@example.com',
		phone: '+14155550000',
		street: '2992 Cameron Road',
		city: 'Malakoff',
		region: 'NY',
		postal_code: '14236',
		country: 'US',
	};
}

/** The settings block of a rendered page. */
export interface PageConfig {
	linkToken: string;
	completeUrl: string;
	fallbackTokenUrl: string;
	[key: string]: unknown;
}

/** What the page POSTs to its complete URL. */
export interface Completion extends IDataObject {
	flow: 'layer' | 'link';
	link_token: string;
	phone_number: string;
	public_token: string;
	link_session_id: string;
	metadata: IDataObject;
}

export function pageConfigOf(html: string): PageConfig {
	const match = /<script id="layer-config" type="application\/json">([^<]*)<\/script>/.exec(html);
	if (!match) throw new Error('the answer is not an onboarding page (no layer-config block)');
	return JSON.parse(match[1]) as PageConfig;
}

function failed(run: WorkflowRun, what: string): Error | undefined {
	if (!run.error) return undefined;
	return new Error(`${what} failed in "${run.run.data.resultData.lastNodeExecuted}": ${run.error.message}\n${run.error.description ?? ''}`);
}

/** A webhook's output item, as n8n's Webhook node hands a JSON POST on. */
function post(path: string, body: IDataObject) {
	return [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body, webhookUrl: `${BASE}/${path}`, executionMode: 'production' } }];
}

export class OnboardingVisitor {
	constructor(
		private readonly emulator: PlaidEmulator,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
		private readonly workflows: { start?: WorkflowDefinition; fallback?: WorkflowDefinition; finish?: WorkflowDefinition } = {},
	) {}

	/** The sign-up form posted to "Onboarding: start": the page it answers with. */
	async signUp(form: SignUp): Promise<{ run: WorkflowRun; html: string; page: PageConfig }> {
		const run = await runWorkflow(this.workflows.start ?? START_WORKFLOW, { mode: 'webhook', credentials: this.credentials, triggerItems: post('start', form) });
		const problem = failed(run, 'Onboarding: start');
		if (problem) throw problem;
		const html = String(run.webhookResponse?.body ?? '');
		return { run, html, page: pageConfigOf(html) };
	}

	/** 415-555-0011 in Layer: the code, then Share. What the page then POSTs. */
	async throughLayer(page: PageConfig): Promise<Completion> {
		const { publicToken, metadata } = await new LinkWindowCalls(this.emulator).finishLayer(page.linkToken);
		return { flow: 'layer', link_token: page.linkToken, phone_number: '+14155550011', public_token: publicToken, link_session_id: String(metadata.link_session_id), metadata: metadata as IDataObject };
	}

	/**
	 * A number Layer does not know, then the date of birth; the page asks "Onboarding: fallback Link
	 * token" for a Link token, and the visitor links a Sandbox bank in standard Link.
	 */
	async throughLink(page: PageConfig, typed: { phone_number: string; date_of_birth: string }, institutionId = 'ins_109508'): Promise<{ fallback: WorkflowRun; completion: Completion }> {
		const layer = new LinkWindowCalls(this.emulator);
		await layer.start(page.linkToken);
		const notAvailable = await layer.submit({ phone_number: typed.phone_number });
		if (notAvailable.body.event !== 'LAYER_NOT_AVAILABLE') throw new Error(`Layer answered ${JSON.stringify(notAvailable.body)} to ${typed.phone_number}`);
		const noAutofill = await layer.submit({ date_of_birth: typed.date_of_birth });
		if (noAutofill.body.event !== 'LAYER_AUTOFILL_NOT_AVAILABLE') throw new Error(`Layer answered ${JSON.stringify(noAutofill.body)} to the date of birth`);

		const fallback = await runWorkflow(this.workflows.fallback ?? FALLBACK_WORKFLOW, {
			mode: 'webhook',
			credentials: this.credentials,
			triggerItems: post('fallback-token', { ...typed, link_token: page.linkToken }),
		});
		const problem = failed(fallback, 'Onboarding: fallback Link token');
		if (problem) throw problem;
		const linkToken = String((fallback.webhookResponse?.body as IDataObject | undefined)?.link_token ?? '');
		const { publicToken, metadata } = await new LinkWindowCalls(this.emulator).finishBank(linkToken, institutionId);
		return {
			fallback,
			completion: { flow: 'link', link_token: linkToken, phone_number: typed.phone_number, public_token: publicToken, link_session_id: String(metadata.link_session_id), metadata: metadata as IDataObject },
		};
	}

	/** The page's POST to "Onboarding: finish": its run, whose last node is the onboarding record. */
	async finish(completion: Completion): Promise<WorkflowRun> {
		const run = await runWorkflow(this.workflows.finish ?? FINISH_WORKFLOW, { mode: 'webhook', credentials: this.credentials, triggerItems: post('complete', completion) });
		const problem = failed(run, 'Onboarding: finish');
		if (problem) throw problem;
		return run;
	}
}
