import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { openPlaidConnection, plaidRequest, type PlaidConnection } from '../PlaidLayer/transport';
import { EVENT_OPTIONS, isSelected } from './events';
import { deliveryKey, type ReplayMemory, ReplayMemories } from './replay';
import { type PlaidJwk, VerificationKeyCache, verifyPlaidWebhook } from './verification';

/**
 * Key lookups while Plaid waits for the answer: Plaid gives a webhook 10 seconds and retries it
 * later when it gets no 200, so one quick retry here is enough.
 */
const KEY_FETCH_POLICY = { maxRetries: 1, timeoutMs: 4_000 };

/** The Plaid account a connection speaks for: what keys and replay memory are kept by. */
function accountOf(connection: PlaidConnection): string {
	return `${connection.baseUrl}|${String(connection.credentials.data?.clientId ?? '')}`;
}

/** Verification keys per Plaid account, kept across webhooks. */
const keyCaches = new Map<string, VerificationKeyCache>();

function keyCacheFor(connection: PlaidConnection): VerificationKeyCache {
	const account = accountOf(connection);
	let cache = keyCaches.get(account);
	if (!cache) {
		cache = new VerificationKeyCache();
		keyCaches.set(account, cache);
	}
	return cache;
}

/** Deliveries accepted per Plaid account, kept across webhooks like the keys. */
const replayMemories = new ReplayMemories();

function headerValue(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

function parseEvent(body: unknown, rawBody: Buffer | undefined): IDataObject | undefined {
	let event = body;
	if ((typeof event !== 'object' || event === null) && rawBody) {
		try {
			event = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return undefined;
		}
	}
	if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
	const { webhook_type: type, webhook_code: code } = event as IDataObject;
	return typeof type === 'string' && typeof code === 'string' ? (event as IDataObject) : undefined;
}

export class PlaidTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plaid Trigger',
		name: 'plaidTrigger',
		icon: { light: 'file:../PlaidLayer/plaid.svg', dark: 'file:../PlaidLayer/plaid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Plaid sends a webhook, after verifying it came from Plaid',
		defaults: { name: 'Plaid Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plaidLayerApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					"Plaid has no API to register webhooks: put this node's Production URL into the Webhook URL field of Create Layer Session Token or Create Link Token, or into your Layer template in the Plaid Dashboard",
				name: 'registrationNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				// Saved workflows that kept the default store no value: this default is theirs for good.
				default: ['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED'],
				description: 'Webhooks (type and code) that start the workflow; others are acknowledged and ignored',
				options: EVENT_OPTIONS,
			},
			{
				displayName: 'Verify Plaid Signature',
				name: 'verifySignature',
				type: 'boolean',
				default: true,
				description:
					'Whether to refuse (HTTP 401) any webhook whose Plaid-Verification signature, age or body hash does not check out. Turn off only behind a gateway that already verifies.',
			},
			{
				displayName:
					'Anyone who knows the URL can start this workflow with made-up data while verification is off, and a webhook sent again is not recognised',
				name: 'unverifiedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { verifySignature: [false] } },
			},
		],
	};

	// Plaid has no webhook registration API: activation only records the URL Plaid must be given.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').webhookUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.getWorkflowStaticData('node').webhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node').webhookUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const rawBody = (request as { rawBody?: Buffer }).rawBody;
		const answer = (status: number, body: IDataObject): IWebhookResponseData => {
			response.status(status).json(body);
			return { noWebhookResponse: true };
		};

		// Set once the signature checks out: what replay protection needs to know about this delivery.
		let delivery: { memory: ReplayMemory; key: string; issuedAt: number; now: number } | undefined;
		if (this.getNodeParameter('verifySignature', true) as boolean) {
			// One clock reading for the JWT's age and its memory, so the two never disagree at the 5-minute edge.
			const now = Date.now();
			let connection: PlaidConnection;
			try {
				connection = await openPlaidConnection.call(this, KEY_FETCH_POLICY);
			} catch (error) {
				return answer(401, { error: 'Plaid webhook refused', reason: `cannot verify: ${(error as Error).message}` });
			}
			const fetchKey = async (kid: string): Promise<PlaidJwk> => {
				const answer = await plaidRequest.call(this, connection, '/webhook_verification_key/get', { key_id: kid }, 0);
				return answer.key as PlaidJwk;
			};
			const jwt = headerValue(this.getHeaderData() as IDataObject, 'plaid-verification');
			const verification = await verifyPlaidWebhook({
				verificationHeader: jwt,
				rawBody: rawBody as Buffer,
				now,
				getKey: async (kid) => await keyCacheFor(connection).get(kid, fetchKey),
			});
			if (!verification.ok) return answer(401, { error: 'Plaid webhook refused', reason: verification.reason });
			const trigger = `${this.getWorkflow().id ?? ''}|${this.getNode().id}`;
			delivery = { memory: replayMemories.for(accountOf(connection)), key: deliveryKey(jwt as string, trigger), issuedAt: verification.issuedAt, now };
		}

		const event = parseEvent(this.getBodyData(), rawBody);
		if (!event) {
			return answer(400, { error: 'Not a Plaid webhook', reason: 'expected a JSON object with webhook_type and webhook_code' });
		}
		// Nothing below awaits: of two copies of one delivery arriving together, only the first passes.
		if (delivery?.memory.has(delivery.key, delivery.now)) return answer(200, { received: true, duplicate: true });
		const webhook = { type: event.webhook_type as string, code: event.webhook_code as string };
		if (!isSelected(this.getNodeParameter('events', []) as string[], webhook)) {
			// Not remembered: a copy is ignored again, or — if the events were changed meanwhile — starts
			// the workflow once, which is no double run; and ignored webhooks (a busy Item's
			// TRANSACTIONS updates) cannot push the ones that ran out of the memory.
			return answer(200, { received: true, ignored: `${webhook.type} ${webhook.code} is not selected in the trigger` });
		}
		const workflowData = [this.helpers.returnJsonArray(event)];
		// Remembered only now, as it starts the workflow: every refusal above (401, 400, or a 5xx when
		// something throws) returns before this line, so Plaid's retry of it gets through.
		delivery?.memory.remember(delivery.key, delivery.issuedAt, delivery.now);
		return { workflowData };
	}
}
