/** Turns benchmark outcomes into figures, targets and the markdown report. */
import type { Outcome } from './children';
import type { ScenarioResult } from './scenario';

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function succeeded(outcome: Outcome): ScenarioResult | undefined {
	return outcome.result.ok ? (outcome.result as ScenarioResult) : undefined;
}

export interface CpuRow {
	key: string;
	label: string;
	how: string;
	processes: number;
	failed: number;
	cpuPerItemMs: { median: number; min: number; max: number; all: number[] };
	userShare: number;
	engine?: string;
	informational?: boolean;
}

export interface ThroughputFigure {
	itemsPerSecond: number;
	peakInFlight: number;
	cpuPerItemMs: number;
}

export interface ThroughputRow {
	concurrency: number;
	limit: number;
	ours?: ThroughputFigure;
	httpPaced?: ThroughputFigure;
	axiosNew?: ThroughputFigure;
	axiosKeepAlive?: ThroughputFigure;
}

export interface RssRow {
	contender: string;
	how: string;
	rss1kMiB: number;
	rss10kMiB: number;
	ratio: number;
	/** RSS after start-up, before the run (median). */
	baseMiB: number;
	/** (10k peak − base) ÷ (1k peak − base): how the memory the run adds grows. */
	growthRatio: number;
	processes1k: number;
}

export interface Target {
	name: string;
	figure: string;
	goal: string;
	met: boolean;
}

const fmt = (value: number | undefined, digits = 2): string =>
	value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);

export function cpuRow(key: string, label: string, how: string, outcomes: Outcome[], informational = false): CpuRow {
	const ok = outcomes.map(succeeded).filter((r): r is ScenarioResult => r !== undefined);
	const all = ok.map((r) => r.cpuPerItemMs);
	const user = ok.reduce((sum, r) => sum + r.cpuUserMs, 0);
	const total = ok.reduce((sum, r) => sum + r.cpuUserMs + r.cpuSystemMs, 0);
	return {
		key,
		label,
		how,
		processes: ok.length,
		failed: outcomes.length - ok.length,
		cpuPerItemMs: { median: median(all), min: Math.min(...all), max: Math.max(...all), all },
		userShare: total > 0 ? user / total : NaN,
		engine: ok[0]?.engine,
		informational,
	};
}

export function markdown(input: {
	cpuRows: CpuRow[];
	throughputRows: ThroughputRow[];
	httpUnpaced?: ThroughputFigure;
	rssRows: RssRow[];
	targets: Target[];
	meta: Record<string, string>;
	notes: string[];
}): string {
	const { cpuRows, throughputRows, httpUnpaced, rssRows, targets, meta, notes } = input;
	const axiosNew = cpuRows.find((r) => r.key === 'axiosNew')?.cpuPerItemMs.median ?? NaN;
	const axiosKeep = cpuRows.find((r) => r.key === 'axiosKeepAlive')?.cpuPerItemMs.median ?? NaN;
	const lines: string[] = [];
	lines.push('# Plaid Layer benchmark results', '');
	lines.push(Object.entries(meta).map(([k, v]) => `**${k}:** ${v}`).join(' · '), '');

	lines.push('## Targets', '');
	lines.push('| target | figure | goal | |', '|---|---|---|---|');
	for (const t of targets) lines.push(`| ${t.name} | ${t.figure} | ${t.goal} | ${t.met ? 'met' : '**not met**'} |`);
	lines.push('');

	lines.push('## 1. Client CPU per item (emulator latency 0 ms, N = 1000 after a 200-item warm-up, one request at a time)', '');
	lines.push(
		'| contender | how | CPU ms/item, median [min–max] | processes | user share | × axios new conn. | × axios keep-alive |',
		'|---|---|---|---|---|---|---|',
	);
	for (const r of cpuRows) {
		const m = r.cpuPerItemMs.median;
		lines.push(
			`| ${r.informational ? '_' + r.label + '_' : r.label} | ${r.how} | ${fmt(m, 3)} [${fmt(r.cpuPerItemMs.min, 3)}–${fmt(r.cpuPerItemMs.max, 3)}] | ${r.processes}${r.failed ? ` (${r.failed} failed)` : ''} | ${fmt(r.userShare * 100, 0)}% | ${fmt(m / axiosNew)}× | ${fmt(m / axiosKeep)}× |`,
		);
	}
	lines.push('');

	lines.push('## 2. Throughput, emulator latency 50 ms, 1000 items (items/s = items ÷ wall time; ≤n = most requests in flight at once)', '');
	lines.push(
		'| c | ours: `requestOptions.concurrency = c` | HTTP Request: `batchSize = c`, `batchInterval = 50 ms` | raw axios, new conn., c workers | raw axios, keep-alive, c workers | limit c ÷ 50 ms | ours ÷ limit | ours ÷ HTTP Request | ours ÷ raw axios new |',
		'|---|---|---|---|---|---|---|---|---|',
	);
	const cell = (x?: ThroughputFigure) => (x ? `${fmt(x.itemsPerSecond, 1)}/s (≤${x.peakInFlight})` : '—');
	const ratio = (a?: ThroughputFigure, b?: ThroughputFigure) => (a && b ? `${fmt(a.itemsPerSecond / b.itemsPerSecond)}×` : 'n/a');
	for (const r of throughputRows) {
		lines.push(
			`| ${r.concurrency} | ${cell(r.ours)} | ${cell(r.httpPaced)} | ${cell(r.axiosNew)} | ${cell(r.axiosKeepAlive)} | ${r.limit}/s | ${r.ours ? fmt((r.ours.itemsPerSecond / r.limit) * 100, 0) + '%' : 'n/a'} | ${ratio(r.ours, r.httpPaced)} | ${ratio(r.ours, r.axiosNew)} |`,
		);
	}
	lines.push(
		'',
		'What the settings mean: our node keeps at most c requests in flight (a new one starts when one ends). ' +
			'The HTTP Request node has no in-flight cap: its batching options only pause `batchInterval` ms after every `batchSize` items are *started*, whether or not answers came back. ' +
			'`batchInterval = 50 ms` (= the latency) is the closest a user can get to "c at a time", so the ratio uses it. ' +
			`With \`batchInterval = 0\` there is no pause and \`batchSize\` is ignored: every item is sent at once, whatever c is — measured once (batchSize = 10): ` +
			`${httpUnpaced ? `${fmt(httpUnpaced.itemsPerSecond, 1)}/s with ≤${httpUnpaced.peakInFlight} in flight` : 'failed'} (the same as the node's defaults; against a real Plaid that is a rate-limit storm). ` +
			'Raw axios columns show what this machine and emulator allow for the same c: a new connection per request (what n8n-core does) costs wall time, not just CPU.',
		'',
	);

	lines.push(`## 3. Peak RSS (emulator latency 0 ms)`, '');
	lines.push('| contender | how | after start-up | 1,000 items | 10,000 items | 10k ÷ 1k | growth 10k ÷ growth 1k |', '|---|---|---|---|---|---|---|');
	for (const r of rssRows) {
		lines.push(
			`| ${r.contender} | ${r.how} | ${fmt(r.baseMiB, 0)} MiB | ${fmt(r.rss1kMiB, 0)} MiB | ${fmt(r.rss10kMiB, 0)} MiB | ${fmt(r.ratio)}× | ${fmt(r.growthRatio)}× |`,
		);
	}
	lines.push(
		'',
		'Peak RSS of the whole child process (`process.resourceUsage().maxRSS`), start-up included (n8n-core, n8n-nodes-base and the vm engine loaded); 1k figures are medians of several processes. ' +
			'"growth" subtracts the RSS after start-up, i.e. what the run itself added.',
		'',
	);

	if (notes.length > 0) {
		lines.push('## Notes', '');
		for (const n of notes) lines.push(`- ${n}`);
		lines.push('');
	}
	return lines.join('\n');
}
