/**
 * `npm run sandbox-check`: proves the package against Plaid Sandbox. Each step is a real
 * workflow run through n8n-core (runner/run-workflow.ts) with one of this package's operations,
 * fed the results of the steps before it through expressions:
 *
 *   Create User → Create Layer Session Token (with PLAID_TEMPLATE_ID) → Create Sandbox Public
 *   Token → Exchange Public Token → Get Item → Get Many Accounts → Get Balance → Get Auth →
 *   Get Identity → Match Identity → Create Link Token → Get Link Token → Remove Item → Remove User
 *
 * It prints a table (ok, or Plaid's error_code and request_id) and exits 1 when any step failed.
 * Needs PLAID_CLIENT_ID and PLAID_SECRET (Sandbox); without them it says so and exits 0 without
 * calling anyone. PLAID_BASE_URL replaces https://sandbox.plaid.com (a gateway, or the emulator the
 * test suite runs this against): nothing else is ever called. The secret is never printed.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { runWorkflow } from '../runner/run-workflow';

export const SANDBOX_URL = 'https://sandbox.plaid.com';

export interface CheckOptions {
	clientId: string;
	secret: string;
	templateId?: string;
	/** Instead of Plaid Sandbox; the credential's Custom Base URL. */
	baseUrl?: string;
}

export interface StepResult {
	step: string;
	status: 'ok' | 'failed' | 'skipped';
	/** What the step got (ok), Plaid's error_code or the error (failed), or why it did not run (skipped). */
	detail: string;
	request_id?: string;
}

interface Step {
	name: string;
	/** The operation, its parameters reading the context (`$json`) through expressions. */
	parameters: IDataObject;
	/** Context fields the step needs; missing ones (an earlier step failed) skip it. */
	needs: string[];
	/** What to keep for later steps, and what to show, from the step's first output item. */
	keep?: (output: IDataObject, all: IDataObject[]) => IDataObject;
	show: (output: IDataObject, all: IDataObject[]) => string;
	/** Why the step does not run at all, e.g. no template. */
	skipUnless?: () => string | undefined;
}

function steps(options: CheckOptions): Step[] {
	const accessToken = '={{ $json.access_token }}';
	return [
		{
			name: 'Create User',
			parameters: { resource: 'user', operation: 'create', clientUserId: '={{ $json.client_user_id }}' },
			needs: ['client_user_id'],
			keep: (output) => ({ user_id: output.user_id }),
			show: (output) => String(output.user_id),
		},
		{
			name: 'Create Layer Session Token',
			parameters: { resource: 'sessionToken', operation: 'create', templateId: options.templateId ?? '', userId: '={{ $json.user_id }}' },
			needs: ['user_id'],
			skipUnless: () => (options.templateId ? undefined : 'set PLAID_TEMPLATE_ID to a Layer template to check it'),
			show: (output) => `link_token until ${String(output.expiration)}`,
		},
		{
			name: 'Create Sandbox Public Token',
			parameters: {
				resource: 'sandbox',
				operation: 'createPublicToken',
				institutionId: 'ins_109508',
				initialProducts: ['auth', 'identity'],
				additionalFields: { userId: '={{ $json.user_id }}' },
			},
			needs: ['user_id'],
			keep: (output) => ({ public_token: output.public_token }),
			show: () => 'public token for First Platypus Bank (ins_109508)',
		},
		{
			name: 'Exchange Public Token',
			parameters: { resource: 'item', operation: 'exchangePublicToken', publicToken: '={{ $json.public_token }}' },
			needs: ['public_token'],
			keep: (output) => ({ access_token: output.access_token, item_id: output.item_id }),
			show: (output) => `item ${String(output.item_id)}`,
		},
		{
			name: 'Get Item',
			parameters: { resource: 'item', operation: 'get', accessToken },
			needs: ['access_token'],
			show: (output) => String((output.item as IDataObject | undefined)?.institution_name),
		},
		{
			name: 'Get Many Accounts',
			parameters: { resource: 'account', operation: 'getAll', accessToken },
			needs: ['access_token'],
			show: (_output, all) => `${all.length} accounts`,
		},
		{
			name: 'Get Balance',
			parameters: { resource: 'account', operation: 'getBalance', accessToken },
			needs: ['access_token'],
			show: (output) => `${String(output.name)}: ${String((output.balances as IDataObject | undefined)?.current)}`,
		},
		{
			name: 'Get Auth',
			parameters: { resource: 'auth', operation: 'get', accessToken },
			needs: ['access_token'],
			show: (_output, all) => `${all.length} accounts with numbers`,
		},
		{
			name: 'Get Identity',
			parameters: { resource: 'identity', operation: 'get', accessToken },
			needs: ['access_token'],
			keep: (output) => ({ owner_name: ((output.owners as Array<{ names?: string[] }> | undefined)?.[0]?.names ?? [])[0] }),
			show: (output) => `owner ${String(((output.owners as Array<{ names?: string[] }> | undefined)?.[0]?.names ?? [])[0])}`,
		},
		{
			name: 'Match Identity',
			parameters: { resource: 'identity', operation: 'match', accessToken, additionalFields: { legalName: '={{ $json.owner_name }}' } },
			needs: ['access_token', 'owner_name'],
			show: (output) => `legal name score ${String((output.legal_name as IDataObject | null | undefined)?.score)}`,
		},
		{
			name: 'Create Link Token',
			parameters: {
				resource: 'linkToken',
				operation: 'create',
				clientName: 'n8n sandbox check',
				language: 'en',
				countryCodes: ['US'],
				products: ['auth'],
				userId: '={{ $json.user_id }}',
				clientUserId: '={{ $json.client_user_id }}',
			},
			needs: ['user_id'],
			keep: (output) => ({ link_token: output.link_token }),
			show: (output) => `link_token until ${String(output.expiration)}`,
		},
		{
			name: 'Get Link Token',
			parameters: { resource: 'linkToken', operation: 'get', linkToken: '={{ $json.link_token }}' },
			needs: ['link_token'],
			show: (output) => `${(output.link_sessions as unknown[] | undefined)?.length ?? 0} sessions`,
		},
		{
			name: 'Remove Item',
			parameters: { resource: 'item', operation: 'remove', accessToken },
			needs: ['access_token'],
			show: () => 'removed',
		},
		{
			name: 'Remove User',
			parameters: { resource: 'user', operation: 'remove', userId: '={{ $json.user_id }}' },
			needs: ['user_id'],
			show: () => 'removed',
		},
	];
}

function node(step: Step): INode {
	return {
		id: 'step',
		name: step.name,
		type: 'n8n-nodes-plaid-layer.plaidLayer',
		typeVersion: 1,
		position: [200, 0],
		parameters: step.parameters as INode['parameters'],
		credentials: { plaidLayerApi: { id: '1', name: 'Plaid Sandbox' } },
		// A failed step becomes an error item with Plaid's error_code and request_id.
		onError: 'continueRegularOutput',
	};
}

/** Hands the context of the earlier steps to the step as its input item. */
const start: INode = { id: 'start', name: 'Start', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };

/** Runs every step in order; a step whose inputs an earlier failure left missing is skipped. */
export async function runSandboxCheck(options: CheckOptions): Promise<StepResult[]> {
	// Plaid Sandbox, or the Custom Base URL: the only address any step sends to.
	const plaidLayerApi: ICredentialDataDecryptedObject = options.baseUrl
		? { environment: 'custom', baseUrl: options.baseUrl, clientId: options.clientId, secret: options.secret }
		: { environment: 'sandbox', clientId: options.clientId, secret: options.secret };
	const credentials = { plaidLayerApi };
	const context: IDataObject = { client_user_id: `n8n-sandbox-check-${Date.now()}` };
	const results: StepResult[] = [];
	for (const step of steps(options)) {
		const notRun = step.skipUnless?.() ?? (step.needs.some((field) => context[field] === undefined) ? `needs ${step.needs.filter((field) => context[field] === undefined).join(', ')} from an earlier step` : undefined);
		if (notRun) {
			results.push({ step: step.name, status: 'skipped', detail: notRun });
			continue;
		}
		const run = await runWorkflow(
			{ nodes: [start, node(step)], connections: { Start: { main: [[{ node: step.name, type: 'main', index: 0 }]] } } },
			{ mode: 'manual', credentials, triggerItems: [{ json: context }] },
		);
		const outputs = run.jsonOf(step.name);
		const error = (outputs[0]?.error ?? (run.error ? { message: run.error.message } : undefined)) as IDataObject | undefined;
		if (error || outputs.length === 0) {
			results.push({
				step: step.name,
				status: 'failed',
				detail: String(error?.error_code ?? error?.message ?? 'no output'),
				...(typeof error?.request_id === 'string' && { request_id: error.request_id }),
			});
			continue;
		}
		Object.assign(context, step.keep?.(outputs[0], outputs));
		results.push({ step: step.name, status: 'ok', detail: step.show(outputs[0], outputs), ...(typeof outputs[0].request_id === 'string' && { request_id: outputs[0].request_id }) });
	}
	return results;
}

export function formatTable(results: StepResult[]): string {
	const rows = results.map((result, i) => [String(i + 1), result.step, result.status, result.detail, result.request_id ?? '']);
	const header = ['#', 'step', 'result', 'detail', 'request_id'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
	const failed = results.filter((result) => result.status === 'failed').length;
	const skipped = results.filter((result) => result.status === 'skipped').length;
	const summary = `${results.length - failed - skipped} ok, ${failed} failed, ${skipped} skipped`;
	return [line(header), ...rows.map(line), '', summary].join('\n');
}

export const INSTRUCTIONS = [
	'npm run sandbox-check runs every Plaid Layer operation against Plaid Sandbox.',
	'Set your Sandbox keys (Plaid Dashboard → Developers → Keys) and run it again:',
	'',
	'  PLAID_CLIENT_ID=… PLAID_SECRET=… npm run sandbox-check',
	'',
	'Optional: PLAID_TEMPLATE_ID=template_… also checks Create Layer Session Token;',
	'PLAID_BASE_URL=https://… sends everything there instead of https://sandbox.plaid.com.',
	'Nothing was called.',
].join('\n');

/** The command: reads the environment, prints, and gives the exit code (1 when a step failed). */
export async function main(env: NodeJS.ProcessEnv, print: (text: string) => void): Promise<number> {
	const { PLAID_CLIENT_ID: clientId, PLAID_SECRET: secret, PLAID_TEMPLATE_ID: templateId, PLAID_BASE_URL: baseUrl } = env;
	if (!clientId || !secret) {
		print(INSTRUCTIONS);
		return 0;
	}
	const target = baseUrl ? baseUrl.replace(/\/+$/, '') : SANDBOX_URL;
	print(`Plaid Sandbox check against ${target} (client_id ${clientId.slice(0, 4)}…, secret not shown)\n`);
	const results = await runSandboxCheck({ clientId, secret, templateId: templateId || undefined, baseUrl: baseUrl ? target : undefined });
	// Nothing printed comes from the secret; should an answer ever echo it, it is blanked.
	const table = formatTable(results);
	print(secret.length >= 8 ? table.split(secret).join('[secret]') : table);
	return results.some((result) => result.status === 'failed') ? 1 : 0;
}

if (require.main === module) {
	main(process.env, (text) => console.log(text)).then(
		(code) => process.exit(code),
		(error: unknown) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		},
	);
}
