/**
 * The Plaid Trigger's event choice behind the local webhook server (n8n-core's WebhookContext):
 * each event Plaid sends, signed as Plaid signs it, starts the workflow when selected — with the
 * body as sent — and is answered 200 without starting it when not, by type and code. Workflows
 * saved with the first version's values behave as they did.
 */
import type { INode } from 'n8n-workflow';

import finishExample from '../../examples/finish-layer-onboarding.json';
import startExample from '../../examples/start-layer-onboarding.json';
import { deliverWebhook } from '../../emulator/webhooks';
import { PLAID_WEBHOOKS, webhookPayload, type PlaidWebhookName, type WebhookPayload } from '../../emulator/webhook-payloads';
import { ALL_EVENTS, WEBHOOK_EVENTS } from '../../nodes/PlaidTrigger/events';
import { runWorkflow, type WorkflowDefinition } from '../../runner/run-workflow';
import { serveTriggerWorkflow, type TriggerServer } from '../../runner/webhook-server';
import { shapedOnboardingResult } from '../support/onboarding-result';
import { sharedEmulator } from '../support/shared-emulator';
import { chain } from './workflows';

const emulator = sharedEmulator();
const credentials = () => ({
	plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
});
const servers: TriggerServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.stop()));
});

const TRIGGER_TYPE = 'n8n-nodes-plaid-layer.plaidTrigger';
let triggers = 0;

/** A trigger of its own per test: the trigger's replay memory outlives a server, as in n8n. */
function triggerNode(parameters: INode['parameters']): INode {
	return {
		id: `trigger-${++triggers}`,
		name: 'Plaid Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'plaid',
		parameters,
		credentials: { plaidLayerApi: { id: '1', name: 'Plaid Layer account' } },
	};
}

async function serve(definition: WorkflowDefinition): Promise<TriggerServer> {
	const server = await serveTriggerWorkflow(definition, credentials());
	servers.push(server);
	return server;
}

const serveEvents = async (events: string[] | undefined) =>
	await serve(
		chain([
			triggerNode(events === undefined ? { verifySignature: true } : { events, verifySignature: true }),
			{ id: 'next', name: 'Next', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		]),
	);

const allNames = Object.keys(PLAID_WEBHOOKS) as PlaidWebhookName[];

/** Delivers one fresh body of each named webhook; answers by name, parsed. */
async function deliverEach(server: TriggerServer, names: readonly PlaidWebhookName[] = allNames) {
	const sent = new Map<string, WebhookPayload>();
	const answers = new Map<string, { status: number; body: unknown }>();
	await Promise.all(
		names.map(async (name) => {
			const payload = webhookPayload(name);
			sent.set(name, payload);
			const answer = await deliverWebhook(server.webhookUrl, payload, emulator.signer);
			answers.set(name, { status: answer.status, body: JSON.parse(answer.body) });
		}),
	);
	await server.idle();
	return { sent, answers, started: server.runs.map((run) => run.jsonOf('Plaid Trigger')[0]) };
}

const ignoredAnswer = (name: string) => ({
	status: 200,
	body: { received: true, ignored: `${name.replace('.', ' ')} is not selected in the trigger` },
});
const startedAnswer = { status: 200, body: { message: 'Workflow was started' } };

describe('one event selected', () => {
	test.each(WEBHOOK_EVENTS.map((event) => [`${event.type}.${event.code}`, event.value]))(
		'%s starts the workflow with the body as sent; every other webhook is answered 200 and starts nothing',
		async (name, value) => {
			const server = await serveEvents([value]);
			const { sent, answers, started } = await deliverEach(server);

			expect(started).toEqual([sent.get(name)]);
			expect(server.runs[0].jsonOf('Next')).toEqual([sent.get(name)]);
			expect(server.runs[0].error).toBeUndefined();
			for (const other of allNames) expect(answers.get(other)).toEqual(other === name ? startedAnswer : ignoredAnswer(other));
		},
	);

	test('Item: Error does not start on another type’s ERROR, nor Auth: Default Update on Identity’s or Transactions’', async () => {
		const server = await serveEvents(['ITEM.ERROR', 'AUTH.DEFAULT_UPDATE']);
		// ASSETS ERROR as Plaid's AssetsErrorWebhook has it; an AUTH ERROR as a made-up but signed code.
		const assetsError = {
			webhook_type: 'ASSETS',
			webhook_code: 'ERROR',
			error: webhookPayload('ITEM.ERROR').error,
			asset_report_id: 'assets-sandbox-1',
			environment: 'sandbox',
		};
		const authError = { ...webhookPayload('ITEM.ERROR'), webhook_type: 'AUTH' };
		for (const payload of [assetsError, authError]) {
			const answer = await deliverWebhook(server.webhookUrl, payload, emulator.signer);
			expect(answer.status).toBe(200);
			expect(JSON.parse(answer.body)).toMatchObject({ received: true, ignored: expect.stringMatching(/^(ASSETS|AUTH) ERROR is not selected/) });
		}
		await deliverEach(server, ['IDENTITY.DEFAULT_UPDATE', 'TRANSACTIONS.DEFAULT_UPDATE', 'HOLDINGS.DEFAULT_UPDATE', 'LIABILITIES.DEFAULT_UPDATE']);
		expect(server.runs).toHaveLength(0);

		const { started } = await deliverEach(server, ['ITEM.ERROR', 'AUTH.DEFAULT_UPDATE']);
		expect(started.map((event) => `${String(event.webhook_type)}.${String(event.webhook_code)}`).sort()).toEqual(['AUTH.DEFAULT_UPDATE', 'ITEM.ERROR']);
	});
});

describe('All Events', () => {
	test.each([[[ALL_EVENTS]], [['ITEM.ERROR', ALL_EVENTS]]])('%j starts on every webhook, listed or not', async (events) => {
		const server = await serveEvents(events);
		const { sent } = await deliverEach(server);
		const unlisted = { webhook_type: 'TRANSFER', webhook_code: 'TRANSFER_EVENTS_UPDATE', environment: 'sandbox' };
		expect((await deliverWebhook(server.webhookUrl, unlisted, emulator.signer)).status).toBe(200);
		await server.idle();

		const started = server.runs.map((run) => run.jsonOf('Plaid Trigger')[0]);
		expect(started).toHaveLength(allNames.length + 1);
		expect(started).toEqual(expect.arrayContaining([...sent.values(), unlisted]));
	});

	test('still verifies: an unsigned webhook is refused 401', async () => {
		const server = await serveEvents([ALL_EVENTS]);
		const answer = await deliverWebhook(server.webhookUrl, webhookPayload('ITEM.ERROR'), emulator.signer, { unsigned: true });
		await server.idle();
		expect(answer.status).toBe(401);
		expect(server.runs).toHaveLength(0);
	});

	test('a verified body without webhook_type is not a Plaid webhook: 400, nothing started', async () => {
		const server = await serveEvents([ALL_EVENTS]);
		const withoutType: Record<string, unknown> = webhookPayload('LINK.SESSION_FINISHED');
		delete withoutType.webhook_type;
		const answer = await deliverWebhook(server.webhookUrl, withoutType, emulator.signer);
		await server.idle();
		expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({
			status: 400,
			body: { error: 'Not a Plaid webhook', reason: 'expected a JSON object with webhook_type and webhook_code' },
		});
		expect(server.runs).toHaveLength(0);
	});
});

describe('workflows saved with the first version’s values', () => {
	/** What the first version did: start when the webhook's code is among the stored values. */
	const startedBefore = (stored: string[]) => allNames.filter((name) => stored.includes(PLAID_WEBHOOKS[name].defaults().webhook_code));

	test('"Finish Layer onboarding" as saved (SESSION_FINISHED) runs a real Layer session to its end and starts on nothing else', async () => {
		const server = await serve(finishExample as unknown as WorkflowDefinition);
		const start = await runWorkflow(startExample as unknown as WorkflowDefinition, {
			mode: 'webhook',
			credentials: credentials(),
			triggerItems: [{ json: { headers: {}, params: {}, query: {}, body: { user_id: 'customer-events-1' } } }],
		});
		const linkToken = start.jsonOf('Create Layer Session Token')[0].link_token as string;
		const plaidUserId = start.jsonOf('Create Layer Session Token')[0].user_id;

		const outcome = await emulator.finishLayerSession(linkToken, { phoneNumber: '+14155550011', webhookUrl: server.webhookUrl });
		await server.idle();
		expect(outcome.deliveries.map(({ webhook_code, status, body }) => [webhook_code, status, JSON.parse(body)])).toEqual([
			['LAYER_AUTHENTICATION_PASSED', 200, { received: true, ignored: 'LAYER LAYER_AUTHENTICATION_PASSED is not selected in the trigger' }],
			['SESSION_FINISHED', 200, { message: 'Workflow was started' }],
		]);
		expect(server.runs).toHaveLength(1);
		// {{ $json.public_tokens[0] }} still reads the token the session produced.
		expect(emulator.requests.filter((request) => request.path === '/user_account/session/get').map((request) => request.body)).toEqual([
			{ public_token: outcome.public_token },
		]);
		expect(server.runs[0].jsonOf('Shape onboarding result')).toEqual([shapedOnboardingResult(plaidUserId)]);

		const others = allNames.filter((name) => name !== 'LINK.SESSION_FINISHED' && name !== 'LAYER.LAYER_AUTHENTICATION_PASSED');
		const { answers } = await deliverEach(server, others);
		for (const name of others) expect(answers.get(name)).toEqual(ignoredAnswer(name));
		expect(server.runs).toHaveLength(1);
	});

	test.each([
		['no value (the default kept)', undefined, ['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED']],
		['["LAYER_AUTHENTICATION_PASSED"]', ['LAYER_AUTHENTICATION_PASSED'], ['LAYER_AUTHENTICATION_PASSED']],
		['["SESSION_FINISHED", "LAYER_AUTHENTICATION_PASSED"]', ['SESSION_FINISHED', 'LAYER_AUTHENTICATION_PASSED'], ['SESSION_FINISHED', 'LAYER_AUTHENTICATION_PASSED']],
	])('stored %s: starts on exactly the webhooks it started on before', async (_, stored, meaning) => {
		const server = await serveEvents(stored);
		const { sent, started } = await deliverEach(server);

		const expected = startedBefore(meaning);
		expect(expected.length).toBe(meaning.length);
		expect(started).toHaveLength(expected.length);
		expect(started).toEqual(expect.arrayContaining(expected.map((name) => sent.get(name))));
	});
});
