import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter, type ItemContext, readText, requireText } from '../parameters';
import { type OnboardingPageSettings, PLAID_LINK_SCRIPT_URL, renderOnboardingPage } from './page';

const showOnlyHere = { show: { resource: ['onboardingPage'], operation: ['render'] } };

/** What an unset or blank option means. The properties' `default`s repeat these as literals (n8n's lint wants literals). */
export const PAGE_DEFAULTS = {
	pageTitle: 'Create your account',
	brandColor: '#2563eb',
	logoUrl: '',
	phonePrompt: 'Mobile phone number',
	successMessage: 'Thank you. Your details are in, and we will take it from here.',
	fallbackMessage: 'We could not fill in your details automatically. Please continue with our standard sign-up.',
	linkScriptUrl: PLAID_LINK_SCRIPT_URL,
	defaultCountryCode: '1',
} as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Link Token',
		name: 'linkToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '={{ $json.link_token }}',
		placeholder: 'e.g. link-sandbox-af1a0311-da53-4636-b754-dd15cc058176',
		description: 'The link_token from Create Layer Session Token. It is embedded in the page, so serve the page only to the person it was created for.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Complete URL',
		name: 'completeUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/layer/onboarding/complete',
		description:
			'Where the page POSTs {public_token, link_session_id, metadata} as JSON when the user finishes: the URL of a POST Webhook node, or a path on the same host as the page (e.g. /webhook/layer/onboarding/complete)',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showOnlyHere,
		options: [
			{
				displayName: 'Brand Color',
				name: 'brandColor',
				type: 'color',
				default: '#2563eb',
				description: 'Colour of the buttons and focus rings, as #rgb or #rrggbb. Button text turns dark on light colours so it stays readable.',
			},
			{
				displayName: 'Default Country Calling Code',
				name: 'defaultCountryCode',
				type: 'string',
				default: '1',
				placeholder: 'e.g. 44',
				description: 'Added to phone numbers typed without a + and country code, e.g. 1 for the US and Canada',
			},
			{
				displayName: 'Fallback Message',
				name: 'fallbackMessage',
				type: 'string',
				typeOptions: { rows: 2 },
				default: 'We could not fill in your details automatically. Please continue with our standard sign-up.',
				description: 'Shown when Layer cannot help this user (not eligible, closed, or Plaid did not load)',
			},
			{
				displayName: 'Link Script URL',
				name: 'linkScriptUrl',
				type: 'string',
				default: 'https://cdn.plaid.com/link/v2/stable/link-initialize.js',
				description:
					"Plaid's Link script. Plaid requires its official URL in Sandbox and Production; change it only for tests or an offline set-up with a stand-in (https, or http on localhost).",
			},
			{
				displayName: 'Logo URL',
				name: 'logoUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://www.example.com/logo.svg',
				description: 'An image shown above the title: an http(s) address or a data:image/…;base64 URL. Leave empty for none.',
			},
			{
				displayName: 'Page Title',
				name: 'pageTitle',
				type: 'string',
				default: 'Create your account',
				description: 'The heading of the page and the browser tab title',
			},
			{
				displayName: 'Phone Number Prompt',
				name: 'phonePrompt',
				type: 'string',
				default: 'Mobile phone number',
				description: 'The label of the phone number field',
			},
			{
				displayName: 'Success Message',
				name: 'successMessage',
				type: 'string',
				typeOptions: { rows: 2 },
				default: 'Thank you. Your details are in, and we will take it from here.',
				description: 'Shown once the result reached the Complete URL',
			},
		],
	},
];

/** One item's parameters as n8n hands them over: anything an expression can produce. */
export interface OnboardingPageInput {
	linkToken: unknown;
	completeUrl: unknown;
	pageTitle?: unknown;
	brandColor?: unknown;
	logoUrl?: unknown;
	phonePrompt?: unknown;
	successMessage?: unknown;
	fallbackMessage?: unknown;
	linkScriptUrl?: unknown;
	defaultCountryCode?: unknown;
}

/** Long values are cut in messages, which are shown in one line. */
function quote(text: string): string {
	return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

interface UrlRules {
	parameter: string;
	example: string;
	/** Allow a path on the page's own origin, e.g. /webhook/x. */
	allowPath?: boolean;
	/** http only on localhost / 127.0.0.1. */
	httpsOnly?: boolean;
}

function checkUrl(at: ItemContext, text: string, rules: UrlRules): string {
	const { parameter, example } = rules;
	if (rules.allowPath && text.startsWith('/')) {
		if (!/^\/(?![/\\])[^\s\\]*$/.test(text)) {
			throw invalidParameter(at, parameter, `is not a plain path: ${quote(text)}`, `Write a path such as /webhook/layer/onboarding/complete, or a whole address such as ${example}.`);
		}
		return text;
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw invalidParameter(at, parameter, `is not an absolute URL: ${quote(text)}`, `Write the whole address including https://, for example ${example}.`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw invalidParameter(at, parameter, `must start with https:// (it starts with ${url.protocol})`, `Use a web address, for example ${example}.`);
	}
	// Read as written: the URL parser forgives "HTTPS://", backslashes and spaces, a browser may not.
	if (!/^https?:\/\/[^\s/?#\\@]+[^\s\\]*$/.test(text) || url.username !== '' || url.password !== '') {
		throw invalidParameter(
			at,
			parameter,
			`is not written as a plain web address: ${quote(text)}`,
			`Write it as ${example}: lower-case https://, then the host, with no user name, spaces or backslashes.`,
		);
	}
	if (url.hostname.startsWith('[')) {
		throw invalidParameter(
			at,
			parameter,
			`uses an IPv6 address (${url.hostname}), which a Content-Security-Policy cannot name`,
			'Use a host name instead, e.g. localhost or your domain.',
		);
	}
	if (rules.httpsOnly && url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
		throw invalidParameter(
			at,
			parameter,
			`must use https:// (http:// is allowed only for localhost and 127.0.0.1, not for ${url.hostname})`,
			`Use https://${url.host}${url.pathname}, or leave it empty for Plaid's official script.`,
		);
	}
	return text;
}

const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

function readLogoUrl(at: ItemContext, value: unknown): string {
	const text = readText(at, value, 'Logo URL');
	if (text === '') return '';
	if (text.startsWith('data:')) {
		if (!DATA_IMAGE.test(text)) {
			throw invalidParameter(
				at,
				'Logo URL',
				'is a data URL but not a base64 PNG, GIF, JPEG, WebP or SVG image',
				'Use data:image/png;base64,… (or image/svg+xml, image/jpeg, image/gif, image/webp), or an https:// address.',
			);
		}
		return text;
	}
	return checkUrl(at, text, { parameter: 'Logo URL', example: 'https://www.example.com/logo.svg' });
}

function readColor(at: ItemContext, value: unknown): string {
	const text = readText(at, value, 'Brand Color');
	if (text === '') return PAGE_DEFAULTS.brandColor;
	if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(text)) {
		throw invalidParameter(at, 'Brand Color', `is not a colour in the form #rgb or #rrggbb: ${quote(text)}`, 'Pick a colour, or write it as hex, e.g. #2563eb.');
	}
	return text.toLowerCase();
}

function readCountryCode(at: ItemContext, value: unknown): string {
	const text = readText(at, value, 'Default Country Calling Code');
	if (text === '') return PAGE_DEFAULTS.defaultCountryCode;
	const digits = text.replace(/^\+/, '');
	if (!/^[1-9][0-9]{0,2}$/.test(digits)) {
		throw invalidParameter(
			at,
			'Default Country Calling Code',
			`is not a country calling code: ${quote(text)}`,
			'Write the 1 to 3 digits after the + of international numbers, e.g. 1 for the US and Canada or 44 for the UK.',
		);
	}
	return digits;
}

function readMessage(at: ItemContext, value: unknown, parameter: string, fallback: string, max: number): string {
	const text = readText(at, value, parameter);
	if (text === '') return fallback;
	if (text.length > max) {
		throw invalidParameter(at, parameter, `is ${text.length} characters long; at most ${max} fit the page`, 'Shorten it.');
	}
	return text;
}

// Plaid's link tokens: link-<environment>-<uuid>. Anything else would only fail inside Plaid's window.
const LINK_TOKEN = /^link-[a-z]+-[A-Za-z0-9-]{1,200}$/;

/** Checks one item's parameters and fills in defaults, or throws a NodeOperationError naming the field to fix. */
export function readOnboardingPageSettings(at: ItemContext, input: OnboardingPageInput): OnboardingPageSettings {
	const linkToken = requireText(
		at,
		input.linkToken,
		'Link Token',
		'Map the link_token from Create Layer Session Token, e.g. {{ $json.link_token }}.',
	);
	if (!LINK_TOKEN.test(linkToken)) {
		throw invalidParameter(
			at,
			'Link Token',
			`is not a Plaid link token: ${quote(linkToken)}`,
			'A link token starts with link-, e.g. link-sandbox-…; map the link_token from Create Layer Session Token, not a public or access token.',
		);
	}
	const completeUrl = checkUrl(
		at,
		requireText(at, input.completeUrl, 'Complete URL', 'Set it to the URL of the POST Webhook node that receives the result, e.g. https://n8n.example.com/webhook/layer/onboarding/complete.'),
		{ parameter: 'Complete URL', example: 'https://n8n.example.com/webhook/layer/onboarding/complete', allowPath: true },
	);
	const linkScriptText = readText(at, input.linkScriptUrl, 'Link Script URL');
	const linkScriptUrl =
		linkScriptText === ''
			? PAGE_DEFAULTS.linkScriptUrl
			: checkUrl(at, linkScriptText, { parameter: 'Link Script URL', example: PLAID_LINK_SCRIPT_URL, httpsOnly: true });
	return {
		linkToken,
		completeUrl,
		linkScriptUrl,
		pageTitle: readMessage(at, input.pageTitle, 'Page Title', PAGE_DEFAULTS.pageTitle, 120),
		brandColor: readColor(at, input.brandColor),
		logoUrl: readLogoUrl(at, input.logoUrl),
		phonePrompt: readMessage(at, input.phonePrompt, 'Phone Number Prompt', PAGE_DEFAULTS.phonePrompt, 200),
		successMessage: readMessage(at, input.successMessage, 'Success Message', PAGE_DEFAULTS.successMessage, 2000),
		fallbackMessage: readMessage(at, input.fallbackMessage, 'Fallback Message', PAGE_DEFAULTS.fallbackMessage, 2000),
		defaultCountryCode: readCountryCode(at, input.defaultCountryCode),
	};
}

/**
 * The output item: the page, its Content-Security-Policy header value and the settings used
 * (link_token under Plaid's name, so `{{ $json.link_token }}` keeps working downstream).
 */
export function buildOnboardingPage(at: ItemContext, input: OnboardingPageInput): IDataObject {
	const settings = readOnboardingPageSettings(at, input);
	const page = renderOnboardingPage(settings);
	const { linkToken, ...used } = settings;
	return { html: page.html, contentSecurityPolicy: page.contentSecurityPolicy, link_token: linkToken, ...used };
}

/**
 * Render Layer Onboarding Page: sends no request to Plaid. Each item's output is built from its
 * own parameters by `run` (the execute loop calls it instead of sending a request).
 */
export const renderLayerOnboardingPage = {
	properties,
	run(context: IExecuteFunctions, itemIndex: number): IDataObject {
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return buildOnboardingPage(
			{ node: context.getNode(), itemIndex },
			{
				...options,
				linkToken: context.getNodeParameter('linkToken', itemIndex, ''),
				completeUrl: context.getNodeParameter('completeUrl', itemIndex, ''),
			},
		);
	},
};
