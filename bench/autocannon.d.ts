/** The part of autocannon's programmatic API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
	interface RequestSpec {
		setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
		onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
	}
	interface Options {
		url: string;
		connections: number;
		amount: number;
		method?: string;
		headers?: Record<string, string>;
		timeout?: number;
		requests?: RequestSpec[];
	}
	interface Histogram {
		average: number;
		p50: number;
		p90: number;
		p99: number;
		max: number;
	}
	export interface Result {
		latency: Histogram;
		duration: number;
		errors: number;
		timeouts: number;
		non2xx: number;
		'2xx': number;
	}
	export default function autocannon(options: Options): Promise<Result>;
}
