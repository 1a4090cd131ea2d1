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
