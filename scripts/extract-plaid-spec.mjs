#!/usr/bin/env node
/**
 * Regenerates emulator/plaid-spec.json, the part of Plaid's official OpenAPI spec the emulator
 * checks requests against, from plaid/plaid-openapi's 2020-09-14.yml:
 *
 *   node scripts/extract-plaid-spec.mjs <path to plaid-openapi 2020-09-14.yml> [source commit]
 *
 * ENDPOINTS and EXTRA_SCHEMAS below say what is kept; every $ref is resolved in place, so the
 * emulator reads plain schemas. Add an endpoint here (not by hand in the JSON) when an operation
 * needs one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// js-yaml comes with the dev dependencies (n8n-core's tree); this script is not part of the build.
import yaml from 'js-yaml';

/** The Plaid endpoints the node and the emulator use. */
const ENDPOINTS = [
	'/session/token/create',
	'/user_account/session/get',
	'/user/create',
	'/user/get',
	'/user/remove',
	'/user/items/get',
	'/webhook_verification_key/get',
	'/institutions/get',
	'/link/token/create',
	'/link/token/get',
	'/item/public_token/exchange',
	'/item/get',
	'/item/remove',
	'/accounts/get',
	'/accounts/balance/get',
	'/auth/get',
	'/identity/get',
	'/identity/match',
	'/sandbox/public_token/create',
];

/**
 * Schemas not reachable from an endpoint: webhook bodies, which Plaid sends rather than receives.
 * One per event the Plaid Trigger offers (nodes/PlaidTrigger/events.ts), grouped by webhook_type.
 */
const EXTRA_SCHEMAS = [
	// AUTH
	'AutomaticallyVerifiedWebhook',
	'AuthDefaultUpdateWebhook',
	'ProductPermissionsRequiredAuthWebhook',
	'HostedMMDVerificationWebhook',
	'VerificationExpiredWebhook',
	// HOLDINGS
	'HoldingsDefaultUpdateWebhook',
	// IDENTITY
	'IdentityDefaultUpdateWebhook',
	'ProductPermissionsRequiredIdentityWebhook',
	// INVESTMENTS_TRANSACTIONS
	'InvestmentsDefaultUpdateWebhook',
	'InvestmentsHistoricalUpdateWebhook',
	// ITEM
	'ItemErrorWebhook',
	'ItemLoginRepairedWebhook',
	'NewAccountsAvailableWebhook',
	'PendingDisconnectWebhook',
	'PendingExpirationWebhook',
	'UserAccountRevokedWebhook',
	'UserPermissionRevokedWebhook',
	'WebhookUpdateAcknowledgedWebhook',
	// LAYER
	'LayerAuthenticationPassedWebhook',
	// LIABILITIES
	'LiabilitiesDefaultUpdateWebhook',
	// LINK
	'LinkEventsWebhook',
	'ItemAddResultWebhook',
	'LinkSessionFinishedWebhook',
	// STATEMENTS
	'StatementsRefreshCompleteWebhook',
	// TRANSACTIONS
	'DefaultUpdateWebhook',
	'HistoricalUpdateWebhook',
	'InitialUpdateWebhook',
	'RecurringTransactionsUpdateWebhook',
	'SyncUpdatesAvailableWebhook',
	'TransactionsRemovedWebhook',
];

const [specPath, commit = 'unknown'] = process.argv.slice(2);
if (!specPath) {
	console.error('usage: node scripts/extract-plaid-spec.mjs <path to plaid-openapi 2020-09-14.yml> [source commit]');
	process.exit(2);
}

const spec = yaml.load(readFileSync(specPath, 'utf8'));
const components = spec.components.schemas;

/** The schema with every $ref replaced by its target; a cycle keeps its $ref (Plaid's spec has none on these paths). */
function resolve(node, seen = new Set()) {
	if (Array.isArray(node)) return node.map((entry) => resolve(entry, seen));
	if (node === null || typeof node !== 'object') return node;
	if (typeof node.$ref === 'string') {
		const name = node.$ref.replace('#/components/schemas/', '');
		if (seen.has(name)) return node;
		const target = components[name];
		if (!target) throw new Error(`unresolvable $ref ${node.$ref}`);
		return resolve(target, new Set([...seen, name]));
	}
	return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, seen)]));
}

const refName = (schema) => schema?.$ref?.replace('#/components/schemas/', '');

const paths = {};
const schemaNames = [];
for (const path of ENDPOINTS) {
	const operation = spec.paths[path]?.post;
	if (!operation) throw new Error(`${path} is not a POST endpoint in ${specPath}`);
	const requestSchema = refName(operation.requestBody?.content?.['application/json']?.schema);
	const responseSchema = refName(operation.responses?.['200']?.content?.['application/json']?.schema);
	const errorResponseSchema = refName(operation.responses?.default?.content?.['application/json']?.schema);
	if (!requestSchema || !responseSchema) throw new Error(`${path} has no request or response schema by $ref`);
	paths[path] = {
		method: 'post',
		operationId: operation.operationId,
		summary: operation.summary,
		description: operation.description,
		requestSchema,
		responseSchema,
		errorResponseSchema,
	};
	schemaNames.push(requestSchema, responseSchema, errorResponseSchema);
}
schemaNames.push(...EXTRA_SCHEMAS);

const schemas = {};
for (const name of schemaNames) {
	if (!name || schemas[name]) continue;
	if (!components[name]) throw new Error(`no schema ${name} in ${specPath}`);
	schemas[name] = resolve(components[name], new Set([name]));
}

const output = {
	source: {
		description: "Subset of Plaid's official OpenAPI spec used by the emulator and the request builders' tests.",
		repo: 'plaid/plaid-openapi',
		commit,
		file: '2020-09-14.yml',
		infoVersion: spec.info.version,
		note: 'Generated by scripts/extract-plaid-spec.mjs: schemas copied as published, with $ref resolved.',
	},
	paths,
	schemas,
};
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'emulator', 'plaid-spec.json');
writeFileSync(target, `${JSON.stringify(output, null, 1)}\n`);
console.log(`wrote ${target}: ${Object.keys(paths).length} endpoints, ${Object.keys(schemas).length} schemas (${spec.info.version})`);
