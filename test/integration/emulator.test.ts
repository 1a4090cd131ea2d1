/** The emulator answers like Plaid: same checks, same error shapes, per the published schemas. */
import axios from 'axios';

import { validate } from '../../emulator/schema';
import { DEFAULT_TEMPLATE_ID } from '../../emulator/server';
import { sharedEmulator } from '../support/shared-emulator';

const emulator = sharedEmulator();

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
	const response = await axios.post(`${emulator.url}${path}`, body, {
		headers: { 'Content-Type': 'application/json', ...headers },
		validateStatus: () => true,
		transformRequest: typeof body === 'string' ? [(data) => data] : undefined,
	});
	return { status: response.status, body: response.data as Record<string, unknown> };
}

const keys = () => ({ 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret });

describe('/session/token/create', () => {
	test('keys in the body work as well as in headers', async () => {
		const answer = await post('/session/token/create', {
			client_id: emulator.clientId,
			secret: emulator.secret,
			template_id: DEFAULT_TEMPLATE_ID,
			user: { client_user_id: 'u1' },
		});

		expect(answer.status).toBe(200);
		expect(validate(answer.body, 'SessionTokenCreateResponse', false)).toEqual([]);
	});

	test.each<[string, unknown, number, string, string, string]>([
		['no keys', { template_id: DEFAULT_TEMPLATE_ID }, 400, 'INVALID_REQUEST', 'MISSING_FIELDS', 'the following required fields are missing: client_id, secret'],
		['not JSON', '{"template_id":', 400, 'INVALID_REQUEST', 'INVALID_BODY', 'body could not be parsed as a JSON object'],
	])('%s', async (_name, body, status, type, code, message) => {
		const answer = await post('/session/token/create', body);
		expect(answer).toMatchObject({ status, body: { error_type: type, error_code: code, error_message: message } });
	});

	test.each<[string, Record<string, unknown>, string, string]>([
		['missing template_id', { user: { client_user_id: 'u1' } }, 'MISSING_FIELDS', 'the following required fields are missing: template_id'],
		['missing user and user_id', { template_id: DEFAULT_TEMPLATE_ID }, 'MISSING_FIELDS', 'the following required fields are missing: user'],
		['missing client_user_id inside user', { template_id: DEFAULT_TEMPLATE_ID, user: {} }, 'MISSING_FIELDS', 'the following required fields are missing: user.client_user_id'],
		['an unknown field', { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u', products: ['auth'] }, 'UNKNOWN_FIELDS', 'the following fields are not recognized by this endpoint: products'],
		['a number where a string belongs', { template_id: 7, user_id: 'u' }, 'INVALID_FIELD', 'template_id must be a string'],
		['a webhook that is not a URL', { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u', webhook: 'nope' }, 'INVALID_FIELD', 'webhook must be an absolute URL'],
		['a redirect_uri with a query', { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u', redirect_uri: 'https://a.example/x?y=1' }, 'INVALID_FIELD', 'redirect_uri must be an absolute URI without query parameters'],
		['an unknown template', { template_id: 'template_nope', user_id: 'u' }, 'INVALID_FIELD', 'template_id not found: template_nope'],
	])('%s is refused as Plaid refuses it', async (_name, body, code, message) => {
		const answer = await post('/session/token/create', body, keys());

		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({ error_type: 'INVALID_REQUEST', error_code: code, error_message: message, display_message: null });
		expect(validate(answer.body, 'PlaidError', false)).toEqual([]);
		expect(answer.body.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
	});

	test('wrong keys: INVALID_API_KEYS', async () => {
		const answer = await post('/session/token/create', { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u' }, { ...keys(), 'PLAID-SECRET': 'x' });
		expect(answer).toMatchObject({ status: 400, body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS' } });
	});
});

describe('switches', () => {
	test('injected failures answer in order, then normal service resumes', async () => {
		emulator.failNext('rate_limit');
		emulator.failNext('internal_error');
		const body = { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u' };

		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await post('/session/token/create', body, keys())).status);
		expect(statuses).toEqual([429, 500, 200]);
		expect(emulator.requests[0].answer).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' });
		expect(emulator.requests[1].answer).toMatchObject({ error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR' });
	});

	test('latency delays every answer', async () => {
		emulator.latencyMs = 120;
		const started = Date.now();
		await post('/session/token/create', { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u' }, keys());
		expect(Date.now() - started).toBeGreaterThanOrEqual(115);
	});

	test('unknown endpoints are Plaid 404s', async () => {
		const answer = await post('/transactions/sync', {}, keys());
		expect(answer).toMatchObject({ status: 404, body: { error_code: 'NOT_FOUND' } });
	});
});
