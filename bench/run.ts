/**
 * `npm run bench`: our Plaid Layer node against n8n's HTTP Request node, raw axios and the plaid
 * SDK, all calling the local Plaid emulator on 127.0.0.1. Every scenario runs in a fresh child
 * process (bench/scenario.ts); the emulators run here in the parent so their CPU is not counted.
 * Writes bench/results.json and bench/results.md and prints the markdown. See bench/README.md.
 *
 * Environment: BENCH_QUICK=1 (one process per figure, for trying the harness out),
 * BENCH_ENGINE=legacy (n8n contenders on the legacy expression engine instead of vm),
 * BENCH_CPU_PROF=<dir> (one extra, uncounted run of our node with --cpu-prof into <dir>).
 */
import { cpus, totalmem } from 'node:os';

import type { INodeProperties } from 'n8n-workflow';

import { nodeProperties } from '../nodes/PlaidLayer/actions';
import { runAlone, runTogether, type Outcome, type ScenarioSpec } from './children';
import { cpuRow, markdown, median, succeeded, type CpuRow, type RssRow, type Target, type ThroughputRow } from './report';
import { writePart } from './results-file';
import type { Contender, EngineName } from './scenario';
import { HTTP_REQUEST_TYPE_VERSION } from './workflows';

const QUICK = process.env.BENCH_QUICK === '1';
const ENGINE: EngineName = process.env.BENCH_ENGINE === 'legacy' ? 'legacy' : 'vm';
const CPU_PROCESSES = QUICK ? 1 : 5;
const INFO_PROCESSES = QUICK ? 1 : 2;
const RSS_1K_PROCESSES = QUICK ? 1 : 3;
const CPU_ITEMS = 1000;
const CPU_WARMUP = 200;
const LATENCY_MS = 50;
const THROUGHPUT_ITEMS = 1000;
const CONCURRENCIES = [1, 5, 10, 25];
const RSS_CONCURRENCY = 10;
/** Throughput scenarios expected to keep less than this share of one core busy may run side by side. */
const LIGHT_LOAD = 0.1;
/** A throughput run during which other processes used more than this (cores) is run once more... */
const NOISY_CORES = 0.5;
/** ...while the benchmark has been running for less than this, so it stays under ~6 minutes. */
const RERUN_BUDGET_MS = 250_000;

const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

function concurrencyDeclared(): boolean {
	const options = nodeProperties.find((p: INodeProperties) => p.name === 'requestOptions')?.options ?? [];
	return options.some((o) => 'name' in o && o.name === 'concurrency');
}

interface CpuContender {
	key: string;
	contender: Contender;
	label: string;
	how: string;
	engine?: EngineName;
	concurrency?: number;
	httpBatching?: { batchSize: number; batchIntervalMs: number };
	constantClientUserId?: string;
	informational?: boolean;
}

const CPU_CONTENDERS: CpuContender[] = [
	{ key: 'node', contender: 'node', label: 'Plaid Layer node (ours)', how: 'n8n-core WorkflowExecute, `clientUserId = {{ $json.user }}`, `requestOptions.concurrency = 1`' },
	{ key: 'minimalNode', contender: 'minimalNode', label: 'minimal node (bench/minimal-node.ts)', how: 'n8n-core WorkflowExecute, the same four `getNodeParameter` calls per item and one `httpRequestWithAuthentication` with the same credential; nothing else (no validation, retries or error mapping)' },
	{ key: 'httpNodeCredential', contender: 'httpNodeCredential', label: `HTTP Request node v${HTTP_REQUEST_TYPE_VERSION}, credential`, how: 'n8n-core WorkflowExecute, n8n\'s Custom Auth credential with `PLAID-CLIENT-ID`/`PLAID-SECRET` headers, JSON body expression; default options' },
	{ key: 'httpNode', contender: 'httpNode', label: `HTTP Request node v${HTTP_REQUEST_TYPE_VERSION}`, how: 'n8n-core WorkflowExecute, JSON body expression with `client_id`/`secret` in the body (as in Plaid\'s curl samples); default options, so all items are sent at once' },
	{ key: 'axiosNew', contender: 'axiosNew', label: 'raw axios, new connection', how: '`http.Agent({ keepAlive: false })`, one request at a time — the fair baseline: n8n-core opens a new connection per request' },
	{ key: 'axiosKeepAlive', contender: 'axiosKeepAlive', label: 'raw axios, keep-alive', how: '`http.Agent({ keepAlive: true })`, one request at a time' },
	{ key: 'sdk', contender: 'sdk', label: 'plaid SDK', how: '`PlaidApi.sessionTokenCreate`, keys in `baseOptions.headers`; Node\'s global agent (keep-alive), one at a time' },
];

function cpuSpec(c: CpuContender, rep: number): ScenarioSpec {
	return {
		id: `cpu-${c.key}-${rep}`,
		contender: c.contender,
		purpose: 'cpu',
		items: CPU_ITEMS,
		warmupItems: CPU_WARMUP,
		concurrency: c.concurrency ?? 1,
		...(c.httpBatching && { httpBatching: c.httpBatching }),
		...(c.constantClientUserId && { constantClientUserId: c.constantClientUserId }),
		engine: c.engine ?? ENGINE,
		latencyMs: 0,
	};
}

async function measureCpu(): Promise<{ rows: CpuRow[]; outcomes: Record<string, Outcome[]> }> {
	const outcomes: Record<string, Outcome[]> = {};
	// Informational rows: how much the engine and overlapping requests change the per-item cost.
	const info: CpuContender[] = [
		{ key: 'node-c10', contender: 'node', label: 'Plaid Layer node, concurrency 10', how: 'as above with `requestOptions.concurrency = 10` (requests overlap, like the HTTP Request node\'s)', concurrency: 10, informational: true },
		{ key: 'node-const', contender: 'node', label: 'Plaid Layer node, no expression', how: 'as the first row with a constant Client User ID: prices the one `{{ $json.user }}` evaluation per item', constantClientUserId: 'user-constant', informational: true },
		{ key: 'httpNode-seq', contender: 'httpNode', label: 'HTTP Request node, ~one at a time', how: 'as above with `batchSize = 1`, `batchInterval = 1 ms` (sleeping costs no CPU)', httpBatching: { batchSize: 1, batchIntervalMs: 1 }, informational: true },
		...(ENGINE === 'vm'
			? [
					{ key: 'node-legacy', contender: 'node' as Contender, label: 'Plaid Layer node, legacy engine', how: 'as the first row, in-process legacy expression engine (what a host built only on n8n-workflow runs)', engine: 'legacy' as EngineName, informational: true },
					{ key: 'httpNode-legacy', contender: 'httpNode' as Contender, label: 'HTTP Request node, legacy engine', how: 'as the second row, legacy expression engine', engine: 'legacy' as EngineName, informational: true },
				]
			: []),
	];
	const all = [...CPU_CONTENDERS, ...info];
	// Round-robin, so drift over the run touches every contender alike.
	for (let rep = 0; rep < CPU_PROCESSES; rep++) {
		for (const c of all) {
			if (c.informational && rep >= INFO_PROCESSES) continue;
			const outcome = await runAlone(cpuSpec(c, rep));
			(outcomes[c.key] ??= []).push(outcome);
			const r = succeeded(outcome);
			log(`cpu ${c.key} #${rep + 1}: ${r ? `${r.cpuPerItemMs.toFixed(3)} ms/item` : `FAILED ${outcome.result.problem}`}; other load ${outcome.group.otherCores?.toFixed(2) ?? '?'} cores`);
		}
	}
	const rows = all.map((c) => cpuRow(c.key, c.label, c.how, outcomes[c.key] ?? [], c.informational));
	return { rows, outcomes };
}

type ThroughputKind = 'ours' | 'httpPaced' | 'httpUnpaced' | 'axiosNew' | 'axiosKeepAlive';

/** Keep-alive axios only where it is cheap or headline (c = 10); the rest is the new-connection kind. */
const KEEP_ALIVE_CONCURRENCIES = [1, 10];
/** batchInterval 0 ignores batchSize (everything goes at once), so one run stands for every c. */
const UNPACED_BATCH_SIZE = 10;

function throughputSpec(kind: ThroughputKind, concurrency: number): ScenarioSpec {
	const base = { purpose: 'throughput' as const, items: THROUGHPUT_ITEMS, warmupItems: 10, concurrency, engine: ENGINE, latencyMs: LATENCY_MS };
	if (kind === 'ours') return { ...base, id: `tp-ours-c${concurrency}`, contender: 'node' };
	if (kind === 'axiosNew' || kind === 'axiosKeepAlive') return { ...base, id: `tp-${kind}-c${concurrency}`, contender: kind };
	return {
		...base,
		id: `tp-${kind}-c${concurrency}`,
		contender: 'httpNode',
		httpBatching: { batchSize: concurrency, batchIntervalMs: kind === 'httpPaced' ? LATENCY_MS : 0 },
	};
}

const reruns: string[] = [];

async function measureThroughput(cpuPerItem: { ours: number; http: number; axios: number }, declared: boolean): Promise<Outcome[]> {
	// Expected share of one core each scenario keeps busy: in flight × CPU per item ÷ latency.
	const jobs: Array<{ spec: ScenarioSpec; load: number }> = [];
	for (const c of CONCURRENCIES) {
		const oursInFlight = declared ? c : 1;
		jobs.push({ spec: throughputSpec('ours', c), load: (oursInFlight * cpuPerItem.ours) / LATENCY_MS });
		jobs.push({ spec: throughputSpec('httpPaced', c), load: (c * cpuPerItem.http) / LATENCY_MS });
		jobs.push({ spec: throughputSpec('axiosNew', c), load: (c * cpuPerItem.axios) / LATENCY_MS });
		if (KEEP_ALIVE_CONCURRENCIES.includes(c)) jobs.push({ spec: throughputSpec('axiosKeepAlive', c), load: (c * cpuPerItem.axios) / LATENCY_MS });
	}
	jobs.push({ spec: throughputSpec('httpUnpaced', UNPACED_BATCH_SIZE), load: 1 });
	const light = jobs.filter((j) => j.load <= LIGHT_LOAD);
	const heavy = jobs.filter((j) => j.load > LIGHT_LOAD);
	const outcomes: Outcome[] = [];
	const report = (o: Outcome, together: boolean) => {
		const r = succeeded(o);
		log(`throughput ${o.spec.id}${together ? ' (side by side)' : ''}: ${r ? `${r.itemsPerSecond.toFixed(1)} items/s, ≤${o.emulator.peakInFlight} in flight, ${r.cpuPerItemMs.toFixed(2)} ms CPU/item` : `FAILED ${o.result.problem}`}; other load ${o.group.otherCores?.toFixed(2) ?? '?'} cores`);
	};
	// Light scenarios (one request in flight: ~2 ms of CPU per 50 ms) barely touch the CPU, so they
	// run side by side; this keeps the c = 1 runs (~55 s each) from dominating the benchmark.
	if (light.length > 0) {
		log(`throughput: ${light.map((j) => j.spec.id).join(', ')} side by side`);
		for (const o of await runTogether(light.map((j) => j.spec))) {
			outcomes.push(o);
			report(o, true);
		}
	}
	for (const j of heavy) {
		let o = await runAlone(j.spec);
		report(o, false);
		if ((o.group.otherCores ?? 0) > NOISY_CORES && Date.now() - started < RERUN_BUDGET_MS) {
			// Other work on the machine took CPU this scenario needed: measure again, keep the quieter run.
			const again = await runAlone(j.spec);
			report(again, false);
			if ((again.group.otherCores ?? 0) < (o.group.otherCores ?? 0) || !o.result.ok) o = again;
			reruns.push(j.spec.id);
		}
		outcomes.push(o);
	}
	return outcomes;
}

function rssSpec(contender: Contender, items: number, rep: number): ScenarioSpec {
	return { id: `rss-${contender}-${items}-${rep}`, contender, purpose: 'rss', items, warmupItems: 0, concurrency: RSS_CONCURRENCY, engine: ENGINE, latencyMs: 0 };
}

async function measureRss(): Promise<Outcome[]> {
	// Peak RSS does not depend on sharing the CPU (memory is plentiful), so the 1k runs go together,
	// then the two 10k runs together.
	const outcomes: Outcome[] = [];
	const oneK: ScenarioSpec[] = [];
	for (let rep = 0; rep < RSS_1K_PROCESSES; rep++) oneK.push(rssSpec('node', 1000, rep), rssSpec('httpNode', 1000, rep));
	const groups = [oneK, [rssSpec('node', 10_000, 0), rssSpec('httpNode', 10_000, 0)]];
	for (const group of groups) {
		for (const o of await runTogether(group)) {
			outcomes.push(o);
			const r = succeeded(o);
			log(`rss ${o.spec.id}: ${r ? `${r.maxRssMiB.toFixed(0)} MiB peak (${r.rssBeforeMiB.toFixed(0)} MiB before the run)` : `FAILED ${o.result.problem}`}`);
		}
	}
	return outcomes;
}

function throughputFigure(outcomes: Outcome[], id: string) {
	const o = outcomes.find((x) => x.spec.id === id);
	const r = o && succeeded(o);
	return r && o ? { itemsPerSecond: r.itemsPerSecond, peakInFlight: o.emulator.peakInFlight, cpuPerItemMs: r.cpuPerItemMs } : undefined;
}

function rssRow(contender: Contender, label: string, how: string, outcomes: Outcome[]): RssRow {
	const of = (items: number) => outcomes.filter((o) => o.spec.contender === contender && o.spec.items === items);
	const peaks = (items: number) => of(items).map(succeeded).filter((r) => r !== undefined).map((r) => r.maxRssMiB);
	const before = of(1000).concat(of(10_000)).map(succeeded).filter((r) => r !== undefined).map((r) => r.rssBeforeMiB);
	const rss1kMiB = median(peaks(1000));
	const rss10kMiB = median(peaks(10_000));
	const baseMiB = median(before);
	return {
		contender: label,
		how,
		rss1kMiB,
		rss10kMiB,
		ratio: rss10kMiB / rss1kMiB,
		baseMiB,
		growthRatio: (rss10kMiB - baseMiB) / (rss1kMiB - baseMiB),
		processes1k: peaks(1000).length,
	};
}

async function main(): Promise<void> {
	const declared = concurrencyDeclared();
	log(`engine requested: ${ENGINE}; requestOptions.concurrency ${declared ? 'declared by the node' : 'NOT declared by the node (it runs one at a time)'}`);

	const cpu = await measureCpu();
	const cpuOf = (key: string) => cpu.rows.find((r) => r.key === key)?.cpuPerItemMs.median ?? NaN;

	if (process.env.BENCH_CPU_PROF) {
		const o = await runAlone(cpuSpec(CPU_CONTENDERS[0], 99), { cpuProfDir: process.env.BENCH_CPU_PROF });
		log(`profiled run of our node (not counted) → ${process.env.BENCH_CPU_PROF}: ${succeeded(o)?.cpuPerItemMs.toFixed(3)} ms/item`);
	}

	// CPU per item is higher when requests are spread out by latency than back to back; allow 1.5×.
	const throughput = await measureThroughput(
		{ ours: 1.5 * (cpuOf('node') || 2), http: 1.5 * (cpuOf('httpNode') || 2), axios: 1.5 * (cpuOf('axiosNew') || 1) },
		declared,
	);
	const httpUnpaced = throughputFigure(throughput, `tp-httpUnpaced-c${UNPACED_BATCH_SIZE}`);
	const throughputRows: ThroughputRow[] = CONCURRENCIES.map((c) => ({
		concurrency: c,
		limit: (c * 1000) / LATENCY_MS,
		ours: throughputFigure(throughput, `tp-ours-c${c}`),
		httpPaced: throughputFigure(throughput, `tp-httpPaced-c${c}`),
		axiosNew: throughputFigure(throughput, `tp-axiosNew-c${c}`),
		axiosKeepAlive: throughputFigure(throughput, `tp-axiosKeepAlive-c${c}`),
	}));

	const rss = await measureRss();
	const rssRows = [
		rssRow('node', 'Plaid Layer node (ours)', `\`requestOptions.concurrency = ${RSS_CONCURRENCY}\``, rss),
		rssRow('httpNode', `HTTP Request node v${HTTP_REQUEST_TYPE_VERSION}`, 'default options: every item in flight at once', rss),
	];

	// Headline figures.
	const overheadRatioVsAxios = cpuOf('node') / cpuOf('axiosNew');
	const overheadRatioVsAxiosKeepAlive = cpuOf('node') / cpuOf('axiosKeepAlive');
	const c10 = throughputRows.find((r) => r.concurrency === 10)!;
	const throughputRatioVsHttpRequestNode = (c10.ours?.itemsPerSecond ?? NaN) / (c10.httpPaced?.itemsPerSecond ?? NaN);
	const throughputRatioVsHttpRequestNodeUnpaced = (c10.ours?.itemsPerSecond ?? NaN) / (httpUnpaced?.itemsPerSecond ?? NaN);
	const throughputRatioVsAxiosNewC10 = (c10.ours?.itemsPerSecond ?? NaN) / (c10.axiosNew?.itemsPerSecond ?? NaN);
	const fractionOfLimitC10L50 = (c10.ours?.itemsPerSecond ?? NaN) / c10.limit;
	const rssRatio10kVs1k = rssRows[0].ratio;
	const engines = new Set(
		[...Object.values(cpu.outcomes).flat(), ...throughput, ...rss]
			.filter((o) => o.spec.engine === ENGINE && (o.spec.contender === 'node' || o.spec.contender === 'httpNode'))
			.map((o) => succeeded(o)?.engine)
			.filter((e) => e !== undefined),
	);
	const engineProblems = [...new Set(Object.values(cpu.outcomes).flat().map((o) => succeeded(o)?.engineProblem).filter(Boolean))];
	const expressionEngine = engines.size === 1 ? [...engines][0]! : [...engines].join('+') || 'unknown';
	const childNode = Object.values(cpu.outcomes).flat().map(succeeded).find((r) => r)?.nodeVersion ?? process.version;

	const ratios = throughputRows.map((r) => ({ c: r.concurrency, ratio: (r.ours?.itemsPerSecond ?? NaN) / (r.httpPaced?.itemsPerSecond ?? NaN) }));
	const vsMinimal = cpuOf('node') / cpuOf('minimalNode');
	const vsHttpCredential = cpuOf('node') / cpuOf('httpNodeCredential');
	const targets: Target[] = [
		{ name: 'CPU per item vs the minimal node (same parameters, request and credential)', figure: `${vsMinimal.toFixed(2)}× (${cpuOf('node').toFixed(3)} vs ${cpuOf('minimalNode').toFixed(3)} ms/item)`, goal: '≤ 1.05×', met: vsMinimal <= 1.05 },
		{ name: 'CPU per item vs the HTTP Request node with a credential', figure: `${vsHttpCredential.toFixed(2)}× (${cpuOf('node').toFixed(3)} vs ${cpuOf('httpNodeCredential').toFixed(3)} ms/item)`, goal: '≤ 1.00×', met: vsHttpCredential <= 1 },
		{ name: 'CPU overhead vs raw axios (new connection)', figure: `${overheadRatioVsAxios.toFixed(2)}× (${cpuOf('node').toFixed(3)} vs ${cpuOf('axiosNew').toFixed(3)} ms/item)`, goal: '≤ 1.15×', met: overheadRatioVsAxios <= 1.15 },
		{ name: 'Throughput vs HTTP Request node (50 ms interval), every c', figure: ratios.map((r) => `c=${r.c}: ${r.ratio.toFixed(2)}×`).join(', '), goal: '≥ 1.00× at each c', met: ratios.every((r) => r.ratio >= 1) },
		{ name: 'Throughput c = 10 @ 50 ms vs 200/s limit', figure: `${(c10.ours?.itemsPerSecond ?? NaN).toFixed(1)}/s = ${(fractionOfLimitC10L50 * 100).toFixed(0)}%`, goal: '≥ 90%', met: fractionOfLimitC10L50 >= 0.9 },
		{ name: 'Peak RSS 10k ÷ 1k items (ours)', figure: `${rssRatio10kVs1k.toFixed(2)}× (${rssRows[0].rss1kMiB.toFixed(0)} → ${rssRows[0].rss10kMiB.toFixed(0)} MiB)`, goal: '≤ 2×', met: rssRatio10kVs1k <= 2 },
	];

	const durationSeconds = (Date.now() - started) / 1000;
	const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryMiB: Math.round(totalmem() / 1024 / 1024) };
	const sideBySide = throughput.filter((o) => o.group.size > 1).map((o) => o.spec.id);
	const all = [...Object.values(cpu.outcomes).flat(), ...throughput, ...rss];
	const maxOther = (outcomes: Outcome[]) => Math.max(...outcomes.map((o) => o.group.otherCores ?? 0));
	const noise = {
		cpuPhaseMaxOtherCores: maxOther(Object.values(cpu.outcomes).flat()),
		throughputPhaseMaxOtherCores: maxOther(throughput),
		rssPhaseMaxOtherCores: maxOther(rss),
	};
	const notes = [
		`Expression engine: **${expressionEngine}**${expressionEngine === 'vm' ? " (isolated-vm, what n8n 2.41's server runs by default)" : ''}${engineProblems.length ? `; problems: ${engineProblems.join('; ')}` : ''}. Rows in _italics_ are informational (other engine or settings; 2 processes each).`,
		`Our node's \`requestOptions.concurrency\` is ${declared ? 'declared' : '**not declared** (the node ignores it and sends one request at a time)'}; observed peak in flight at c = 10: ${c10.ours?.peakInFlight ?? 'n/a'}.`,
		`Throughput scenarios expected to keep < ${LIGHT_LOAD * 100}% of a core busy ran side by side (measured runs started together, after all were warm): ${sideBySide.join(', ') || 'none'}. The rest ran one at a time.`,
		`Per-item CPU = process.cpuUsage (user + system) of the measured run ÷ items; start-up and warm-up excluded, GC during the run included. n8n runs include the Source node and WorkflowExecute's fixed per-run cost.`,
		`Throughput runs measured again because other processes used > ${NOISY_CORES} cores meanwhile (the quieter run is kept): ${reruns.join(', ') || 'none'}.`,
		`Other processes on this shared machine used up to ${noise.cpuPhaseMaxOtherCores.toFixed(2)} / ${noise.throughputPhaseMaxOtherCores.toFixed(2)} / ${noise.rssPhaseMaxOtherCores.toFixed(2)} cores during the CPU / throughput / RSS phases (from /proc/stat; per-run figures in results.json \`runs[].group\`).`,
		`The HTTP Request node's output item is Plaid's raw answer (\`link.link_token\`); ours is flattened (\`link_token\`).`,
	];

	const meta = {
		date: new Date().toISOString(),
		node: childNode,
		machine: `${machine.cpus} × ${machine.cpuModel}, ${(machine.memoryMiB / 1024).toFixed(1)} GiB`,
		engine: expressionEngine,
		duration: `${durationSeconds.toFixed(0)} s`,
		...(QUICK ? { mode: 'QUICK (1 process per figure)' } : {}),
	};
	const md = markdown({ cpuRows: cpu.rows, throughputRows, httpUnpaced, rssRows, targets, meta, notes });

	const results = {
		ratioVsMinimalNode: vsMinimal,
		ratioVsHttpRequestNodeCredential: vsHttpCredential,
		overheadRatioVsAxios,
		overheadRatioVsAxiosKeepAlive,
		throughputRatioVsHttpRequestNode,
		throughputRatioVsHttpRequestNodeUnpaced,
		throughputRatioVsAxiosNewC10,
		fractionOfLimitC10L50,
		rssRatio10kVs1k,
		expressionEngine,
		node: childNode,
		machine,
		date: meta.date,
		durationSeconds,
		quick: QUICK,
		concurrencyOptionDeclared: declared,
		noise,
		targets,
		cpuPerItemMs: Object.fromEntries(cpu.rows.map((r) => [r.key, r.cpuPerItemMs])),
		cpuRows: cpu.rows,
		throughputRows,
		httpRequestNodeUnpaced: { batchSize: UNPACED_BATCH_SIZE, batchIntervalMs: 0, ...httpUnpaced },
		rssRows,
		method: {
			cpu: { items: CPU_ITEMS, warmupItems: CPU_WARMUP, processes: CPU_PROCESSES, latencyMs: 0 },
			throughput: { items: THROUGHPUT_ITEMS, latencyMs: LATENCY_MS, concurrencies: CONCURRENCIES, lightLoadThreshold: LIGHT_LOAD, sideBySide, noisyCores: NOISY_CORES, reruns },
			rss: { concurrency: RSS_CONCURRENCY, processes1k: RSS_1K_PROCESSES, latencyMs: 0 },
			httpRequestTypeVersion: HTTP_REQUEST_TYPE_VERSION,
		},
		runs: all.map((o) => ({ ...o.spec, result: o.result, emulator: o.emulator, processMs: o.processMs, group: o.group })),
	};
	writePart('perItem', results, md);
	console.log('\n' + md);
	log(`wrote bench/results.json and bench/results.md in ${durationSeconds.toFixed(0)} s`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
