/**
 * A burst of sign-ups against the production webhook with a bounded number of calls in flight,
 * and the numbers the queue-mode suite prints: throughput and latency percentiles.
 */

export interface CallResult {
	index: number;
	userId: string;
	/** HTTP status, or 0 when no answer came (connection closed, or the client's timeout). */
	status: number;
	body: unknown;
	/** Why there was no answer. */
	error?: string;
	startedAt: number;
	latencyMs: number;
}

export interface BurstOptions {
	url: string;
	userIds: string[];
	concurrency: number;
	/** Per call; a call with no answer by then counts as unanswered (status 0). */
	timeoutMs?: number;
	/** Called after each call completes, with how many have. */
	onProgress?: (completed: number, result: CallResult) => void;
}

export interface Burst {
	results: CallResult[];
	wallMs: number;
}

async function call(url: string, index: number, userId: string, timeoutMs: number): Promise<CallResult> {
	const startedAt = performance.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ user_id: userId }),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { index, userId, status: response.status, body, startedAt, latencyMs: performance.now() - startedAt };
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause;
		return { index, userId, status: 0, body: undefined, error: `${(error as Error).name}: ${(error as Error).message}${cause?.code ? ` (${cause.code})` : ''}`, startedAt, latencyMs: performance.now() - startedAt };
	}
}

/** POSTs `{"user_id": …}` once per user id, at most `concurrency` at a time. */
export async function burst(options: BurstOptions): Promise<Burst> {
	const { url, userIds, concurrency, timeoutMs = 300_000 } = options;
	const results: CallResult[] = new Array(userIds.length);
	let next = 0;
	let completed = 0;
	const started = performance.now();
	const lane = async () => {
		while (next < userIds.length) {
			const index = next++;
			const result = await call(url, index, userIds[index], timeoutMs);
			results[index] = result;
			completed++;
			options.onProgress?.(completed, result);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, lane));
	return { results, wallMs: performance.now() - started };
}

/** The value below which `p` (0..1) of the sorted values fall (nearest rank). */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.ceil(p * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
	count: number;
	p50: number;
	p95: number;
	max: number;
	throughputPerSecond: number;
}

export function summarize({ results, wallMs }: Burst): LatencySummary {
	const sorted = results.map((result) => result.latencyMs).sort((a, b) => a - b);
	return {
		count: results.length,
		p50: percentile(sorted, 0.5),
		p95: percentile(sorted, 0.95),
		max: sorted[sorted.length - 1],
		throughputPerSecond: results.length / (wallMs / 1000),
	};
}
