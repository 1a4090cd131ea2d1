import type { IDataObject, IDisplayOptions, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../credentials/PlaidLayerApi.credentials';

/** Which node and input item a parameter belongs to, so a refusal can say so. */
export interface ItemContext {
	node: INode;
	itemIndex: number;
}

/**
 * A parameter value that cannot be sent to Plaid, found before any request leaves n8n. The
 * message names the field (by its display name) and the item; the description says the fix.
 */
export function invalidParameter(
	at: ItemContext,
	parameter: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(at.node, `${parameter} ${problem} [item ${at.itemIndex}]`, {
		itemIndex: at.itemIndex,
		description: fix,
	});
}

/** Per node execution: its node (getNode() copies it on every call) and each parameter read so far. */
const readOnce = new WeakMap<IExecuteFunctions, { node: INode; parameters: Map<string, { constant: boolean; value: unknown }> }>();

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

function executionOf(context: IExecuteFunctions) {
	let execution = readOnce.get(context);
	if (execution === undefined) {
		execution = { node: context.getNode(), parameters: new Map() };
		readOnce.set(context, execution);
	}
	return execution;
}

/** The item's context for refusals, with the node read once per execution. */
export function itemContext(context: IExecuteFunctions, itemIndex: number): ItemContext {
	return { node: executionOf(context).node, itemIndex };
}

/**
 * `getNodeParameter` for one item, except that a parameter with no expression anywhere in it is
 * read once per execution: every item gets the same value, and n8n's getNodeParameter costs about
 * as much for a constant as the rest of our per-item work. Do not mutate the returned value.
 */
export function readParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	const { node, parameters } = executionOf(context);
	const known = parameters.get(name);
	if (known?.constant) return known.value;
	const value = context.getNodeParameter(name, itemIndex, fallback);
	if (known === undefined) parameters.set(name, { constant: !holdsExpression(node.parameters[name]), value });
	return value;
}

/**
 * Reads a text parameter the way a user means it: expressions may resolve to numbers, null or
 * surrounding whitespace; objects and arrays are a mistake worth naming.
 */
export function readText(at: ItemContext, value: unknown, parameter: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	throw invalidParameter(
		at,
		parameter,
		`must be text, but the value is ${kind}`,
		`If it is an expression, point it at a single text field (for example {{ $json.id }}), not at ${kind}.`,
	);
}

export function requireText(at: ItemContext, value: unknown, parameter: string, fix: string): string {
	const text = readText(at, value, parameter);
	if (text === '') throw invalidParameter(at, parameter, 'is empty', fix);
	return text;
}

function parseAbsoluteUrl(at: ItemContext, text: string, parameter: string, example: string): URL {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw invalidParameter(
			at,
			parameter,
			`is not an absolute URL: "${text}"`,
			`Write the whole address including https://, for example ${example}.`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw invalidParameter(
			at,
			parameter,
			`must start with https:// (it starts with ${url.protocol}//)`,
			`Use a web address, for example ${example}.`,
		);
	}
	// The URL parser forgives "HTTPS://", "https:host" and backslashes, but the text is what is sent,
	// and Plaid compares it as written (redirect URIs must match the Dashboard's list exactly).
	if (!/^https?:\/\/[^\s/?#\\]+[^\s\\]*$/.test(text)) {
		throw invalidParameter(
			at,
			parameter,
			`is not written as a plain web address: "${text}"`,
			`Write it as ${example}: lower-case https://, then the host, with no spaces or backslashes.`,
		);
	}
	return url;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plaid's rules for `redirect_uri`: absolute, no query string, https (http://localhost outside Production). */
export function checkRedirectUri(at: ItemContext, text: string, environment: PlaidEnvironment): void {
	const parameter = 'Redirect URI';
	const example = 'https://app.example.com/plaid/oauth';
	const url = parseAbsoluteUrl(at, text, parameter, example);
	if (text.includes('?')) {
		throw invalidParameter(
			at,
			parameter,
			`must not contain a query string ("${url.search || '?'}")`,
			`Plaid rejects redirect URIs with query parameters. Remove everything from "?" on, e.g. ${url.origin}${url.pathname}.`,
		);
	}
	if (url.protocol === 'http:') {
		if (environment === 'production') {
			throw invalidParameter(
				at,
				parameter,
				'must use https:// in Production',
				`Plaid accepts only https redirect URIs in Production. Use https://${url.host}${url.pathname}.`,
			);
		}
		if (!LOCAL_HOSTS.has(url.hostname)) {
			throw invalidParameter(
				at,
				parameter,
				`must use https:// (http:// is allowed only for localhost, not for ${url.hostname})`,
				`Use https://${url.host}${url.pathname}, or http://localhost while testing in Sandbox.`,
			);
		}
	}
}

/** A webhook receiver URL: absolute http(s). */
export function checkWebhookUrl(at: ItemContext, text: string, parameter: string): void {
	parseAbsoluteUrl(at, text, parameter, 'the Production URL of a Plaid Trigger or Webhook node');
}

const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;

export function checkAndroidPackageName(at: ItemContext, text: string): void {
	if (!ANDROID_PACKAGE.test(text)) {
		throw invalidParameter(
			at,
			'Android Package Name',
			`is not an Android package name: "${text}"`,
			'Use the applicationId of your Android app, dot-separated, for example com.example.onboarding.',
		);
	}
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** One @, something before it, a dotted domain after it, no spaces; linear in the length. */
export function isEmailAddress(text: string): boolean {
	const parts = text.split('@');
	if (parts.length !== 2 || /\s/.test(text) || text.length > 254) return false;
	const [local, domain] = parts;
	const labels = domain.split('.');
	return local !== '' && labels.length >= 2 && labels.every((label) => label !== '');
}

/** Plaid wants E.164; separators people type (spaces, dashes, dots, brackets) are dropped. */
export function normalizePhoneNumber(at: ItemContext, text: string, parameter: string): string {
	const compact = text.replace(/[\s\-().]/g, '');
	if (!E164.test(compact)) {
		throw invalidParameter(
			at,
			parameter,
			`is not an international phone number: "${text}"`,
			'Write + then the country code and number, e.g. +14155550011 for a US number.',
		);
	}
	return compact;
}

/** A person's phone number field, read with normalizePhoneNumber. */
export const phoneNumberOption: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phoneNumber',
	type: 'string',
	default: '',
	placeholder: 'e.g. +14155550011',
	description: 'In international (E.164) format: + then country code and number',
};

export function checkEmailAddress(at: ItemContext, text: string, parameter: string): string {
	if (!isEmailAddress(text)) {
		throw invalidParameter(at, parameter, `is not an email address: "${text}"`, 'Write it like name@example.com.');
	}
	return text;
}

/** Plaid's token kinds and how each is written: `<kind>-<environment>-<identifier>`. */
const TOKEN_KINDS = {
	access: { name: 'access token', a: 'an', mapFrom: 'the access_token from Exchange Public Token (or Get User Account Session)' },
	public: { name: 'public token', a: 'a', mapFrom: 'the public_token from Link (the Plaid Trigger, Get Link Token, or Create Sandbox Public Token)' },
	link: { name: 'link token', a: 'a', mapFrom: 'the link_token from Create Link Token' },
} as const;

/**
 * A Plaid token of the kind this field takes, for the credential's environment. Plaid answers
 * a malformed token, or one of the other environment, with INVALID_ACCESS_TOKEN and the like
 * (https://plaid.com/docs/errors/invalid-input/); both are refused here before sending.
 */
export function requireToken(
	at: ItemContext,
	value: unknown,
	parameter: string,
	kind: keyof typeof TOKEN_KINDS,
	environment: PlaidEnvironment,
): string {
	const { name, a, mapFrom } = TOKEN_KINDS[kind];
	const token = requireText(at, value, parameter, `Map ${mapFrom}, e.g. {{ $json.${kind}_token }}.`);
	const match = /^(access|public|link)-([a-z]+)-/.exec(token);
	if (!match || match[1] !== kind) {
		const found = match && TOKEN_KINDS[match[1] as keyof typeof TOKEN_KINDS];
		const other = found ? ` (it is ${found.a} ${found.name})` : '';
		throw invalidParameter(
			at,
			parameter,
			`is not a Plaid ${name}${other}: "${shorten(token)}"`,
			`${a === 'an' ? 'An' : 'A'} ${name} starts with ${kind}-, e.g. ${kind}-sandbox-…. Map ${mapFrom}.`,
		);
	}
	const tokenEnvironment = match[2];
	if (environment !== 'custom' && tokenEnvironment !== environment) {
		throw invalidParameter(
			at,
			parameter,
			`is a ${tokenEnvironment} ${name}, but the credential is for ${environment === 'production' ? 'Production' : 'Sandbox'}`,
			`Plaid tokens work only in the environment that issued them: use a credential for ${tokenEnvironment}, or a ${name} from ${environment}.`,
		);
	}
	return token;
}

/** Enough of a secret to recognise it in an error, not enough to use it. */
function shorten(token: string): string {
	return token.length > 24 ? `${token.slice(0, 20)}…` : token;
}

/**
 * A list parameter: what a multi-select gives, an expression's list, or text separated by
 * commas; empty entries dropped, duplicates kept once.
 */
export function readList(at: ItemContext, value: unknown, parameter: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	const texts = entries.map((entry) => readText(at, entry, parameter)).filter((entry) => entry !== '');
	return [...new Set(texts)];
}

/** A list whose every entry is one of `allowed` (Plaid's enum); names the first that is not. */
export function readChoices(at: ItemContext, value: unknown, parameter: string, allowed: ReadonlyArray<{ value: string | number | boolean }>): string[] {
	const values = allowed.map((option) => String(option.value));
	const list = readList(at, value, parameter);
	const unknown = list.find((entry) => !values.includes(entry));
	if (unknown !== undefined) {
		throw invalidParameter(
			at,
			parameter,
			`has a value Plaid does not know: "${unknown}"`,
			`Choose from the list; Plaid's values are ${values.join(', ')}.`,
		);
	}
	return list;
}

/** One of `allowed`; names the value when it is not (an expression can give anything). */
export function readChoice(at: ItemContext, value: unknown, parameter: string, allowed: ReadonlyArray<{ value: string | number | boolean }>): string {
	const text = readText(at, value, parameter);
	const values = allowed.map((option) => String(option.value));
	if (!values.includes(text)) {
		throw invalidParameter(at, parameter, `is not one Plaid knows: "${text}"`, `Choose from the list; Plaid's values are ${values.join(', ')}.`);
	}
	return text;
}

/** A two-letter country code, upper-cased; checked before upper-casing ('ß'.toUpperCase() is 'SS'). */
export function readCountryCode(at: ItemContext, value: unknown, parameter: string): string {
	const typed = readText(at, value, parameter);
	if (typed === '') return '';
	if (!/^[A-Za-z]{2}$/.test(typed)) {
		throw invalidParameter(at, parameter, `is not a two-letter country code: "${typed}"`, 'Use the two-letter ISO code, e.g. US, CA or GB.');
	}
	return typed.toUpperCase();
}

/** The Leave Out choice: which of `allowed` (Plaid field names) to drop from the output. */
export function readLeaveOut<Field extends string>(at: ItemContext, value: unknown, allowed: readonly Field[]): Field[] {
	return readList(at, value, 'Leave Out').map((field) => {
		if (!(allowed as readonly string[]).includes(field)) {
			throw invalidParameter(at, 'Leave Out', `has an unknown field "${field}"`, `Choose from ${allowed.join(', ')}.`);
		}
		return field as Field;
	});
}

/**
 * Adds Redirect URI, Android Package Name and Webhook URL (of a Layer or Link token) to the body,
 * checked as Plaid's docs ask.
 */
export function withLinkDestinations(
	at: ItemContext,
	body: IDataObject,
	input: { redirectUri?: unknown; androidPackageName?: unknown; webhook?: unknown },
	environment: PlaidEnvironment,
): IDataObject {
	const redirectUri = readText(at, input.redirectUri, 'Redirect URI');
	const androidPackageName = readText(at, input.androidPackageName, 'Android Package Name');
	if (redirectUri !== '' && androidPackageName !== '') {
		throw invalidParameter(
			at,
			'Redirect URI',
			'cannot be used together with Android Package Name',
			'Plaid takes Android Package Name for Android apps and Redirect URI for everything else: remove one of them.',
		);
	}
	if (redirectUri !== '') {
		checkRedirectUri(at, redirectUri, environment);
		body.redirect_uri = redirectUri;
	}
	if (androidPackageName !== '') {
		checkAndroidPackageName(at, androidPackageName);
		body.android_package_name = androidPackageName;
	}

	const webhook = readText(at, input.webhook, 'Webhook URL');
	if (webhook !== '') {
		checkWebhookUrl(at, webhook, 'Webhook URL');
		body.webhook = webhook;
	}
	return body;
}

/** The user a Layer or Link token is for: User ID (from Create User), Client User ID, or both. */
export function readUserIds(at: ItemContext, input: { userId?: unknown; clientUserId?: unknown }): { userId: string; clientUserId: string } {
	const userId = readText(at, input.userId, 'User ID');
	const clientUserId = readText(at, input.clientUserId, 'Client User ID');
	if (userId === '' && clientUserId === '') {
		throw invalidParameter(
			at,
			'User ID or Client User ID',
			'is required: both are empty',
			'Set Client User ID to your own ID for this person, or User ID to the user_id from Create User.',
		);
	}
	return { userId, clientUserId };
}

/** An operation's Additional Fields: the optional fields it takes, hidden until the user adds them. */
export function additionalFieldsProperty(displayOptions: IDisplayOptions, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options,
	};
}
