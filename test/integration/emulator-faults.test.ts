/**
 * Injected faults: each kind sends exactly what a failing Plaid (or the gateway in front of it)
 * would, changes no state, and random faults replay the same way for the same seed.
 */
import axios from 'axios';

import { validate } from '../../emulator/schema';
import { DEFAULT_TEMPLATE_ID, FAULTS, PlaidEmulator, type Fault, type FaultInjection } from '../../emulator/server';
import { sharedEmulator } from '../support/shared-emulator';

const emulator = sharedEmulator();

const TOKEN = '/session/token/create';
const INSTITUTIONS = '/institutions/get';
const bodies: Record<string, Record<string, unknown>> = {
	[TOKEN]: { template_id: DEFAULT_TEMPLATE_ID, user_id: 'u' },
	[INSTITUTIONS]: { count: 1, offset: 0, country_codes: ['US'] },
	'/user/create': { client_user_id: 'u' },
};

/** The raw answer: body as text, so broken JSON and HTML arrive as sent. */
function post(path = TOKEN, timeout = 0) {
	return axios.post<string>(`${emulator.url}${path}`, bodies[path], {
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		validateStatus: () => true,
		transformResponse: [(data) => data],
		timeout,
	});
}

/** The code axios fails with, or the status when an answer came. */
async function outcome(path = TOKEN): Promise<number | string> {
	try {
		return (await post(path)).status;
	} catch (error) {
		return (error as { code: string }).code;
	}
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('every fault', () => {
	// wrong_content_type and lost_answer are handled requests: see their own tests.
	test.each(FAULTS.filter((fault) => fault !== 'wrong_content_type' && fault !== 'lost_answer'))('%s issues no token, is recorded, and the next request is served', async (fault) => {
		const tokensBefore = emulator.state.linkTokens.size;
		emulator.failNext(fault);

		// The timeout fault never answers: give up quickly.
		await post(TOKEN, 300).catch(() => undefined);
		expect(emulator.state.linkTokens.size).toBe(tokensBefore);
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({ path: TOKEN, body: bodies[TOKEN], fault });

		const next = await post();
		expect(next.status).toBe(200);
		expect(emulator.state.linkTokens.has(JSON.parse(next.data).link.link_token)).toBe(true);
		expect(emulator.requests[1]).toMatchObject({ status: 200 });
		expect(emulator.requests[1].fault).toBeUndefined();
	});
});

describe('what each fault sends', () => {
	test.each<[Fault, number, string, string, string | undefined]>([
		['rate_limit', 429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', undefined],
		['rate_limit_retry_after', 429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', '1'],
		['internal_error', 500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', undefined],
		['service_unavailable', 503, 'API_ERROR', 'PLANNED_MAINTENANCE', undefined],
	])('%s: a Plaid error', async (fault, status, type, code, retryAfter) => {
		emulator.failNext(fault);
		const response = await post();

		expect(response.status).toBe(status);
		expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(response.headers['retry-after']).toBe(retryAfter);
		const body = JSON.parse(response.data);
		expect(body).toMatchObject({ error_type: type, error_code: code });
		expect(validate(body, 'PlaidError', false)).toEqual([]);
		expect(emulator.requests[0]).toMatchObject({ status, answer: body, fault });
	});

	test('service_unavailable tells the end user why', async () => {
		emulator.failNext('service_unavailable');
		const body = JSON.parse((await post()).data);
		expect(body.display_message).toEqual(expect.any(String));
	});

	test('bad_gateway: the gateway page, not Plaid JSON', async () => {
		emulator.failNext('bad_gateway');
		const response = await post();

		expect(response.status).toBe(502);
		expect(response.headers['content-type']).toBe('text/html');
		expect(response.data).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
		expect(emulator.requests[0]).toMatchObject({ status: 502, answer: {}, fault: 'bad_gateway' });
	});

	test('malformed_json: 200 with JSON cut short', async () => {
		emulator.failNext('malformed_json');
		const response = await post();

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(response.data).toBe('{"link": {"link_token": ');
		expect(() => JSON.parse(response.data)).toThrow(SyntaxError);
		expect(emulator.requests[0]).toMatchObject({ status: 200, answer: {}, fault: 'malformed_json' });
	});

	test('wrong_content_type: the request is handled, its real answer labelled text/plain', async () => {
		emulator.failNext('wrong_content_type');
		const response = await post();

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('text/plain');
		const body = JSON.parse(response.data);
		expect(emulator.state.linkTokens.has(body.link.link_token)).toBe(true);
		expect(emulator.requests[0]).toMatchObject({ status: 200, answer: body, fault: 'wrong_content_type' });
	});

	test('reset: the connection drops without an answer', async () => {
		emulator.failNext('reset');
		await expect(post()).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(emulator.requests[0]).toMatchObject({ status: 0, answer: {}, fault: 'reset' });
	});

	test('lost_answer: the request is handled (a token is issued), then the connection drops without the answer', async () => {
		const tokensBefore = emulator.state.linkTokens.size;
		emulator.failNext('lost_answer');
		await expect(post()).rejects.toMatchObject({ code: 'ECONNRESET' });

		expect(emulator.state.linkTokens.size).toBe(tokensBefore + 1);
		const [request] = emulator.requests;
		expect(request).toMatchObject({ status: 0, fault: 'lost_answer' });
		// The answer Plaid would have sent is recorded: its token is the one issued.
		expect(emulator.state.linkTokens.has((request.answer.link as { link_token: string }).link_token)).toBe(true);
		expect((await post()).status).toBe(200);
	});

	test('lost_answer after latency: handled at once, dropped when the answer would leave', async () => {
		emulator.latencyMs = 150;
		emulator.failNext('lost_answer');
		const started = Date.now();
		await expect(post()).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(145);
	});

	test('timeout: no answer until the client gives up', async () => {
		emulator.failNext('timeout');
		const started = Date.now();
		await expect(post(TOKEN, 300)).rejects.toMatchObject({ code: 'ECONNABORTED' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(emulator.requests[0]).toMatchObject({ status: 0, answer: {}, fault: 'timeout' });
	});

	test('latency delays faulted answers too, but not a reset', async () => {
		emulator.latencyMs = 150;
		emulator.failNext('internal_error');
		emulator.failNext('reset');

		let started = Date.now();
		expect((await post()).status).toBe(500);
		expect(Date.now() - started).toBeGreaterThanOrEqual(145);
		started = Date.now();
		await expect(post()).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(Date.now() - started).toBeLessThan(145);
	});

	test('unknown endpoints stay 404s and leave queued faults alone', async () => {
		emulator.failNext('internal_error');
		expect(await outcome('/transactions/sync')).toBe(404);
		expect(await outcome()).toBe(500);
	});
});

describe('injectFaults', () => {
	const answering = FAULTS.filter((fault) => fault !== 'timeout');

	/** The fault (or null) each of `count` requests got, one after the other. */
	async function faultSequence(injection: FaultInjection, paths: string[]): Promise<Array<Fault | null>> {
		emulator.reset();
		emulator.injectFaults(injection);
		for (const path of paths) await outcome(path);
		return emulator.requests.map((request) => request.fault ?? null);
	}

	test('the same seed gives the same faults', async () => {
		const paths = Array<string>(200).fill(INSTITUTIONS);
		const first = await faultSequence({ rate: 0.3, kinds: answering, seed: 42 }, paths);
		const second = await faultSequence({ rate: 0.3, kinds: answering, seed: 42 }, paths);
		const otherSeed = await faultSequence({ rate: 0.3, kinds: answering, seed: 43 }, paths);

		expect(second).toEqual(first);
		expect(otherSeed).not.toEqual(first);
		expect(new Set(first.filter(Boolean)).size).toBeGreaterThan(3);
	});

	test('rate 0.1 fails about a tenth of the requests', async () => {
		const faults = await faultSequence({ rate: 0.1, kinds: ['rate_limit'], seed: 7 }, Array<string>(1000).fill(INSTITUTIONS));
		const failed = faults.filter(Boolean).length;
		expect(failed).toBeGreaterThanOrEqual(60);
		expect(failed).toBeLessThanOrEqual(140);
	});

	test('only the listed endpoints fail, and other requests do not shift the sequence', async () => {
		const injection: FaultInjection = { rate: 0.5, kinds: ['internal_error', 'rate_limit'], seed: 3, endpoints: [TOKEN] };
		const alone = await faultSequence(injection, Array<string>(40).fill(TOKEN));
		const mixed = await faultSequence(injection, Array.from({ length: 40 }, () => [TOKEN, INSTITUTIONS, '/user/create']).flat());

		expect(mixed.filter((_fault, i) => emulator.requests[i].path !== TOKEN)).toEqual(Array(80).fill(null));
		expect(mixed.filter((_fault, i) => emulator.requests[i].path === TOKEN)).toEqual(alone);
		expect(alone).toContain('internal_error');
	});

	test('failNext goes first; reset clears both', async () => {
		emulator.injectFaults({ rate: 1, kinds: ['internal_error'], seed: 1 });
		emulator.failNext('rate_limit');
		expect([await outcome(), await outcome()]).toEqual([429, 500]);

		emulator.reset();
		expect(await outcome()).toBe(200);
	});

	test.each<[string, FaultInjection, RegExp]>([
		['a rate above 1', { rate: 1.5, kinds: ['reset'], seed: 1 }, /rate must be between 0 and 1/],
		['no kinds', { rate: 0.5, kinds: [], seed: 1 }, /at least one fault/],
		['an endpoint the emulator lacks', { rate: 0.5, kinds: ['reset'], seed: 1, endpoints: ['/transactions/sync'] }, /no such emulated endpoint: \/transactions\/sync/],
	])('refuses %s', (_name, injection, message) => {
		expect(() => emulator.injectFaults(injection)).toThrow(message);
	});
});

test('stop() returns promptly while a timeout request is pending', async () => {
	const own = await PlaidEmulator.start();
	own.failNext('timeout');
	const pending = axios.post(`${own.url}${TOKEN}`, bodies[TOKEN], { validateStatus: () => true }).catch((error: { code: string }) => error.code);
	await until(() => own.requests.length === 1);

	const started = Date.now();
	await own.stop();
	expect(Date.now() - started).toBeLessThan(1000);
	expect(await pending).toBe('ECONNRESET');
});
