/**
 * When a Plaid request is worth sending again, and how long to wait first. Plaid documents 429
 * (rate limits) and 5xx (API_ERROR, PLANNED_MAINTENANCE) as transient; other 4xx are the
 * request's own fault and fail the same way every time.
 */

/** First backoff step; each retry doubles it (with jitter) up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 250;
export const MAX_BACKOFF_MS = 8_000;
/** A Retry-After longer than this is not waited for: the error is reported instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function isRetryableStatus(status: number): boolean {
	return status === 429 || status >= 500;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
	// An HTTP date names its day and month; Date.parse would also take "-1" as a year.
	if (!/GMT$/.test(text.trim())) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so a burst of failed items
 * does not retry in lockstep; a server's Retry-After wins when it asks for longer.
 */
export function backoffMs(retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** retry);
	const jittered = ceiling / 2 + random() * (ceiling / 2);
	return Math.max(jittered, retryAfterMs ?? 0);
}

/** What became of one failed attempt, as far as the client can tell: Plaid's HTTP status, or the connection error. */
export type FailedAttempt = { status: number } | { connectionError: string };

/** Connection errors raised before a connection existed: the request never reached Plaid. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Worth sending again: a rate limit, a Plaid or gateway error (5xx), or no answer at all. */
export function isTransient(failure: FailedAttempt): boolean {
	return 'connectionError' in failure || isRetryableStatus(failure.status);
}

/**
 * Whether Plaid may have done the request's work although the client got no success: a timeout
 * or reset after sending, or a 5xx. Not for a 429 (Plaid refuses before doing anything) or a
 * connection that was never made.
 */
export function mayHaveBeenDone(failure: FailedAttempt): boolean {
	if ('connectionError' in failure) return !NEVER_CONNECTED.has(failure.connectionError);
	return failure.status >= 500;
}

/**
 * A call Plaid does at most once, and refuses with `refusal` when it comes again: an exchanged
 * public token is INVALID_PUBLIC_TOKEN, a removed Item's access token INVALID_ACCESS_TOKEN.
 *
 * Sending it again after a failure cannot do the work twice, so the transport still retries it
 * like any other call: when the first attempt never reached Plaid, the retry succeeds. But when an
 * earlier attempt may have been done (its answer lost), Plaid's refusal means the work most likely
 * happened then, and is explained as such instead of read as a bad token.
 */
export interface OnceOnlyCall {
	refusal: string;
	/** The error message when the refusal follows a lost answer, e.g. "the first exchange probably succeeded". */
	probablyDone: string;
	/** What happened and what to do then; `{lost}` is replaced by how the answer was lost (e.g. ECONNRESET, HTTP 502). */
	afterLostAnswer: string;
	/** Added to the error when every attempt failed and one of them may have been done. */
	ifDone: string;
}

/** How the transport treats an operation's failed attempts. */
export type RetryPolicy = { repeatable: true } | { repeatable: false; onceOnly: OnceOnlyCall };

/** Doing it twice is harmless (reads; /user/create answers a repeat with the same user): retry every transient failure. */
export const REPEATABLE: RetryPolicy = { repeatable: true };

export const onceOnly = (call: OnceOnlyCall): RetryPolicy => ({ repeatable: false, onceOnly: call });

/** How an attempt's answer was lost, for messages: the connection error, or the HTTP status. */
export const describeFailure = (failure: FailedAttempt): string =>
	'connectionError' in failure ? failure.connectionError : `HTTP ${failure.status}`;

/**
 * The explanation Plaid's final error needs under `policy`, given the failed attempts before it:
 * for a once-only call refused with its refusal after an attempt that may have been done, what
 * most likely happened; otherwise nothing.
 */
export function lostAnswerBehind(
	policy: RetryPolicy,
	errorCode: string | null | undefined,
	earlier: readonly FailedAttempt[],
): { message: string; description: string } | undefined {
	if (policy.repeatable || errorCode !== policy.onceOnly.refusal) return undefined;
	const lost = earlier.find(mayHaveBeenDone);
	if (!lost) return undefined;
	return { message: policy.onceOnly.probablyDone, description: policy.onceOnly.afterLostAnswer.replace('{lost}', describeFailure(lost)) };
}

/** For a once-only call whose every attempt failed: the note that one of them may have been done. */
export function maybeDoneNote(policy: RetryPolicy, attempts: readonly FailedAttempt[]): string | undefined {
	if (policy.repeatable || !attempts.some(mayHaveBeenDone)) return undefined;
	return policy.onceOnly.ifDone;
}
