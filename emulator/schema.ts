/**
 * Checks JSON values against the OpenAPI 3.0 schemas in plaid-spec.json, the way Plaid's API
 * rejects requests: unknown fields, missing fields and wrongly typed fields each named by path.
 */
import spec from './plaid-spec.json';

export interface Schema {
	type?: string;
	properties?: Record<string, Schema>;
	required?: string[];
	items?: Schema;
	allOf?: Schema[];
	enum?: unknown[];
	nullable?: boolean;
	minLength?: number;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	minItems?: number;
	format?: string;
	additionalProperties?: boolean | Schema;
}

export type SchemaProblem =
	| { kind: 'unknown'; path: string }
	| { kind: 'missing'; path: string }
	| { kind: 'invalid'; path: string; reason: string };

export const schemas = spec.schemas as unknown as Record<string, Schema>;

function join(path: string, key: string): string {
	return path ? `${path}.${key}` : key;
}

function merge(schema: Schema): Schema {
	if (!schema.allOf) return schema;
	return schema.allOf.reduce<Schema>((all, part) => ({ ...all, ...merge(part) }), { ...schema, allOf: undefined });
}

/**
 * Lists every problem in `value`. `closed` makes objects reject fields their schema does not
 * name, as Plaid does for request bodies (responses may grow new fields).
 */
export function validate(value: unknown, schemaOrName: Schema | string, closed: boolean, path = ''): SchemaProblem[] {
	const schema = merge(typeof schemaOrName === 'string' ? schemas[schemaOrName] : schemaOrName);
	if (value === null) {
		return schema.nullable ? [] : [{ kind: 'invalid', path, reason: 'must not be null' }];
	}
	const problems: SchemaProblem[] = [];
	const invalid = (reason: string) => problems.push({ kind: 'invalid', path, reason });
	switch (schema.type) {
		case 'object': {
			if (typeof value !== 'object' || Array.isArray(value)) return [{ kind: 'invalid', path, reason: 'must be an object' }];
			const record = value as Record<string, unknown>;
			const properties = schema.properties ?? {};
			for (const name of schema.required ?? []) {
				if (record[name] === undefined) problems.push({ kind: 'missing', path: join(path, name) });
			}
			for (const [name, fieldValue] of Object.entries(record)) {
				if (fieldValue === undefined) continue;
				const fieldSchema = properties[name];
				if (fieldSchema) problems.push(...validate(fieldValue, fieldSchema, closed, join(path, name)));
				else if (closed && schema.properties) problems.push({ kind: 'unknown', path: join(path, name) });
			}
			break;
		}
		case 'array':
			if (!Array.isArray(value)) return [{ kind: 'invalid', path, reason: 'must be an array' }];
			if (schema.minItems !== undefined && value.length < schema.minItems) invalid(`must have at least ${schema.minItems} items`);
			if (schema.items) value.forEach((entry, index) => problems.push(...validate(entry, schema.items!, closed, `${path}[${index}]`)));
			break;
		case 'string':
			if (typeof value !== 'string') return [{ kind: 'invalid', path, reason: 'must be a string' }];
			if (schema.minLength !== undefined && value.length < schema.minLength) invalid(`must be at least ${schema.minLength} characters`);
			if (schema.maxLength !== undefined && value.length > schema.maxLength) invalid(`must be at most ${schema.maxLength} characters`);
			if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) invalid('must be an ISO 8601 date-time');
			if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) invalid('must be a date in the format yyyy-mm-dd');
			if (schema.format === 'url' && !/^https?:\/\/[^\s/?#]+/.test(value)) invalid('must be an absolute URL');
			break;
		case 'integer':
		case 'number':
			if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) {
				return [{ kind: 'invalid', path, reason: `must be ${schema.type === 'integer' ? 'an integer' : 'a number'}` }];
			}
			if (schema.minimum !== undefined && value < schema.minimum) invalid(`must be at least ${schema.minimum}`);
			if (schema.maximum !== undefined && value > schema.maximum) invalid(`must be at most ${schema.maximum}`);
			break;
		case 'boolean':
			if (typeof value !== 'boolean') invalid('must be a boolean');
			break;
		default:
			break;
	}
	if (schema.enum && !schema.enum.includes(value)) invalid(`must be one of ${schema.enum.join(', ')}`);
	return problems;
}
