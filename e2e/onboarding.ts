/**
 * The example onboarding for every visitor in a running stack: "Onboarding: start", "Onboarding:
 * fallback Link token" and "Onboarding: finish" imported with the stack's credential and published,
 * the page's Link script pointed at the emulator's stand-in, and optionally the POST webhooks'
 * Allowed Origins set to a site (for the static page); plus a sign-up form a browser can submit.
 */
import { ExecutionLog } from './onboarding-page';
import { activateWorkflow, exampleWorkflow, importWorkflow, withCredential, type ImportedWorkflow, type Stack } from './stack';

export const START_EXAMPLE = 'onboarding-start.json';
export const FALLBACK_EXAMPLE = 'onboarding-fallback-token.json';
export const FINISH_EXAMPLE = 'onboarding-finish.json';
export const RECORD_NODE = 'Onboarding record';

export interface PublishedOnboarding {
	start: ImportedWorkflow;
	fallback: ImportedWorkflow;
	finish: ImportedWorkflow;
	startUrl: string;
	/** Executions of "Onboarding: fallback Link token" and "Onboarding: finish". */
	fallbackRuns: ExecutionLog;
	finishRuns: ExecutionLog;
}

export async function publishOnboarding(stack: Stack, options: { allowedOrigins?: string } = {}): Promise<PublishedOnboarding> {
	const load = (file: string) => {
		const json = withCredential(exampleWorkflow(file), stack.credentialId);
		for (const node of json.nodes) {
			const nodeOptions = node.parameters.options as Record<string, unknown> | undefined;
			if (options.allowedOrigins && nodeOptions?.allowedOrigins) nodeOptions.allowedOrigins = options.allowedOrigins;
			if (node.parameters.resource === 'onboardingPage') {
				node.parameters.options = { ...nodeOptions, linkScriptUrl: stack.emulator.linkScriptUrl };
			}
		}
		return json;
	};
	const [start, fallback, finish] = await Promise.all([START_EXAMPLE, FALLBACK_EXAMPLE, FINISH_EXAMPLE].map((file) => importWorkflow(stack.client, load(file))));
	for (const workflow of [start, fallback, finish]) await activateWorkflow(stack.client, workflow);
	return {
		start,
		fallback,
		finish,
		startUrl: `${stack.n8n.url}/webhook/onboarding/start`,
		fallbackRuns: new ExecutionLog(stack, fallback.id),
		finishRuns: new ExecutionLog(stack, finish.id),
	};
}

/** A site's sign-up form that POSTs to "Onboarding: start" (the browser then shows the page n8n answers). */
export function signUpForm(startUrl: string, fields: Record<string, string>): string {
	const escape = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
	const inputs = Object.entries(fields)
		.map(([name, value]) => `<label>${escape(name)} <input name="${escape(name)}" value="${escape(value)}"></label>`)
		.join('\n');
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign up</title></head><body>
<form id="sign-up" method="post" action="${escape(startUrl)}">
${inputs}
<button id="sign-up-submit" type="submit">Sign up</button>
</form>
</body></html>`;
}
