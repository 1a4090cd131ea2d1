import type { PlaidEnvironment } from '../../../credentials/PlaidLayerApi.credentials';

/**
 * A parameter value that cannot be sent to Plaid. Thrown by the pure request builders before any
 * request leaves n8n; the node turns it into a NodeOperationError that carries the item index.
 */
export class InvalidParameterError extends Error {
	constructor(
		/** The field's display name, as the user sees it in the node. */
		readonly parameter: string,
		readonly problem: string,
		/** What to change to make it valid. */
		readonly fix: string,
	) {
		super(`${parameter} ${problem}`);
		this.name = 'InvalidParameterError';
	}
}

/**
 * Reads a text parameter the way a user means it: expressions may resolve to numbers, null or
 * surrounding whitespace; objects and arrays are a mistake worth naming.
 */
export function readText(value: unknown, parameter: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	throw new InvalidParameterError(
		parameter,
		`must be text, but the value is ${kind}`,
		`If it is an expression, point it at a single text field (for example {{ $json.id }}), not at ${kind}.`,
	);
}

export function requireText(value: unknown, parameter: string, fix: string): string {
	const text = readText(value, parameter);
	if (text === '') throw new InvalidParameterError(parameter, 'is empty', fix);
	return text;
}

function parseAbsoluteUrl(text: string, parameter: string, example: string): URL {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new InvalidParameterError(
			parameter,
			`is not an absolute URL: "${text}"`,
			`Write the whole address including https://, for example ${example}.`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidParameterError(
			parameter,
			`must start with https:// (it starts with ${url.protocol}//)`,
			`Use a web address, for example ${example}.`,
		);
	}
	return url;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plaid's rules for `redirect_uri`: absolute, no query string, https (http://localhost outside Production). */
export function checkRedirectUri(text: string, environment: PlaidEnvironment): void {
	const parameter = 'Redirect URI';
	const example = 'https://app.example.com/plaid/oauth';
	const url = parseAbsoluteUrl(text, parameter, example);
	if (text.includes('?')) {
		throw new InvalidParameterError(
			parameter,
			`must not contain a query string ("${url.search || '?'}")`,
			`Plaid rejects redirect URIs with query parameters. Remove everything from "?" on, e.g. ${url.origin}${url.pathname}.`,
		);
	}
	if (url.protocol === 'http:') {
		if (environment === 'production') {
			throw new InvalidParameterError(
				parameter,
				'must use https:// in Production',
				`Plaid accepts only https redirect URIs in Production. Use https://${url.host}${url.pathname}.`,
			);
		}
		if (!LOCAL_HOSTS.has(url.hostname)) {
			throw new InvalidParameterError(
				parameter,
				`must use https:// (http:// is allowed only for localhost, not for ${url.hostname})`,
				`Use https://${url.host}${url.pathname}, or http://localhost while testing in Sandbox.`,
			);
		}
	}
}

/** A webhook receiver URL: absolute http(s). */
export function checkWebhookUrl(text: string, parameter: string): void {
	parseAbsoluteUrl(text, parameter, 'the Production URL of a Plaid Trigger or Webhook node');
}

const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;

export function checkAndroidPackageName(text: string): void {
	if (!ANDROID_PACKAGE.test(text)) {
		throw new InvalidParameterError(
			'Android Package Name',
			`is not an Android package name: "${text}"`,
			'Use the applicationId of your Android app, dot-separated, for example com.example.onboarding.',
		);
	}
}
