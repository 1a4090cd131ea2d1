/** The credential: its test button, run as n8n's credential tester runs it, and its headers. */
import { PlaidLayerApi } from '../../credentials/PlaidLayerApi.credentials';
import { testCredential } from '../../runner/test-credential';
import { sharedEmulator } from '../support/shared-emulator';

const emulator = sharedEmulator();

const custom = () => ({ environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret });

describe('credential test', () => {
	test('good keys pass, after a real call to Plaid with those keys', async () => {
		await expect(testCredential('plaidLayerApi', custom())).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });

		expect(emulator.requests).toHaveLength(1);
		const [request] = emulator.requests;
		expect(request.path).toBe('/institutions/get');
		expect(request.status).toBe(200);
		expect(request.headers['plaid-client-id']).toBe(emulator.clientId);
		expect(request.headers['plaid-secret']).toBe(emulator.secret);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
	});

	test('a trailing slash on the Base URL is harmless', async () => {
		await expect(testCredential('plaidLayerApi', { ...custom(), baseUrl: `${emulator.url}/` })).resolves.toMatchObject({ status: 'OK' });
		expect(emulator.requests[0].path).toBe('/institutions/get');
	});

	test('a wrong secret fails with Plaid\'s own message and the fix', async () => {
		const result = await testCredential('plaidLayerApi', { ...custom(), secret: 'wrong' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Plaid: invalid client_id or secret provided \(INVALID_API_KEYS\)\. Copy both from Plaid Dashboard/);
		expect(emulator.requests[0].answer.error_code).toBe('INVALID_API_KEYS');
	});

	test('missing keys fail with MISSING_FIELDS', async () => {
		const result = await testCredential('plaidLayerApi', { ...custom(), clientId: '', secret: '' });

		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Plaid: client_id or secret missing \(MISSING_FIELDS\)/) });
		expect(emulator.requests[0].headers['plaid-client-id']).toBeUndefined();
	});

	test('a server that is not Plaid fails the test', async () => {
		const { createServer } = await import('node:http');
		const other = createServer((_request, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end('{"hello":"world"}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		try {
			const port = (other.address() as { port: number }).port;
			const result = await testCredential('plaidLayerApi', { ...custom(), baseUrl: `http://127.0.0.1:${port}` });
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/did not answer like Plaid/) });
		} finally {
			other.closeAllConnections();
			await new Promise((resolve) => other.close(resolve));
		}
	});
});

describe('authenticate', () => {
	const authenticate = new PlaidLayerApi().authenticate;

	test('adds both key headers and the API version, keeping other headers', async () => {
		const options = await authenticate({ clientId: 'id', secret: 's3cret' }, { url: '/x', headers: { 'X-Trace': '1' } });

		expect(options.headers).toEqual({ 'X-Trace': '1', 'Plaid-Version': '2020-09-14', 'PLAID-CLIENT-ID': 'id', 'PLAID-SECRET': 's3cret' });
	});

	test('sends no empty key headers, so a gateway can add its own', async () => {
		const options = await authenticate({ environment: 'custom', clientId: '', secret: '' }, { url: '/x' });

		expect(options.headers).toEqual({ 'Plaid-Version': '2020-09-14' });
	});
});
