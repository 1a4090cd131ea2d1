import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter, type ItemContext, itemContext, readParameter, readText, requireText } from '../parameters';
import type { LocalOperation } from '../types';
import {
	type LinkEnvironment,
	type OnboardingFallback,
	type OnboardingPageSettings,
	type OnboardingPageType,
	PLAID_LINK_SCRIPT_URL,
	renderOnboardingPage,
} from './page';

const showOnlyHere = { show: { resource: ['onboardingPage'], operation: ['render'] } };
const forPageType = (pageType: OnboardingPageType) => ({ show: { ...showOnlyHere.show, pageType: [pageType] } });

/** The file a static page comes as, for nodes that upload it. */
export const STATIC_PAGE_FILE_NAME = 'index.html';

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

/** If Layer Cannot Help, shown for one node version with that version's default. */
const fallbackProperty = (version: number, fallback: OnboardingFallback): INodeProperties => ({
	displayName: 'If Layer Cannot Help',
	name: 'fallback',
	type: 'options',
	default: fallback,
	description:
		'What the page does for a visitor Layer does not recognise (in Sandbox 415-555-0000), who closes Layer, or whose date of birth did not help either',
	options: [
		{
			name: 'Go to a URL',
			value: 'url',
			description: 'Send the visitor to Fallback URL, e.g. your own sign-up form',
		},
		{
			name: 'Open Standard Plaid Link',
			value: 'link',
			description:
				'Ask Fallback Token URL for a Link token (sending the phone number and date of birth the visitor typed), then let them connect their bank in Plaid Link; the result goes to Complete URL',
		},
		{
			name: 'Show a Message',
			value: 'message',
			description: 'Show the Fallback Message (Options)',
		},
	],
	displayOptions: { show: { ...showOnlyHere.show, '@version': [version] } },
});

const properties: INodeProperties[] = [
	{
		displayName: 'Page Type',
		name: 'pageType',
		type: 'options',
		noDataExpression: true,
		default: 'token',
		options: [
			{
				name: 'Page With Its Link Token (Answer a Webhook)',
				value: 'token',
				description: 'Answer a webhook with this page, made for one visitor: the link token from Create Layer Session Token is inside',
			},
			{
				name: 'Static Page (Host It on Your Site)',
				value: 'static',
				description: 'One page for every visitor, to put on your own site: it asks the Token URL for a link token, so it works with n8n Cloud',
			},
		],
		displayOptions: showOnlyHere,
	},
	{
		displayName:
			"n8n serves webhook pages in a sandbox in which Plaid Link cannot run: the page then says so to the visitor. On self-hosted n8n, set N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX=true; on n8n Cloud, use Page Type 'Static Page' and host the page on your own site.",
		name: 'sandboxNotice',
		type: 'notice',
		default: '',
		displayOptions: forPageType('token'),
	},
	{
		displayName: 'Link Token',
		name: 'linkToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '={{ $json.link_token }}',
		placeholder: 'e.g. link-sandbox-af1a0311-da53-4636-b754-dd15cc058176',
		description: 'The link_token from Create Layer Session Token. It is embedded in the page, so serve the page only to the person it was created for.',
		displayOptions: forPageType('token'),
	},
	{
		displayName: 'Token URL',
		// Not "tokenUrl": n8n's lint takes any parameter named *token* for a secret to hide.
		name: 'startUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/layer/static/start',
		description:
			"Where the page POSTs {user_id} (its URL's ?user_id=, else a random ID) for a link token: a POST Webhook node that runs Create User and Create Layer Session Token and answers {link_token}. Set that webhook's Allowed Origins to your site.",
		displayOptions: forPageType('static'),
	},
	{
		displayName: 'Plaid Environment',
		name: 'plaidEnvironment',
		type: 'options',
		default: 'sandbox',
		options: [
			{ name: 'Sandbox', value: 'sandbox', description: 'Link tokens from a Sandbox credential' },
			{ name: 'Production', value: 'production', description: 'Link tokens from a Production credential' },
		],
		description:
			"Which Plaid the link tokens come from: the page's policy lets Plaid Link talk only to that environment's API. A page given a token of the other environment says so.",
		displayOptions: forPageType('static'),
	},
	// Nodes saved before this choice (version 1) keep showing the message they showed; new ones (1.1) open standard Link.
	fallbackProperty(1, 'message'),
	fallbackProperty(1.1, 'link'),
	{
		displayName: 'Fallback Token URL',
		// Not "fallbackTokenUrl": n8n's lint takes any parameter named *token* for a secret to hide.
		name: 'fallbackStartUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/onboarding/fallback-token',
		description:
			'Where the page POSTs {phone_number, date_of_birth, link_token} for a standard Link token when Layer cannot help: a POST Webhook node that runs Create Link Token (with the phone number as User Phone Number) and answers {link_token}',
		displayOptions: { show: { ...showOnlyHere.show, fallback: ['link'] } },
	},
	{
		displayName: 'Fallback URL',
		name: 'fallbackUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://www.example.com/sign-up',
		description: 'Where the visitor goes when Layer cannot help, e.g. your own sign-up form',
		displayOptions: { show: { ...showOnlyHere.show, fallback: ['url'] } },
	},
	{
		displayName: 'Complete URL',
		name: 'completeUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/layer/onboarding/complete',
		description:
			'Where the page POSTs {flow, link_token, phone_number, public_token, link_session_id, metadata} as JSON when the user finishes (flow: layer or link): the URL of a POST Webhook node, or a path on the same host as the page (e.g. /webhook/onboarding/complete). For a static page, set that webhook\'s Allowed Origins to your site.',
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
				description:
					"Shown when Layer cannot help this user and If Layer Cannot Help is 'Show a Message', and whenever Plaid did not load",
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
	/** Unset in workflows saved before page types: the page with its link token. */
	pageType?: unknown;
	linkToken?: unknown;
	tokenUrl?: unknown;
	plaidEnvironment?: unknown;
	/** Unset in workflows saved before the fallback choice: the message. */
	fallback?: unknown;
	fallbackTokenUrl?: unknown;
	fallbackUrl?: unknown;
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
	/** A path a Content-Security-Policy can name as it is (a script source). */
	plainPath?: boolean;
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
	if (rules.plainPath && !/^[A-Za-z0-9/._~%-]*$/.test(url.pathname)) {
		throw invalidParameter(
			at,
			parameter,
			`has characters a Content-Security-Policy cannot name in its path: ${quote(url.pathname)}`,
			`Use a plain path of letters, digits and / . _ - ~, like ${example}.`,
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
const LINK_TOKEN = /^link-([a-z]+)-[A-Za-z0-9-]{1,200}$/;

const PAGE_TYPES: readonly OnboardingPageType[] = ['token', 'static'];
const FALLBACKS: readonly OnboardingFallback[] = ['link', 'url', 'message'];
const ENVIRONMENTS: readonly LinkEnvironment[] = ['sandbox', 'production'];

function readChoice<T extends string>(at: ItemContext, value: unknown, parameter: string, choices: readonly T[], fallback: T): T {
	const text = readText(at, value, parameter);
	if (text === '') return fallback;
	if (!(choices as readonly string[]).includes(text)) {
		throw invalidParameter(at, parameter, `has an unknown value ${quote(text)}`, `Choose one of ${choices.join(', ')}.`);
	}
	return text as T;
}

/** The page's link token, and the Plaid environment it belongs to (link-<environment>-…). */
function readLinkToken(at: ItemContext, value: unknown): { linkToken: string; environment: LinkEnvironment } {
	const linkToken = requireText(at, value, 'Link Token', 'Map the link_token from Create Layer Session Token, e.g. {{ $json.link_token }}.');
	const match = LINK_TOKEN.exec(linkToken);
	if (!match) {
		throw invalidParameter(
			at,
			'Link Token',
			`is not a Plaid link token: ${quote(linkToken)}`,
			'A link token starts with link-, e.g. link-sandbox-…; map the link_token from Create Layer Session Token, not a public or access token.',
		);
	}
	return { linkToken, environment: match[1] === 'production' ? 'production' : 'sandbox' };
}

/** Checks one item's parameters and fills in defaults, or throws a NodeOperationError naming the field to fix. */
export function readOnboardingPageSettings(at: ItemContext, input: OnboardingPageInput): OnboardingPageSettings {
	const pageType = readChoice(at, input.pageType, 'Page Type', PAGE_TYPES, 'token');
	const endpointExample = (path: string) => `https://n8n.example.com/webhook/${path}`;
	const page =
		pageType === 'token'
			? { ...readLinkToken(at, input.linkToken), tokenUrl: '' }
			: {
					linkToken: '',
					tokenUrl: checkUrl(
						at,
						requireText(at, input.tokenUrl, 'Token URL', `Set it to the URL of the POST Webhook node that answers {link_token}, e.g. ${endpointExample('layer/static/start')}.`),
						{ parameter: 'Token URL', example: endpointExample('layer/static/start'), allowPath: true },
					),
					environment: readChoice(at, input.plaidEnvironment, 'Plaid Environment', ENVIRONMENTS, 'sandbox'),
				};
	const completeUrl = checkUrl(
		at,
		requireText(at, input.completeUrl, 'Complete URL', `Set it to the URL of the POST Webhook node that receives the result, e.g. ${endpointExample('layer/onboarding/complete')}.`),
		{ parameter: 'Complete URL', example: endpointExample('layer/onboarding/complete'), allowPath: true },
	);
	const fallback = readChoice(at, input.fallback, 'If Layer Cannot Help', FALLBACKS, 'message');
	const fallbackTokenUrl =
		fallback === 'link'
			? checkUrl(
					at,
					requireText(at, input.fallbackTokenUrl, 'Fallback Token URL', `Set it to the URL of the POST Webhook node that answers {link_token} from Create Link Token, e.g. ${endpointExample('onboarding/fallback-token')}.`),
					{ parameter: 'Fallback Token URL', example: endpointExample('onboarding/fallback-token'), allowPath: true },
				)
			: '';
	const fallbackUrl =
		fallback === 'url'
			? checkUrl(at, requireText(at, input.fallbackUrl, 'Fallback URL', 'Set it to your own sign-up form, e.g. https://www.example.com/sign-up.'), {
					parameter: 'Fallback URL',
					example: 'https://www.example.com/sign-up',
					allowPath: true,
				})
			: '';
	const linkScriptText = readText(at, input.linkScriptUrl, 'Link Script URL');
	const linkScriptUrl =
		linkScriptText === ''
			? PAGE_DEFAULTS.linkScriptUrl
			: checkUrl(at, linkScriptText, { parameter: 'Link Script URL', example: PLAID_LINK_SCRIPT_URL, httpsOnly: true, plainPath: true });
	return {
		pageType,
		...page,
		completeUrl,
		fallback,
		fallbackTokenUrl,
		fallbackUrl,
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
 * The output item's JSON: the page, its Content-Security-Policy header value and the settings
 * used (link_token under Plaid's name, so `{{ $json.link_token }}` keeps working downstream).
 */
export function buildOnboardingPage(at: ItemContext, input: OnboardingPageInput): IDataObject {
	const settings = readOnboardingPageSettings(at, input);
	const page = renderOnboardingPage(settings);
	const { linkToken, tokenUrl, ...used } = settings;
	return {
		html: page.html,
		contentSecurityPolicy: page.contentSecurityPolicy,
		...(settings.pageType === 'token' ? { link_token: linkToken } : { tokenUrl, fileName: STATIC_PAGE_FILE_NAME }),
		...used,
	};
}

/** The fallback fields as this node's version has them. */
function readFallback(context: IExecuteFunctions, itemIndex: number): Pick<OnboardingPageInput, 'fallback' | 'fallbackTokenUrl' | 'fallbackUrl'> {
	const fallback = readParameter(context, 'fallback', itemIndex, itemContext(context, itemIndex).node.typeVersion >= 1.1 ? 'link' : 'message');
	if (fallback === 'link') return { fallback, fallbackTokenUrl: readParameter(context, 'fallbackStartUrl', itemIndex, '') };
	if (fallback === 'url') return { fallback, fallbackUrl: readParameter(context, 'fallbackUrl', itemIndex, '') };
	return { fallback };
}

/**
 * Render Layer Onboarding Page: sends no request to Plaid. Each item's output is built from its
 * own parameters; a static page also comes as the binary file index.html (in `data`), for nodes
 * that upload files.
 */
export const renderLayerOnboardingPage: LocalOperation = {
	properties,
	async run(context: IExecuteFunctions, itemIndex: number): Promise<{ json: IDataObject; binary?: IBinaryKeyData }> {
		const options = readParameter(context, 'options', itemIndex, {}) as IDataObject;
		const pageType = readParameter(context, 'pageType', itemIndex, 'token');
		const json = buildOnboardingPage(
			itemContext(context, itemIndex),
			{
				...options,
				pageType,
				...(pageType === 'static'
					? { tokenUrl: readParameter(context, 'startUrl', itemIndex, ''), plaidEnvironment: readParameter(context, 'plaidEnvironment', itemIndex, 'sandbox') }
					: { linkToken: readParameter(context, 'linkToken', itemIndex, '') }),
				completeUrl: readParameter(context, 'completeUrl', itemIndex, ''),
				...readFallback(context, itemIndex),
			},
		);
		if (json.pageType !== 'static') return { json };
		const file = await context.helpers.prepareBinaryData(Buffer.from(json.html as string, 'utf8'), STATIC_PAGE_FILE_NAME, 'text/html');
		return { json, binary: { data: file } };
	},
};
