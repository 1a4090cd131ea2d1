import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { additionalFieldsProperty, checkEmailAddress, invalidParameter, type ItemContext, itemContext, normalizePhoneNumber, readChoice, readChoices, readList, readParameter, readText, readUserIds, requireText, requireToken, withLinkDestinations } from '../parameters';
import { COUNTRY_CODES, LINK_LANGUAGES, PRODUCTS, UPDATE_MODE_PRODUCTS } from '../plaidValues';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['linkToken'], operation: ['create'] } };

/** Plaid: "Maximum length of 30 characters. If a value longer than 30 characters is provided, Link will display 'This Application' instead." */
const CLIENT_NAME_MAX = 30;

const productsOption = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'multiOptions',
	options: PRODUCTS,
	default: [],
	description,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Client Name',
		name: 'clientName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Acme',
		description: 'Your app’s name as Link shows it to the user, at most 30 characters',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: LINK_LANGUAGES,
		default: 'en',
		description: 'The language Link is shown in. With a Link customization, it must be the customization’s language.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Country Codes',
		name: 'countryCodes',
		type: 'multiOptions',
		options: COUNTRY_CODES,
		required: true,
		default: ['US'],
		description: 'Link shows institutions of these countries',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Products',
		name: 'products',
		type: 'multiOptions',
		options: PRODUCTS,
		default: ['auth'],
		description:
			'Products the linked Item must support; Link shows only institutions that support all of them. Balance needs no choosing: it comes with any product. Leave empty only in update mode (with an Access Token).',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.user_id }}',
		description: 'The Plaid user_id from Create User; Items linked in the session then belong to that user. Give this, a Client User ID, or both.',
		displayOptions: showOnlyHere,
	},
	{
		displayName: 'Client User ID',
		name: 'clientUserId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.body.userId }}',
		description:
			'Your own stable ID for this person, such as the user ID in your database. Do not use an email address or phone number. Needed for Phone Number, Email Address and Legal Name.',
		displayOptions: showOnlyHere,
	},
	additionalFieldsProperty(showOnlyHere, [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. {{ $json.access_token }}',
			description:
				'Only for update mode: the access_token of the Item the user repairs or extends (e.g. after ITEM_LOGIN_REQUIRED). Leave Products empty then.',
		},
		productsOption(
			'Additional Consented Products',
			'additionalConsentedProducts',
			'Products to collect consent for now and use later, billed only once used. Not the same products as in the other lists.',
		),
		{
			displayName: 'Android Package Name',
			name: 'androidPackageName',
			type: 'string',
			default: '',
			placeholder: 'e.g. com.example.onboarding',
			description: 'Only when Link opens in an Android app: its package name, also listed in the Plaid Dashboard. Leave Redirect URI empty then.',
		},
		{
			displayName: 'Email Address',
			name: 'emailAddress',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: "The user's email address, to prefill Link",
		},
		{
			displayName: 'Legal Name',
			name: 'legalName',
			type: 'string',
			default: '',
			placeholder: 'e.g. Leslie Knope',
			description: "The user's full legal name, used by micro-deposit verification so Link does not ask for it",
		},
		{
			displayName: 'Link Customization Name',
			name: 'linkCustomizationName',
			type: 'string',
			default: '',
			placeholder: 'e.g. default',
			description: 'A Link customization from the Plaid Dashboard; its language and countries should match the ones chosen here',
		},
		productsOption(
			'Optional Products',
			'optionalProducts',
			'Products fetched on a best-effort basis: an institution without them still links. Needs at least one product in Products.',
		),
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +14155550011',
			description:
				"The user's phone number in international (E.164) format, to prefill Link for returning users; after Layer answers LAYER_NOT_AVAILABLE, Plaid suggests passing it",
		},
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://app.example.com/plaid/oauth',
			description:
				'Where the browser returns after a bank OAuth login. Must be listed under Allowed redirect URIs in the Plaid Dashboard, have no query string, and use https in Production.',
		},
		productsOption(
			'Required If Supported Products',
			'requiredIfSupportedProducts',
			'Products required only when the chosen institution and accounts support them; other institutions still show. Needs at least one product in Products.',
		),
		{
			displayName: 'Webhook URL',
			name: 'webhook',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/plaid',
			description: "Where Plaid sends this session's and the Item's webhooks: the Production URL of a Plaid Trigger node",
		},
	]),
];

export interface LinkTokenInput {
	clientName: unknown;
	language: unknown;
	countryCodes: unknown;
	products: unknown;
	userId: unknown;
	clientUserId: unknown;
	accessToken?: unknown;
	requiredIfSupportedProducts?: unknown;
	optionalProducts?: unknown;
	additionalConsentedProducts?: unknown;
	phoneNumber?: unknown;
	emailAddress?: unknown;
	legalName?: unknown;
	redirectUri?: unknown;
	androidPackageName?: unknown;
	webhook?: unknown;
	linkCustomizationName?: unknown;
}

/** The four product lists, by Plaid name and display name; Plaid wants no product in two of them. */
const PRODUCT_LISTS = [
	['products', 'products', 'Products'],
	['required_if_supported_products', 'requiredIfSupportedProducts', 'Required If Supported Products'],
	['optional_products', 'optionalProducts', 'Optional Products'],
	['additional_consented_products', 'additionalConsentedProducts', 'Additional Consented Products'],
] as const;

const productName = (value: string) => PRODUCTS.find((option) => option.value === value)?.name ?? value;

function readProducts(at: ItemContext, value: unknown, parameter: string): string[] {
	const list = readList(at, value, parameter);
	if (list.includes('balance')) {
		throw invalidParameter(
			at,
			parameter,
			'must not list Balance',
			'Plaid sets Balance up with any other product, and refuses it in these lists: remove it and choose the products you need, e.g. Auth.',
		);
	}
	return readChoices(at, list, parameter, PRODUCTS);
}

/** Builds the `/link/token/create` body, or throws a NodeOperationError naming the field to fix. */
export function buildLinkTokenRequest(at: ItemContext, input: LinkTokenInput, environment: PlaidEnvironment): IDataObject {
	const clientName = requireText(at, input.clientName, 'Client Name', 'Set it to your app’s name as Link should show it, e.g. Acme.');
	if (clientName.length > CLIENT_NAME_MAX) {
		throw invalidParameter(
			at,
			'Client Name',
			`is ${clientName.length} characters long; Link shows at most ${CLIENT_NAME_MAX}`,
			'Plaid shows "This Application" instead of a longer name: shorten it.',
		);
	}
	const countryCodes = readChoices(at, input.countryCodes, 'Country Codes', COUNTRY_CODES);
	if (countryCodes.length === 0) {
		throw invalidParameter(at, 'Country Codes', 'is empty', 'Choose the countries whose banks Link should show, e.g. United States.');
	}
	const body: IDataObject = {
		client_name: clientName,
		language: readChoice(at, input.language, 'Language', LINK_LANGUAGES),
		country_codes: countryCodes,
	};

	const { userId, clientUserId } = readUserIds(at, input);
	if (userId !== '') body.user_id = userId;
	const user: IDataObject = {};
	const phoneNumber = readText(at, input.phoneNumber, 'Phone Number');
	if (phoneNumber !== '') user.phone_number = normalizePhoneNumber(at, phoneNumber, 'Phone Number');
	const emailAddress = readText(at, input.emailAddress, 'Email Address');
	if (emailAddress !== '') user.email_address = checkEmailAddress(at, emailAddress, 'Email Address');
	const legalName = readText(at, input.legalName, 'Legal Name');
	if (legalName !== '') user.legal_name = legalName;
	if (clientUserId !== '') body.user = { client_user_id: clientUserId, ...user };
	else if (Object.keys(user).length > 0) {
		const first = phoneNumber !== '' ? 'Phone Number' : emailAddress !== '' ? 'Email Address' : 'Legal Name';
		throw invalidParameter(
			at,
			first,
			'needs a Client User ID',
			'Plaid takes the user’s details only together with client_user_id: set Client User ID (your own ID for the person) as well.',
		);
	}

	const accessToken = readText(at, input.accessToken, 'Access Token');
	const updateMode = accessToken !== '';
	if (updateMode) body.access_token = requireToken(at, accessToken, 'Access Token', 'access', environment);

	const lists = PRODUCT_LISTS.map(([plaidName, field, label]) => [plaidName, label, readProducts(at, input[field], label)] as const);
	const [products] = lists;
	if (!updateMode && products[2].length === 0) {
		throw invalidParameter(
			at,
			'Products',
			'is empty',
			'Choose at least one product the Item must support, e.g. Auth. Products may be empty only in update mode, with an Access Token.',
		);
	}
	if (updateMode) {
		const notForUpdate = products[2].filter((product) => !UPDATE_MODE_PRODUCTS.test(product));
		if (notForUpdate.length > 0) {
			throw invalidParameter(
				at,
				'Products',
				`must be empty in update mode, but lists ${notForUpdate.map(productName).join(', ')}`,
				'Update mode repairs the Item’s connection and keeps its products (only Assets, Statements, Income Verification and Plaid Check products can be added). Use the product’s operation with the access token instead.',
			);
		}
	}
	for (const [index, [, label, list]] of lists.entries()) {
		for (const [, otherLabel, other] of lists.slice(index + 1)) {
			const both = list.filter((product) => other.includes(product));
			if (both.length > 0) {
				throw invalidParameter(
					at,
					otherLabel,
					`lists ${both.map(productName).join(', ')}, which ${label} lists too`,
					'Plaid wants each product in one list only: remove it from one of them.',
				);
			}
		}
	}
	for (const [plaidName, label, list] of lists) {
		if (list.length === 0) continue;
		if ((plaidName === 'required_if_supported_products' || plaidName === 'optional_products') && products[2].length === 0) {
			throw invalidParameter(at, label, 'needs at least one product in Products', 'Plaid takes these only beside the products the Item must have: choose one in Products.');
		}
		body[plaidName] = list;
	}

	withLinkDestinations(at, body, input, environment);
	const customization = readText(at, input.linkCustomizationName, 'Link Customization Name');
	if (customization !== '') body.link_customization_name = customization;
	return body;
}

export const createLinkToken: PlaidOperation = {
	endpoint: '/link/token/create',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		const additional = readParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
		return buildLinkTokenRequest(
			itemContext(context, itemIndex),
			{
				clientName: readParameter(context, 'clientName', itemIndex, ''),
				language: readParameter(context, 'language', itemIndex, 'en'),
				countryCodes: readParameter(context, 'countryCodes', itemIndex, []),
				products: readParameter(context, 'products', itemIndex, []),
				userId: readParameter(context, 'userId', itemIndex, ''),
				clientUserId: readParameter(context, 'clientUserId', itemIndex, ''),
				...additional,
			},
			environment,
		);
	},
	toOutput(response: IDataObject) {
		const output: IDataObject = { link_token: response.link_token, expiration: response.expiration };
		if (response.user_id !== undefined) output.user_id = response.user_id;
		output.request_id = response.request_id;
		return output;
	},
};
