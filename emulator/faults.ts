/**
 * Failures the emulator sends instead of handling a request, for reliability tests: Plaid's own
 * retryable errors, what a gateway in front of Plaid sends, broken answers and dead connections.
 * Random faults come from a seeded generator, so a seed and a request order replay exactly.
 */
import { plaidError } from './plaid-errors';

export const FAULTS = [
	'rate_limit',
	'rate_limit_retry_after',
	'internal_error',
	'bad_gateway',
	'service_unavailable',
	'timeout',
	'reset',
	'lost_answer',
	'malformed_json',
	'wrong_content_type',
] as const;

/**
 * A failure the emulator answers with instead of handling a request. `timeout` accepts the
 * request and never answers; `reset` drops the connection without an answer.
 *
 * `lost_answer` is different: the request IS handled (Plaid did the work, state changed) and then
 * the connection is dropped before the answer leaves, as when a proxy, a load balancer or the
 * network fails on the way back. The client sees a reset and cannot tell it from `reset`, which is
 * why a once-only call (a public token exchange) must not be taken as not done after a failure.
 */
export type Fault = (typeof FAULTS)[number];

/**
 * A fault the emulator answers with instead of handling the request. `timeout`, `reset` and
 * `lost_answer` send nothing; `wrong_content_type` is a handled request whose real answer is
 * mislabelled.
 */
export type AnsweringFault = Exclude<Fault, 'timeout' | 'reset' | 'lost_answer' | 'wrong_content_type'>;

/** An HTTP answer as sent: `text` is the body on the wire, `answer` that body as a JSON object ({} when it is not one). */
export interface WireAnswer {
	status: number;
	headers: Record<string, string>;
	text: string;
	answer: Record<string, unknown>;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function jsonAnswer({ status, body }: { status: number; body: Record<string, unknown> }, headers: Record<string, string> = {}): WireAnswer {
	return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers }, text: JSON.stringify(body), answer: body };
}

const rateLimited = () =>
	plaidError(429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', 'rate limit exceeded for attempts to access this endpoint');

export function faultAnswer(fault: AnsweringFault): WireAnswer {
	switch (fault) {
		case 'rate_limit':
			return jsonAnswer(rateLimited());
		case 'rate_limit_retry_after':
			return jsonAnswer(rateLimited(), { 'Retry-After': '1' });
		case 'internal_error':
			return jsonAnswer(
				plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'an unexpected error occurred', 'An unexpected error occurred. Please try again later.'),
			);
		case 'service_unavailable':
			return jsonAnswer(
				plaidError(
					503,
					'API_ERROR',
					'PLANNED_MAINTENANCE',
					'the Plaid API is temporarily unavailable due to planned maintenance',
					'This service is temporarily unavailable for planned maintenance. Please try again later.',
				),
			);
		case 'bad_gateway':
			// What a load balancer in front of Plaid sends: its own page, not Plaid's JSON.
			return { status: 502, headers: { 'Content-Type': 'text/html' }, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', answer: {} };
		case 'malformed_json':
			return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE }, text: '{"link": {"link_token": ', answer: {} };
	}
}

/** A small seeded PRNG (mulberry32): floats in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
	let state = seed | 0;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), state | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface FaultInjection {
	/** Chance, 0..1, that a request fails. */
	rate: number;
	/** The kinds a failing request picks from, uniformly. */
	kinds: Fault[];
	/** The same seed and the same request order give the same faults. */
	seed: number;
	/** Paths that may fail, e.g. `/session/token/create`; default all. */
	endpoints?: string[];
}

export class RandomFaults {
	private readonly random: () => number;
	private readonly rate: number;
	private readonly kinds: readonly Fault[];
	private readonly endpoints?: ReadonlySet<string>;

	constructor({ rate, kinds, seed, endpoints }: FaultInjection) {
		if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be between 0 and 1, got ${rate}`);
		if (kinds.length === 0) throw new RangeError('kinds must name at least one fault');
		this.random = mulberry32(seed);
		this.rate = rate;
		this.kinds = [...kinds];
		this.endpoints = endpoints && new Set(endpoints);
	}

	/** The fault for the next request to `path`, if any. Other paths draw nothing, so they leave the sequence alone. */
	next(path: string): Fault | undefined {
		if (this.endpoints && !this.endpoints.has(path)) return undefined;
		if (this.random() >= this.rate) return undefined;
		return this.kinds[Math.floor(this.random() * this.kinds.length)];
	}
}
