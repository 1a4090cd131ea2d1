/**
 * Reliability through n8n-core against the emulator's injected faults: transient failures are
 * retried to success, lasting ones end in a clear error, nothing hangs, batches keep every item.
 */
import { DEFAULT_TEMPLATE_ID, PlaidEmulator, type Fault } from '../../emulator/server';
import { runWorkflow } from '../../runner/run-workflow';
import { n8nLogs } from '../support/n8n-logs';
import { PLAID_NODE, sessionTokenWorkflow, signups } from './workflows';

const SECRET = 'reliability_secret_must_not_leak_7f3a';
let emulator: PlaidEmulator;

beforeAll(async () => {
	emulator = await PlaidEmulator.start({ secret: SECRET });
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

async function run(users: string[], requestOptions: Record<string, number> = {}, options: { continueOnFail?: boolean; templateId?: string } = {}) {
	const workflow = sessionTokenWorkflow(
		{ templateId: options.templateId ?? DEFAULT_TEMPLATE_ID, clientUserId: '={{ $json.body.user }}', requestOptions: { timeoutSeconds: 1, ...requestOptions } },
		{ continueOnFail: options.continueOnFail },
	);
	return await runWorkflow(workflow, {
		mode: 'webhook',
		credentials: { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: SECRET } },
		triggerItems: signups(...users),
	});
}

async function expectNoSecret(result: Awaited<ReturnType<typeof run>>) {
	expect(JSON.stringify(result.run) + String(result.error?.stack) + String(result.error?.description)).not.toContain(SECRET);
	expect(await n8nLogs()).not.toContain(SECRET);
}

const issuedTo = (token: unknown) => (emulator.state.linkTokens.get(token as string)?.user as { client_user_id: string } | undefined)?.client_user_id;

describe('a transient fault is retried to success', () => {
	test.each<Fault>(['rate_limit', 'internal_error', 'bad_gateway', 'service_unavailable', 'timeout', 'reset'])('%s', async (fault) => {
		emulator.failNext(fault);
		const result = await run(['ada']);

		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((request) => request.fault ?? request.status)).toEqual([fault, 200]);
		const [output] = result.jsonOf(PLAID_NODE);
		expect(issuedTo(output.link_token)).toBe('ada');
		await expectNoSecret(result);
	});

	test('Retry-After from Plaid is waited for', async () => {
		emulator.failNext('rate_limit_retry_after');
		const started = Date.now();
		const result = await run(['ada']);

		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(emulator.requests).toHaveLength(2);
	});

	test('an answer labelled text/plain is still read as the JSON it is', async () => {
		emulator.failNext('wrong_content_type');
		const result = await run(['ada']);

		expect(result.error).toBeUndefined();
		expect(issuedTo(result.jsonOf(PLAID_NODE)[0].link_token)).toBe('ada');
		expect(emulator.requests).toHaveLength(1);
	});
});

describe('a lasting fault ends in a clear error, after the retries', () => {
	test.each<[Fault, RegExp, RegExp]>([
		['rate_limit', /^Plaid RATE_LIMIT: rate limit exceeded/, /Plaid request ID: \w{15}/],
		['service_unavailable', /^Plaid PLANNED_MAINTENANCE: /, /Message for the user: This service is temporarily unavailable/],
		['bad_gateway', /^Plaid request failed with HTTP 502 and no Plaid error in the answer$/, /The answer began with: <html><body><h1>502 Bad Gateway/],
		['reset', /^Could not reach Plaid at http:\/\/127\.0\.0\.1:\d+$/, /The connection failed with ECONNRESET/],
		['timeout', /^Could not reach Plaid at http:\/\/127\.0\.0\.1:\d+$/, /The connection failed with ECONNABORTED/],
	])('%s', async (fault, message, detail) => {
		emulator.failNext(fault, 3);
		const result = await run(['ada'], { maxRetries: 2 });

		expect(emulator.requests.map((request) => request.fault)).toEqual([fault, fault, fault]);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(detail);
		expect(result.error?.description).toContain('Tried 3 times; the last answer is shown.');
		expect(result.error?.context.itemIndex).toBe(0);
		await expectNoSecret(result);
	});

	test('Max Retries 0 sends once', async () => {
		emulator.failNext('internal_error');
		const result = await run(['ada'], { maxRetries: 0 });

		expect(emulator.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Plaid INTERNAL_SERVER_ERROR: an unexpected error occurred');
	});

	test('a malformed 200 is not retried (Plaid may have done the work) and says so', async () => {
		emulator.failNext('malformed_json');
		const result = await run(['ada']);

		expect(emulator.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Plaid answered HTTP 200 with a body that is not a JSON object');
		expect(result.error?.description).toMatch(/^The answer began with: \{"link": \{"link_token":/);
		expect(result.error?.description).toContain('Not retried');
		await expectNoSecret(result);
	});

	test('other 4xx are never retried', async () => {
		const result = await run(['ada'], {}, { templateId: 'template_missing' });

		expect(emulator.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Plaid INVALID_FIELD: template_id not found: template_missing');
	});
});

describe('batches', () => {
	const users = (count: number) => Array.from({ length: count }, (_, i) => `user-${i}`);

	test('requests overlap up to Concurrent Requests, and output keeps input order', async () => {
		emulator.latencyMs = 200;
		const started = Date.now();
		const result = await run(users(10), { concurrency: 5 });
		const elapsed = Date.now() - started;

		expect(result.error).toBeUndefined();
		// Plaid saw five at once, never more; so ten took at least two rounds of the latency.
		expect(emulator.peakInFlight).toBe(5);
		expect(elapsed).toBeGreaterThanOrEqual(390);
		const items = result.itemsOf(PLAID_NODE);
		expect(items.map((item) => item.pairedItem)).toEqual(users(10).map((_, item) => ({ item })));
		expect(items.map((item) => issuedTo(item.json.link_token))).toEqual(users(10));
	});

	test('every item is checked before the first request: one bad item stops the batch before anything is sent', async () => {
		const workflow = sessionTokenWorkflow({
			templateId: DEFAULT_TEMPLATE_ID,
			clientUserId: '={{ $json.body.user }}',
			additionalFields: { redirectUri: '={{ $json.body.user === "user-7" ? "https://a.example/x?y=1" : "" }}' },
		});
		const result = await runWorkflow(workflow, {
			mode: 'webhook',
			credentials: { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: SECRET } },
			triggerItems: signups(...users(10)),
		});

		expect(result.error?.message).toBe('Redirect URI must not contain a query string ("?y=1") [item 7]');
		expect(emulator.requests).toHaveLength(0);
	});

	test('without continue-on-fail, a failed item stops further requests', async () => {
		const workflow = sessionTokenWorkflow({
			templateId: '={{ $json.body.user === "user-2" ? "template_missing" : "template_layer_demo" }}',
			clientUserId: '={{ $json.body.user }}',
			requestOptions: { concurrency: 1 },
		});
		const result = await runWorkflow(workflow, {
			mode: 'webhook',
			credentials: { plaidLayerApi: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: SECRET } },
			triggerItems: signups(...users(10)),
		});

		expect(result.error?.message).toBe('Plaid INVALID_FIELD: template_id not found: template_missing');
		expect(result.error?.context.itemIndex).toBe(2);
		expect(emulator.requests).toHaveLength(3);
	});

	test('1,000 items with 10 % injected faults under continue-on-fail: one output each, none lost, none twice', async () => {
		emulator.injectFaults({
			rate: 0.1,
			seed: 20201014,
			kinds: ['rate_limit', 'internal_error', 'bad_gateway', 'service_unavailable', 'reset', 'timeout', 'malformed_json', 'wrong_content_type'],
		});
		const all = users(1000);
		const result = await run(all, { concurrency: 10 }, { continueOnFail: true });

		expect(result.error).toBeUndefined();
		const items = result.itemsOf(PLAID_NODE);
		expect(items).toHaveLength(1000);
		expect(items.map((item) => item.pairedItem)).toEqual(all.map((_, item) => ({ item })));
		expect(emulator.peakInFlight).toBeLessThanOrEqual(10);

		const successes = items.filter((item) => item.json.link_token !== undefined);
		const failures = items.filter((item) => item.json.error !== undefined);
		expect(successes.length + failures.length).toBe(1000);
		// Each success carries its own token, issued for its own item.
		expect(new Set(successes.map((item) => item.json.link_token)).size).toBe(successes.length);
		for (const item of successes) expect(issuedTo(item.json.link_token)).toBe(all[(item.pairedItem as { item: number }).item]);
		// Plaid never created two tokens for one item: retries only follow requests Plaid did not handle.
		const handled = emulator.requests.filter((request) => request.status === 200 && request.fault !== 'malformed_json');
		const perUser = new Map<string, number>();
		for (const request of handled) {
			const user = (request.body as { user: { client_user_id: string } }).user.client_user_id;
			perUser.set(user, (perUser.get(user) ?? 0) + 1);
		}
		expect([...perUser.values()].every((count) => count === 1)).toBe(true);
		expect(perUser.size).toBe(successes.length);
		// What still failed is what must not be retried, or what outlasted three retries.
		for (const item of failures) {
			expect(item.json.error).toEqual(expect.objectContaining({ message: expect.any(String), description: expect.any(String) }));
		}
		expect(emulator.requests.filter((request) => request.fault).length).toBeGreaterThan(60);
		await expectNoSecret(result);
	}, 120_000);
});
