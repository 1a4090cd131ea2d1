/**
 * The emulator's webhook bodies: one for every event the Plaid Trigger offers, each exactly in
 * the shape of its schema in Plaid's spec (closed: no field the schema does not name, every
 * required one present, Plaid's type and code).
 */
import { schemas, validate, type Schema } from '../../emulator/schema';
import { PLAID_WEBHOOKS, webhookPayload, type PlaidWebhookName } from '../../emulator/webhook-payloads';
import { WEBHOOK_EVENTS } from '../../nodes/PlaidTrigger/events';

const names = Object.keys(PLAID_WEBHOOKS) as PlaidWebhookName[];

/** The `` `TYPE` `` a webhook schema documents for a field. */
function documentedLiteral(schema: Schema & { properties?: Record<string, Schema & { description?: string }> }, field: string) {
	return /^`([A-Z_]+)`$/.exec(schema.properties?.[field]?.description ?? '')?.[1];
}

/** Problems `validate` does not look for: values of map-like objects (`additionalProperties: schema`). */
function mapValueProblems(payload: Record<string, unknown>, schema: Schema): string[] {
	return Object.entries(schema.properties ?? {}).flatMap(([field, fieldSchema]) => {
		const valueSchema = fieldSchema.additionalProperties;
		const value = payload[field];
		if (typeof valueSchema !== 'object' || typeof value !== 'object' || value === null) return [];
		return Object.entries(value).flatMap(([key, entry]) =>
			validate(entry, valueSchema, true).map((problem) => JSON.stringify({ ...problem, path: [field, key, problem.path].filter(Boolean).join('.') })),
		);
	});
}

describe('webhook payloads', () => {
	test('there is one for each event the trigger offers, and no other', () => {
		expect(names.sort()).toEqual(WEBHOOK_EVENTS.map((event) => `${event.type}.${event.code}`).sort());
	});

	test.each(names)('%s matches its schema in Plaid’s spec, closed', (name) => {
		const { schema: schemaName } = PLAID_WEBHOOKS[name];
		const schema = schemas[schemaName];
		expect(schema).toBeDefined();
		const payload = webhookPayload(name);

		expect(validate(payload, schemaName, true)).toEqual([]);
		expect(mapValueProblems(payload, schema)).toEqual([]);
		const [type, code] = name.split('.');
		expect([payload.webhook_type, payload.webhook_code]).toEqual([type, code]);
		expect([documentedLiteral(schema, 'webhook_type'), documentedLiteral(schema, 'webhook_code')]).toEqual([type, code]);
		// Optional fields the schema names (user_id, error…) fit too, when a test sets them.
		const optional = Object.keys(schema.properties ?? {}).filter((field) => !(schema.required ?? []).includes(field) && !(field in payload));
		for (const field of optional) {
			const sample = field === 'user_id' ? 'usr_9nSp2KuZ2x4JDw' : field === 'error' ? null : field === 'environment' ? 'production' : undefined;
			if (sample !== undefined) expect(validate(webhookPayload(name, { [field]: sample }), schemaName, true)).toEqual([]);
		}
	});

	test('builds fresh ids per call and takes the fields a test sets', () => {
		const first = webhookPayload('ITEM.ERROR');
		const second = webhookPayload('ITEM.ERROR', { item_id: 'item-1', user_id: 'usr_1', environment: 'production' });
		expect(first.item_id).toMatch(/^[A-Za-z0-9]{37}$/);
		expect(webhookPayload('ITEM.ERROR').item_id).not.toBe(first.item_id);
		expect(second).toMatchObject({ webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: 'item-1', user_id: 'usr_1', environment: 'production' });
		expect(second.error).toMatchObject({ error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', status: 400 });
		expect(second.error).not.toHaveProperty('request_id');
	});

	test('the check is closed: a field Plaid does not send, a missing one or a wrong value is caught', () => {
		expect(validate(webhookPayload('ITEM.PENDING_DISCONNECT', { surprise: 1 }), 'PendingDisconnectWebhook', true)).toEqual([{ kind: 'unknown', path: 'surprise' }]);
		expect(validate(webhookPayload('ITEM.PENDING_DISCONNECT', { reason: undefined }), 'PendingDisconnectWebhook', true)).toEqual([{ kind: 'missing', path: 'reason' }]);
		expect(validate(webhookPayload('ITEM.PENDING_DISCONNECT', { environment: 'development' }), 'PendingDisconnectWebhook', true)).toEqual([
			{ kind: 'invalid', path: 'environment', reason: 'must be one of sandbox, production' },
		]);
		const identity = webhookPayload('IDENTITY.DEFAULT_UPDATE', { account_ids_with_updated_identity: { acc: ['SHOE_SIZE'] } });
		expect(mapValueProblems(identity, schemas.IdentityDefaultUpdateWebhook)).toHaveLength(1);
	});
});
