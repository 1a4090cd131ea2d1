/**
 * Checks JSON values against the OpenAPI 3.0 schemas in plaid-spec.json with ajv, the way Plaid's
 * API rejects requests: unknown fields, missing fields and wrongly typed fields, each named by
 * its path (`user.client_user_id`, `country_codes[0]`).
 *
 * OpenAPI 3.0 is not JSON Schema: `nullable: true` is ajv's OpenAPI keyword (on by default in
 * ajv 8), and formats Plaid uses (`url`, `date-time`, `date`, `double`) are defined below. Plaid
 * refuses fields a request schema does not name (UNKNOWN_FIELDS) although the spec leaves
 * `additionalProperties` open, so request schemas are "closed" here before compiling.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

import spec from './plaid-spec.json';

export interface Schema {
	type?: string;
	properties?: Record<string, Schema>;
	required?: string[];
	items?: Schema;
	allOf?: Schema[];
	enum?: unknown[];
	nullable?: boolean;
	additionalProperties?: boolean | Schema;
	[keyword: string]: unknown;
}

export type SchemaProblem =
	| { kind: 'unknown'; path: string }
	| { kind: 'missing'; path: string }
	| { kind: 'invalid'; path: string; reason: string };

export const schemas = spec.schemas as unknown as Record<string, Schema>;

const ajv = new Ajv({
	allErrors: true,
	// Errors carry the offending value, so a null can be named as such.
	verbose: true,
	// Plaid's schemas carry OpenAPI-only keywords (example, x-hidden-from-docs, deprecated…).
	strict: false,
	formats: {
		'date-time': (value: string) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value),
		date: /^\d{4}-\d{2}-\d{2}$/,
		url: /^https?:\/\/[^\s/?#]+/,
		double: true,
	},
});

/** One object schema for an `allOf` (Plaid uses it to extend schemas, never to intersect constraints). */
function merge(schema: Schema): Schema {
	if (!schema.allOf) return schema;
	const merged = schema.allOf.map(merge).reduce<Schema>(
		(all, part) => ({
			...all,
			...part,
			properties: { ...all.properties, ...part.properties },
			required: [...(all.required ?? []), ...(part.required ?? [])],
		}),
		{ properties: {}, required: [] },
	);
	const rest: Schema = { ...schema };
	delete rest.allOf;
	return { ...merged, ...rest, properties: { ...merged.properties, ...rest.properties }, required: [...(merged.required ?? []), ...(rest.required ?? [])] };
}

/**
 * The schema as ajv compiles it: `allOf` merged, `nullable` only where ajv takes it (beside a
 * `type`; an untyped schema accepts null anyway; an enum lists null), and with `closed` every
 * object that names its fields refusing any other field, as Plaid does for request bodies.
 */
function normalize(node: Schema, closed: boolean): Schema {
	const schema: Schema = { ...merge(node) };
	if (schema.nullable) {
		if (schema.type === undefined) delete schema.nullable;
		else if (schema.enum && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
	}
	if (schema.properties) {
		schema.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, field]) => [name, normalize(field, closed)]));
		if (closed && typeof schema.additionalProperties !== 'object') schema.additionalProperties = false;
	}
	if (typeof schema.additionalProperties === 'object') schema.additionalProperties = normalize(schema.additionalProperties, closed);
	if (schema.items) schema.items = normalize(schema.items, closed);
	return schema;
}

const compiled = new Map<string, ValidateFunction>();

function validator(schemaOrName: Schema | string, closed: boolean): ValidateFunction {
	const key = typeof schemaOrName === 'string' ? `${closed}:${schemaOrName}` : undefined;
	const cached = key && compiled.get(key);
	if (cached) return cached;
	const schema = typeof schemaOrName === 'string' ? schemas[schemaOrName] : schemaOrName;
	if (!schema) throw new Error(`no schema ${String(schemaOrName)} in plaid-spec.json: add its endpoint to scripts/extract-plaid-spec.mjs`);
	const validate = ajv.compile(normalize(schema, closed));
	if (key) compiled.set(key, validate);
	return validate;
}

/** `/user/phone_number` or `/country_codes/0` → `user.phone_number`, `country_codes[0]`. */
function dotted(instancePath: string, field?: string): string {
	const parts = instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
	if (field !== undefined) parts.push(field);
	return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function reason(error: ErrorObject): string {
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'type': {
			if (error.data === null) return 'must not be null';
			const type = String(params.type).replace(/,null$/, '');
			const article = { object: 'an object', array: 'an array', integer: 'an integer' }[type] ?? `a ${type}`;
			return `must be ${article}`;
		}
		case 'enum':
			return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
		case 'minLength':
			return `must be at least ${String(params.limit)} characters`;
		case 'maxLength':
			return `must be at most ${String(params.limit)} characters`;
		case 'minItems':
			return `must have at least ${String(params.limit)} items`;
		case 'maxItems':
			return `must have at most ${String(params.limit)} items`;
		case 'minimum':
			return `must be at least ${String(params.limit)}`;
		case 'maximum':
			return `must be at most ${String(params.limit)}`;
		case 'format':
			return {
				'date-time': 'must be an ISO 8601 date-time',
				date: 'must be a date in the format yyyy-mm-dd',
				url: 'must be an absolute URL',
			}[String(params.format)] ?? `must be a ${String(params.format)}`;
		default:
			return error.message ?? 'is invalid';
	}
}

function toProblem(error: ErrorObject): SchemaProblem {
	const params = error.params as Record<string, unknown>;
	if (error.keyword === 'required') return { kind: 'missing', path: dotted(error.instancePath, String(params.missingProperty)) };
	if (error.keyword === 'additionalProperties') return { kind: 'unknown', path: dotted(error.instancePath, String(params.additionalProperty)) };
	return { kind: 'invalid', path: dotted(error.instancePath), reason: reason(error) };
}

const ORDER: Record<SchemaProblem['kind'], number> = { missing: 0, unknown: 1, invalid: 2 };

/**
 * Lists every problem in `value`, missing fields first, then unknown ones, then invalid values
 * (the first is what Plaid would answer). `closed` makes objects reject fields their schema does
 * not name, as Plaid does for request bodies (responses may grow new fields).
 */
export function validate(value: unknown, schemaOrName: Schema | string, closed: boolean): SchemaProblem[] {
	const check = validator(schemaOrName, closed);
	if (check(value)) return [];
	const seen = new Set<string>();
	return (check.errors ?? [])
		.map(toProblem)
		.filter((problem) => {
			const key = JSON.stringify(problem);
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		})
		.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
}
