/** When the transport waits before sending a request again. */
import { BASE_BACKOFF_MS, backoffMs, isRetryableStatus, MAX_BACKOFF_MS, parseRetryAfter } from '../../nodes/PlaidLayer/transport/retry';

test('429 and 5xx are retried; other statuses are not', () => {
	expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
	expect([200, 400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
});

describe('Retry-After', () => {
	test('seconds', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(' 0 ')).toBe(0);
		expect(parseRetryAfter(['2', '9'])).toBe(2000);
	});

	test('an HTTP date, counted from now; a past date means now', () => {
		const now = Date.parse('2026-11-26T10:00:00Z');
		expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 09:59:00 GMT', now)).toBe(0);
	});

	test('absent or unreadable is ignored', () => {
		for (const value of [undefined, '', '  ', 'soon', '-1', 1]) expect(parseRetryAfter(value)).toBeUndefined();
	});
});

describe('backoff', () => {
	test('doubles per retry, jittered between half and all of the step, capped', () => {
		expect(backoffMs(0, undefined, () => 0)).toBe(BASE_BACKOFF_MS / 2);
		expect(backoffMs(0, undefined, () => 1)).toBe(BASE_BACKOFF_MS);
		expect(backoffMs(2, undefined, () => 0)).toBe(BASE_BACKOFF_MS * 2);
		expect(backoffMs(2, undefined, () => 1)).toBe(BASE_BACKOFF_MS * 4);
		expect(backoffMs(20, undefined, () => 1)).toBe(MAX_BACKOFF_MS);
		expect(backoffMs(20, undefined, () => 0)).toBe(MAX_BACKOFF_MS / 2);
	});

	test('a longer Retry-After wins; a shorter one does not shorten the backoff', () => {
		expect(backoffMs(0, 5000, () => 0)).toBe(5000);
		expect(backoffMs(3, 10, () => 1)).toBe(BASE_BACKOFF_MS * 8);
	});
});
