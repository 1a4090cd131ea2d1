/** When the transport waits before sending a request again. */
import { EXCHANGE_RETRY } from '../../nodes/PlaidLayer/actions/item/exchangePublicToken.operation';
import { REMOVE_ITEM_RETRY } from '../../nodes/PlaidLayer/actions/item/remove.operation';
import { REMOVE_USER_RETRY } from '../../nodes/PlaidLayer/actions/user/remove.operation';
import {
	BASE_BACKOFF_MS,
	backoffMs,
	isRetryableStatus,
	isTransient,
	lostAnswerBehind,
	MAX_BACKOFF_MS,
	mayHaveBeenDone,
	maybeDoneNote,
	parseRetryAfter,
	REPEATABLE,
	type FailedAttempt,
} from '../../nodes/PlaidLayer/transport/retry';

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

describe('which failed attempts Plaid may have acted on', () => {
	test.each<[FailedAttempt, boolean, boolean]>([
		// Plaid refused it before doing anything: safe to send again, nothing happened.
		[{ status: 429 }, true, false],
		// No connection was made: the request never reached Plaid.
		[{ connectionError: 'ECONNREFUSED' }, true, false],
		[{ connectionError: 'ENOTFOUND' }, true, false],
		[{ connectionError: 'EAI_AGAIN' }, true, false],
		[{ connectionError: 'EHOSTUNREACH' }, true, false],
		// Sent, then no answer, or Plaid (or a gateway) failed: the work may be done.
		[{ connectionError: 'ECONNRESET' }, true, true],
		[{ connectionError: 'ECONNABORTED' }, true, true],
		[{ connectionError: 'ETIMEDOUT' }, true, true],
		[{ connectionError: 'NO_RESPONSE' }, true, true],
		[{ status: 500 }, true, true],
		[{ status: 502 }, true, true],
		[{ status: 503 }, true, true],
		// Plaid's verdict on the request itself: never sent again.
		[{ status: 400 }, false, false],
	])('%j: transient %s, may have been done %s', (failure, transient, done) => {
		expect(isTransient(failure)).toBe(transient);
		expect(mayHaveBeenDone(failure)).toBe(done);
	});
});

describe('the retry policy of a once-only call (Exchange Public Token)', () => {
	const reset: FailedAttempt = { connectionError: 'ECONNRESET' };

	test('INVALID_PUBLIC_TOKEN after a lost answer: the first attempt probably succeeded, the access token is lost, what to do', () => {
		const explained = lostAnswerBehind(EXCHANGE_RETRY, 'INVALID_PUBLIC_TOKEN', [{ status: 429 }, reset]);
		expect(explained?.message).toBe('the first attempt probably exchanged the public token, and its access token is lost');
		expect(explained?.description).toMatch(/^An earlier attempt of this exchange got no answer \(ECONNRESET\)\. Plaid most likely exchanged the public token then/);
		expect(explained?.description).toMatch(/its access_token was in the lost answer/);
		expect(explained?.description).toMatch(/ask the user to link their bank again/);
		expect(explained?.description).toMatch(/Get User Items lists both, and Remove User removes/);
		expect(explained?.description).toContain('https://plaid.com/docs/link/duplicate-items/');
	});

	test('a 5xx counts as a lost answer too, and is named', () => {
		expect(lostAnswerBehind(EXCHANGE_RETRY, 'INVALID_PUBLIC_TOKEN', [{ status: 502 }])?.description).toMatch(/got no answer \(HTTP 502\)/);
	});

	test('no explanation when no earlier attempt can have been done: the token itself is bad', () => {
		expect(lostAnswerBehind(EXCHANGE_RETRY, 'INVALID_PUBLIC_TOKEN', [])).toBeUndefined();
		expect(lostAnswerBehind(EXCHANGE_RETRY, 'INVALID_PUBLIC_TOKEN', [{ status: 429 }, { connectionError: 'ECONNREFUSED' }])).toBeUndefined();
	});

	test('no explanation for another error code after a lost answer', () => {
		expect(lostAnswerBehind(EXCHANGE_RETRY, 'INVALID_API_KEYS', [reset])).toBeUndefined();
	});

	test('when every attempt failed and one may have reached Plaid, the error says the token may be used up', () => {
		expect(maybeDoneNote(EXCHANGE_RETRY, [{ status: 429 }, reset])).toMatch(/^An attempt may have reached Plaid: if Plaid exchanged the public token, its access token is lost/);
		expect(maybeDoneNote(EXCHANGE_RETRY, [{ status: 429 }, { connectionError: 'ECONNREFUSED' }])).toBeUndefined();
	});

	test('Remove Item and Remove User read their own refusals after a lost answer', () => {
		expect(lostAnswerBehind(REMOVE_ITEM_RETRY, 'INVALID_ACCESS_TOKEN', [reset])?.message).toBe('the first attempt probably removed the Item already');
		expect(lostAnswerBehind(REMOVE_USER_RETRY, 'USER_NOT_FOUND', [reset])?.message).toBe('the first attempt probably removed the user already');
		expect(lostAnswerBehind(REMOVE_ITEM_RETRY, 'INVALID_PUBLIC_TOKEN', [reset])).toBeUndefined();
	});
});

describe('the retry policy of a repeatable call', () => {
	test('never explains a refusal as a lost answer, never adds a note', () => {
		expect(lostAnswerBehind(REPEATABLE, 'INVALID_PUBLIC_TOKEN', [{ connectionError: 'ECONNRESET' }])).toBeUndefined();
		expect(maybeDoneNote(REPEATABLE, [{ connectionError: 'ECONNRESET' }])).toBeUndefined();
	});
});
