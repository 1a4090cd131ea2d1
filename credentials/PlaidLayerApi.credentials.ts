import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/** The Plaid API version every request is pinned to; the request builders follow this spec. */
export const PLAID_API_VERSION = '2020-09-14';

export const PLAID_BASE_URLS = {
	sandbox: 'https://sandbox.plaid.com',
	production: 'https://production.plaid.com',
} as const;

export type PlaidEnvironment = keyof typeof PLAID_BASE_URLS | 'custom';

export class PlaidLayerApi implements ICredentialType {
	name = 'plaidLayerApi';

	displayName = 'Plaid Layer API';

	icon: Icon = {
		light: 'file:../nodes/PlaidLayer/plaid.svg',
		dark: 'file:../nodes/PlaidLayer/plaid.dark.svg',
	};

	documentationUrl = 'https://plaid.com/docs/api/#api-keys-and-access';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'sandbox',
			options: [
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'Test data at https://sandbox.plaid.com. Use your Sandbox secret.',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'Real users at https://production.plaid.com. Use your Production secret.',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
					description:
						'A gateway or proxy in front of Plaid, for example one that adds the keys itself',
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://plaid-gateway.example.com',
			description: 'Where Plaid requests are sent instead of sandbox/production.plaid.com',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description:
				'Your Plaid client_id, from Plaid Dashboard → Developers → Keys. May stay empty only with a Custom Base URL whose gateway adds it.',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The secret for the chosen environment (Sandbox and Production have different secrets), from Plaid Dashboard → Developers → Keys. May stay empty only with a Custom Base URL whose gateway adds it.',
		},
	];

	// Plain code rather than `{{$credentials.x}}` header expressions: n8n would evaluate those
	// expressions on every request, and empty keys must not be sent to a gateway that adds its own.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const headers: Record<string, string> = {
			...(requestOptions.headers as Record<string, string> | undefined),
			'Plaid-Version': PLAID_API_VERSION,
		};
		if (credentials.clientId) headers['PLAID-CLIENT-ID'] = String(credentials.clientId);
		if (credentials.secret) headers['PLAID-SECRET'] = String(credentials.secret);
		return { ...requestOptions, headers };
	};

	// /institutions/get reads nothing of the user's and works in every environment, so it only
	// proves the keys. Errors are read from the body to show Plaid's own message, not "Bad Request".
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === "custom" ? String($credentials.baseUrl).replace(/\\/+$/, "") : "https://" + $credentials.environment + ".plaid.com" }}`,
			url: '/institutions/get',
			method: 'POST',
			body: { count: 1, offset: 0, country_codes: ['US'] },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: 'INVALID_API_KEYS',
					message:
						'Plaid: invalid client_id or secret provided (INVALID_API_KEYS). Copy both from Plaid Dashboard → Developers → Keys, using the secret of the chosen environment.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: 'UNAUTHORIZED_ENVIRONMENT',
					message:
						'Plaid: your client ID does not have access to this environment (UNAUTHORIZED_ENVIRONMENT). Request Production access in the Plaid Dashboard or choose Sandbox.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: 'MISSING_FIELDS',
					message:
						'Plaid: client_id or secret missing (MISSING_FIELDS). Fill in Client ID and Secret, or use a Custom Base URL whose gateway adds them.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_type',
					value: 'INVALID_INPUT',
					message:
						'Plaid rejected these keys (INVALID_INPUT). Check Client ID, Secret and Environment in Plaid Dashboard → Developers → Keys.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_type',
					value: 'INVALID_REQUEST',
					message:
						'Plaid rejected the test request (INVALID_REQUEST). If you use a Custom Base URL, check that the gateway forwards requests to Plaid unchanged.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_type',
					value: 'RATE_LIMIT_EXCEEDED',
					message: 'Plaid: rate limit exceeded. Wait a minute and test again.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_type',
					value: 'API_ERROR',
					message: 'Plaid answered with an internal error (API_ERROR). Try again later.',
				},
			},
			{
				// Anything that is not a Plaid answer (a proxy's HTML page, a wrong URL) has no request_id.
				type: 'responseSuccessBody',
				properties: {
					key: 'request_id',
					value: undefined,
					message:
						'The server at this URL did not answer like Plaid (no request_id). Check the Environment or Base URL.',
				},
			},
		],
	};
}
