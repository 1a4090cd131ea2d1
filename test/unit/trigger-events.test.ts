/**
 * The Plaid Trigger's events: chosen by webhook type and code, "All Events", and the two values
 * the first version stored, which saved workflows keep and n8n must still load and show as valid.
 */
import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import finishExample from '../../examples/finish-layer-onboarding.json';
import { ALL_EVENTS, EVENT_OPTIONS, isSelected, WEBHOOK_EVENTS } from '../../nodes/PlaidTrigger/events';
import { PlaidTrigger } from '../../nodes/PlaidTrigger/PlaidTrigger.node';
import { schemas } from '../../emulator/schema';

const LEGACY_VALUES = ['LAYER_AUTHENTICATION_PASSED', 'SESSION_FINISHED'];
const description = new PlaidTrigger().description;
const eventsProperty = description.properties.find((property) => property.name === 'events') as INodeProperties;
const optionValues = EVENT_OPTIONS.map((option) => option.value);

/** (type, code) of every webhook schema extracted from Plaid's spec: its description is `` `TYPE` ``. */
const specWebhooks = Object.entries(schemas)
	.filter(([name]) => name.endsWith('Webhook'))
	.map(([name, schema]) => {
		const described = schema.properties as Record<string, { description?: string }> | undefined;
		const literal = (field: string) => /^`([A-Z_]+)`$/.exec(described?.[field]?.description ?? '')?.[1];
		return { schema: name, type: literal('webhook_type') as string, code: literal('webhook_code') as string };
	});

describe('the event list', () => {
	test('names every webhook type the issue asks for, with all of Layer’s codes in the spec', () => {
		const byType = (type: string) => WEBHOOK_EVENTS.filter((event) => event.type === type).map((event) => event.code);
		expect(byType('ITEM')).toEqual(
			expect.arrayContaining([
				'ERROR',
				'PENDING_DISCONNECT',
				'PENDING_EXPIRATION',
				'USER_PERMISSION_REVOKED',
				'USER_ACCOUNT_REVOKED',
				'LOGIN_REPAIRED',
				'NEW_ACCOUNTS_AVAILABLE',
				'WEBHOOK_UPDATE_ACKNOWLEDGED',
			]),
		);
		expect(byType('AUTH')).toEqual(expect.arrayContaining(['AUTOMATICALLY_VERIFIED', 'VERIFICATION_EXPIRED', 'DEFAULT_UPDATE']));
		expect(byType('IDENTITY')).toContain('DEFAULT_UPDATE');
		expect(byType('LINK').sort()).toEqual(['EVENTS', 'ITEM_ADD_RESULT', 'SESSION_FINISHED']);
		const layerCodesInSpec = specWebhooks.filter((webhook) => webhook.type === 'LAYER').map((webhook) => webhook.code);
		expect(byType('LAYER')).toEqual(layerCodesInSpec);
		expect(layerCodesInSpec).toEqual(['LAYER_AUTHENTICATION_PASSED']);
	});

	test('each event is a webhook of Plaid’s spec, and each is listed once', () => {
		for (const event of WEBHOOK_EVENTS) {
			expect(specWebhooks).toContainEqual(expect.objectContaining({ type: event.type, code: event.code }));
		}
		const pairs = WEBHOOK_EVENTS.map((event) => `${event.type} ${event.code}`);
		expect(new Set(pairs).size).toBe(pairs.length);
		expect(new Set(optionValues).size).toBe(optionValues.length);
	});

	test('values are TYPE.CODE, except the two the first version stored, which stay as they were', () => {
		for (const event of WEBHOOK_EVENTS) {
			expect(event.value).toBe(LEGACY_VALUES.includes(event.code) ? event.code : `${event.type}.${event.code}`);
		}
		expect(optionValues).toEqual(expect.arrayContaining([...LEGACY_VALUES, ALL_EVENTS]));
	});

	test('the editor lists "All Events" first, then the events by name, each type together', () => {
		expect(EVENT_OPTIONS[0]).toMatchObject({ name: 'All Events', value: '*' });
		const names = EVENT_OPTIONS.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const event of WEBHOOK_EVENTS) expect(event.description).toMatch(new RegExp(`^${event.type} ${event.code}: \\S`));
	});
});

describe('isSelected: type and code', () => {
	const select = (value: string) => (type: string, code: string) => isSelected([value], { type, code });

	test('ITEM.ERROR is not another type’s ERROR', () => {
		const itemError = select('ITEM.ERROR');
		expect(itemError('ITEM', 'ERROR')).toBe(true);
		expect(itemError('ASSETS', 'ERROR')).toBe(false);
		expect(itemError('AUTH', 'ERROR')).toBe(false);
		expect(itemError('ITEM', 'LOGIN_REPAIRED')).toBe(false);
	});

	test('each event takes only its own type and code among Plaid’s webhooks, also where codes repeat', () => {
		for (const event of WEBHOOK_EVENTS) {
			for (const other of specWebhooks) {
				expect(isSelected([event.value], other)).toBe(other.type === event.type && other.code === event.code);
			}
		}
		// The pairs the list itself holds, so the loop above is not vacuous.
		const sharedCodes = WEBHOOK_EVENTS.filter((event) => WEBHOOK_EVENTS.some((other) => other.code === event.code && other.type !== event.type));
		expect(new Set(sharedCodes.map((event) => event.code))).toEqual(new Set(['DEFAULT_UPDATE', 'PRODUCT_PERMISSIONS_REQUIRED', 'HISTORICAL_UPDATE']));
	});

	test('"All Events" takes every webhook, listed or not, alone or beside other events', () => {
		for (const webhook of [...specWebhooks, { type: 'TRANSFER', code: 'TRANSFER_EVENTS_UPDATE' }, { type: 'SOMETHING_NEW', code: 'X' }]) {
			expect(isSelected([ALL_EVENTS], webhook)).toBe(true);
			expect(isSelected(['ITEM.ERROR', ALL_EVENTS], webhook)).toBe(true);
		}
	});

	test('nothing selected, or a value not in the list, takes nothing', () => {
		expect(isSelected([], { type: 'ITEM', code: 'ERROR' })).toBe(false);
		expect(isSelected(['ERROR'], { type: 'ITEM', code: 'ERROR' })).toBe(false);
		expect(isSelected(['item.error'], { type: 'ITEM', code: 'ERROR' })).toBe(false);
		expect(isSelected(['ITEM.*'], { type: 'ITEM', code: 'ERROR' })).toBe(false);
	});
});

describe('values saved by the first version', () => {
	/** The first version's rule: the webhook's code is one of the stored values. */
	const firstVersion = (selected: string[], webhook: { code: string }) => selected.includes(webhook.code);

	test.each([[['LAYER_AUTHENTICATION_PASSED']], [['SESSION_FINISHED']], [LEGACY_VALUES]])(
		'%j takes exactly the webhooks of Plaid’s spec it took before',
		(selected) => {
			for (const webhook of specWebhooks) expect(isSelected(selected, webhook)).toBe(firstVersion(selected, webhook));
			expect(specWebhooks.filter((webhook) => isSelected(selected, webhook)).length).toBe(selected.length);
		},
	);

	test('the default stays both of them: a saved workflow that kept it stores no value and gets it back', () => {
		expect(eventsProperty.default).toEqual(LEGACY_VALUES);
		const loaded = NodeHelpers.getNodeParameters(description.properties, { verifySignature: true }, true, false, { typeVersion: 1 }, description);
		expect(loaded?.events).toEqual(LEGACY_VALUES);
		// And n8n saves a workflow that has the default without the value, as the first version did.
		const saved = NodeHelpers.getNodeParameters(description.properties, { events: LEGACY_VALUES }, false, false, { typeVersion: 1 }, description);
		expect(saved).not.toHaveProperty('events');
	});

	test('n8n loads the example saved with the first version’s value unchanged, and the editor finds it among the options', () => {
		const trigger = finishExample.nodes.find((node) => node.type === 'n8n-nodes-plaid-layer.plaidTrigger')!;
		const stored = trigger.parameters.events as string[];
		expect(stored).toEqual(['SESSION_FINISHED']);
		const loaded = NodeHelpers.getNodeParameters(description.properties, trigger.parameters, true, false, { typeVersion: 1 }, description);
		expect(loaded?.events).toEqual(stored);
		// n8n's editor marks a multiOptions value not among the options as "not supported" (ParameterInput).
		for (const value of [...stored, ...LEGACY_VALUES]) expect(optionValues).toContain(value);
		expect(NodeHelpers.getNodeParametersIssues(description.properties, { ...trigger, parameters: loaded! } as never, description)).toBeNull();
	});
});
