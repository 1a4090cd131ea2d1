/**
 * `npm run bench:n8n`: sign-ups as users send them, each its own webhook execution in a real n8n
 * 2.41.1 (the cached e2e install, the packed package installed as Settings → Community Nodes does),
 * against the Plaid emulator in its own process, driven by autocannon. Contenders (bench/n8n-workflows.ts):
 * the bare webhook, our 3-node and 4-node start workflows, the HTTP Request flow; again with the
 * settings large installs use (EXECUTIONS_DATA_SAVE_ON_SUCCESS=none; N8N_EXPRESSION_ENGINE=legacy),
 * each setting its own n8n. Runs are interleaved (A B C … A B C …) and each figure is a median.
 * Writes the `n8n` part of bench/results.json and bench/results.md and prints its tables.
 *
 * Environment: BENCH_QUICK=1 (one round, fewer requests), BENCH_N8N_ROUNDS, BENCH_N8N_REQUESTS
 * (per run at 10 connections; 5/3 of that at 50), BENCH_CPU_PROF=<dir> (afterwards, one more n8n
 * with --cpu-prof runs the start workflow; its profile summary goes into the notes; with
 * BENCH_N8N_PROFILE_ONLY=1 only that, printed, nothing written), BENCH_N8N_RENDER=1 (the tables
 * again from the runs saved in bench/results.json, nothing measured).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import autocannon from 'autocannon';

import { N8N_VERSION } from '../e2e/install';
import { checkPackageLoaded, N8nClient, N8nServer, OWNER, packPackage } from '../e2e/n8n';
import { OutboundGuard } from '../e2e/outbound-guard';
import { activateWorkflow, importWorkflow } from '../e2e/stack';
import { FLOW_LABELS, FLOW_PATHS, flowWorkflow, PLAID_CALLS, type Flow } from './n8n-workflows';
import { PlaidProcess, type PlaidCounts } from './plaid-process';
import { groupCpuMs, loadAverage, machineBusyMs } from './proc-stat';
import { summarizeProfile } from './profile-summary';
import { median } from './report';
import { writePart } from './results-file';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_N8N_ROUNDS ?? (QUICK ? 1 : 3));
const REQUESTS_C10 = Number(process.env.BENCH_N8N_REQUESTS ?? (QUICK ? 60 : 150));
/** Sign-ups per run: more at 50 connections, so the run is not mostly its ramp-up and tail. */
const requestsFor = (connections: number) => (connections === 10 ? REQUESTS_C10 : Math.round((REQUESTS_C10 * 5) / 3));
const WARMUP_REQUESTS = QUICK ? 20 : 40;
const CONNECTIONS = [10, 50];
const LATENCIES_MS = [0, 50];

type InstanceKey = 'default' | 'saveNone' | 'legacy';

interface InstanceSpec {
	key: InstanceKey;
	label: string;
	env: Record<string, string>;
	flows: Flow[];
	/** Measured only at 10 connections and 0 ms (the settings comparison), or in every cell. */
	everyCell: boolean;
}

const INSTANCES: InstanceSpec[] = [
	{ key: 'default', label: 'n8n defaults (SQLite, save every execution, vm expression engine)', env: {}, flows: ['bare', 'ours', 'ours4', 'http'], everyCell: true },
	{ key: 'saveNone', label: 'EXECUTIONS_DATA_SAVE_ON_SUCCESS=none', env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' }, flows: ['bare', 'ours', 'http'], everyCell: false },
	{ key: 'legacy', label: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' }, flows: ['bare', 'ours', 'http'], everyCell: false },
];

interface Instance extends InstanceSpec {
	server: N8nServer;
	urls: Record<string, string>;
}

export interface RunResult {
	instance: InstanceKey;
	flow: Flow;
	connections: number;
	latencyMs: number;
	round: number;
	requests: number;
	ok: number;
	/** Non-2xx answers, connection errors, timeouts and 2xx answers without the expected body. */
	errors: number;
	badBodies: number;
	wallMs: number;
	executionsPerSecond: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	/** user + system CPU of n8n's process group (main and task runner) ÷ 2xx answers. */
	n8nCpuMsPerExecution: number;
	/** n8n's CPU over the run, in cores. */
	n8nCores: number;
	plaidCpuMsPerExecution: number;
	loadGeneratorCpuMsPerExecution: number;
	/** CPU other processes on the machine used meanwhile, in cores. */
	otherCores: number;
	loadAverageBefore: number;
	loadAverageAfter: number;
	plaidCounts: PlaidCounts;
	/** Every 2xx sign-up made exactly its flow's Plaid calls, and nothing else reached Plaid. */
	plaidCallsChecked: boolean;
}

const started = Date.now();
const log = (message: string) => console.log(`[bench:n8n ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startInstance(spec: InstanceSpec, tarball: string, guard: OutboundGuard, plaid: PlaidProcess, extraEnv: Record<string, string> = {}): Promise<Instance> {
	const server = await N8nServer.start({ tarball, env: { ...guard.env(), ...spec.env, ...extraEnv } });
	try {
		const client = new N8nClient(server.url);
		await client.setupOwner(OWNER);
		await client.login(OWNER);
		await checkPackageLoaded(server, client);
		const plaidLayerApi = await client.rest<{ id: string }>('POST', '/rest/credentials', {
			name: 'Plaid Layer account',
			type: 'plaidLayerApi',
			data: { environment: 'custom', baseUrl: plaid.url, clientId: plaid.clientId, secret: plaid.secret },
		});
		const httpCustomAuth = await client.rest<{ id: string }>('POST', '/rest/credentials', {
			name: 'Plaid keys',
			type: 'httpCustomAuth',
			data: { json: JSON.stringify({ headers: { 'PLAID-CLIENT-ID': plaid.clientId, 'PLAID-SECRET': plaid.secret } }) },
		});
		const urls: Record<string, string> = {};
		for (const flow of spec.flows) {
			const json = flowWorkflow(flow, { url: plaid.url, templateId: plaid.templateId }, { plaidLayerApi: plaidLayerApi.id, httpCustomAuth: httpCustomAuth.id });
			await activateWorkflow(client, await importWorkflow(client, json as never));
			urls[flow] = `${server.url}/webhook/${FLOW_PATHS[flow]}`;
		}
		return { ...spec, server, urls };
	} catch (error) {
		await server.stop({ keepUserFolder: true });
		throw error;
	}
}

/** Waits until n8n has finished what the run left (saving the last executions): 200 ms with < 10 ms of CPU, at most 3 s. */
async function settle(pgid: number): Promise<void> {
	const deadline = Date.now() + 3_000;
	let last = groupCpuMs(pgid);
	while (Date.now() < deadline) {
		await sleep(200);
		const now = groupCpuMs(pgid);
		if (now - last < 10) return;
		last = now;
	}
}

function answerIsGood(flow: Flow, status: number, body: string): boolean {
	if (status < 200 || status >= 300) return true; // counted as non-2xx by autocannon
	try {
		const json = JSON.parse(body) as { ok?: unknown; link_token?: unknown; user_id?: unknown };
		if (flow === 'bare') return json.ok === true;
		return typeof json.link_token === 'string' && json.link_token.startsWith('link-sandbox-') && typeof json.user_id === 'string' && json.user_id.startsWith('usr_');
	} catch {
		return false;
	}
}

let signUps = 0;

async function load(url: string, flow: Flow, connections: number, amount: number, tag: string) {
	let badBodies = 0;
	// From the first request to the last answer: autocannon's own duration ends on its 1-second
	// sampling tick, which would round every run up to whole seconds.
	let firstSent: number | undefined;
	let lastAnswered = 0;
	const result = await autocannon({
		url,
		connections,
		amount,
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		timeout: 120,
		requests: [
			{
				setupRequest: (request) => {
					firstSent ??= performance.now();
					return { ...request, body: JSON.stringify({ user_id: `bench-${tag}-${String(signUps++).padStart(6, '0')}` }) };
				},
				onResponse: (status, body) => {
					lastAnswered = performance.now();
					if (!answerIsGood(flow, status, body)) badBodies++;
				},
			},
		],
	});
	return { result, badBodies, wallMs: lastAnswered - (firstSent ?? lastAnswered), idleAfterMs: performance.now() - lastAnswered };
}

function checkPlaidCalls(flow: Flow, ok: number, counts: PlaidCounts): boolean {
	const expected = PLAID_CALLS[flow];
	const seen = Object.entries(counts).filter(([, n]) => n > 0);
	return seen.length === expected.length && expected.every((call) => counts[call] === ok);
}

async function measure(instance: Instance, others: Instance[], plaid: PlaidProcess, flow: Flow, connections: number, latencyMs: number, round: number): Promise<RunResult> {
	const requests = requestsFor(connections);
	const pgid = instance.server.pid;
	const before = {
		plaid: await plaid.take(),
		n8n: groupCpuMs(pgid),
		others: others.reduce((sum, other) => sum + groupCpuMs(other.server.pid), 0),
		self: process.cpuUsage(),
		busy: machineBusyMs(),
		load: loadAverage(),
		wall: performance.now(),
	};
	const { result, badBodies, wallMs, idleAfterMs } = await load(instance.urls[flow], flow, connections, requests, `${instance.key}-${flow}-c${connections}-l${latencyMs}-r${round}`);
	await settle(pgid);
	// The CPU window: from the first request until n8n was idle again, less autocannon's wait for its tick.
	const windowMs = performance.now() - before.wall - idleAfterMs;
	const after = {
		plaid: await plaid.take(),
		n8n: groupCpuMs(pgid),
		others: others.reduce((sum, other) => sum + groupCpuMs(other.server.pid), 0),
		self: process.cpuUsage(before.self),
		busy: machineBusyMs(),
	};
	const ok = result['2xx'] - badBodies;
	const n8nCpu = after.n8n - before.n8n;
	const plaidCpu = after.plaid.cpuMs - before.plaid.cpuMs;
	const selfCpu = (after.self.user + after.self.system) / 1000;
	const ours = n8nCpu + plaidCpu + selfCpu + (after.others - before.others);
	return {
		instance: instance.key,
		flow,
		connections,
		latencyMs,
		round,
		requests,
		ok,
		errors: result.non2xx + result.errors + result.timeouts + badBodies,
		badBodies,
		wallMs,
		executionsPerSecond: ok / (wallMs / 1000),
		latencyP50Ms: result.latency.p50,
		latencyP99Ms: result.latency.p99,
		n8nCpuMsPerExecution: n8nCpu / ok,
		n8nCores: n8nCpu / windowMs,
		plaidCpuMsPerExecution: plaidCpu / ok,
		loadGeneratorCpuMsPerExecution: selfCpu / ok,
		otherCores: Math.max(0, after.busy - before.busy - ours) / windowMs,
		loadAverageBefore: before.load,
		loadAverageAfter: loadAverage(),
		plaidCounts: after.plaid.counts,
		plaidCallsChecked: checkPlaidCalls(flow, ok, after.plaid.counts),
	};
}

export interface Row {
	instance: InstanceKey;
	flow: Flow;
	connections: number;
	latencyMs: number;
	runs: number;
	executionsPerSecond: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	n8nCpuMsPerExecution: number;
	n8nCores: number;
	errors: number;
	plaidCallsChecked: boolean;
	otherCoresMax: number;
	loadAverage: [number, number];
	all: { executionsPerSecond: number[]; n8nCpuMsPerExecution: number[] };
}

function row(runs: RunResult[]): Row {
	const [first] = runs;
	const loads = runs.flatMap((r) => [r.loadAverageBefore, r.loadAverageAfter]);
	return {
		instance: first.instance,
		flow: first.flow,
		connections: first.connections,
		latencyMs: first.latencyMs,
		runs: runs.length,
		executionsPerSecond: median(runs.map((r) => r.executionsPerSecond)),
		latencyP50Ms: median(runs.map((r) => r.latencyP50Ms)),
		latencyP99Ms: median(runs.map((r) => r.latencyP99Ms)),
		n8nCpuMsPerExecution: median(runs.map((r) => r.n8nCpuMsPerExecution)),
		n8nCores: median(runs.map((r) => r.n8nCores)),
		errors: runs.reduce((sum, r) => sum + r.errors, 0),
		plaidCallsChecked: runs.every((r) => r.plaidCallsChecked),
		otherCoresMax: Math.max(...runs.map((r) => r.otherCores)),
		loadAverage: [Math.min(...loads), Math.max(...loads)],
		all: { executionsPerSecond: runs.map((r) => r.executionsPerSecond), n8nCpuMsPerExecution: runs.map((r) => r.n8nCpuMsPerExecution) },
	};
}

const fmt = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));

function markdown(rows: Row[], targets: Array<{ name: string; figure: string; goal: string; met: boolean; metByCpu: boolean }>, meta: Record<string, string>, notes: string[]): string {
	const find = (instance: InstanceKey, flow: Flow, c: number, l: number) => rows.find((r) => r.instance === instance && r.flow === flow && r.connections === c && r.latencyMs === l);
	const lines: string[] = ['# Real n8n: one execution per sign-up', '', Object.entries(meta).map(([k, v]) => `**${k}:** ${v}`).join(' · '), ''];
	lines.push('## Targets (10 connections, Plaid answering at once)', '', '| target | figure | goal | by executions/s | by CPU per execution |', '|---|---|---|---|---|');
	for (const t of targets) lines.push(`| ${t.name} | ${t.figure} | ${t.goal} | ${t.met ? 'met' : '**not met**'} | ${t.metByCpu ? 'met' : '**not met**'} |`);
	lines.push('');
	const header = '| workflow | executions/s | p50 / p99 latency | n8n CPU per execution | n8n cores | errors | Plaid calls checked | ÷ HTTP Request flow | ÷ bare | ÷ HTTP Request flow by CPU | ÷ bare by CPU |';
	const table = (instance: InstanceKey, c: number, l: number, flows: Flow[]) => {
		const bare = find(instance, 'bare', c, l);
		const http = find(instance, 'http', c, l);
		lines.push(header, '|---|---|---|---|---|---|---|---|---|---|---|');
		for (const flow of flows) {
			const r = find(instance, flow, c, l);
			if (!r) continue;
			const ratio = (other?: Row) => (other && flow !== other.flow ? `${fmt(r.executionsPerSecond / other.executionsPerSecond, 2)}×` : '');
			const byCpu = (other?: Row) => (other && flow !== other.flow ? `${fmt(other.n8nCpuMsPerExecution / r.n8nCpuMsPerExecution, 2)}×` : '');
			lines.push(
				`| ${FLOW_LABELS[flow]} | ${fmt(r.executionsPerSecond)} | ${fmt(r.latencyP50Ms, 0)} / ${fmt(r.latencyP99Ms, 0)} ms | ${fmt(r.n8nCpuMsPerExecution)} ms | ${fmt(r.n8nCores, 2)} | ${r.errors} | ${r.plaidCallsChecked ? 'yes' : '**no**'} | ${ratio(http)} | ${ratio(bare)} | ${byCpu(http)} | ${byCpu(bare)} |`,
			);
		}
		const cell = rows.filter((r) => r.instance === instance && r.connections === c && r.latencyMs === l);
		lines.push('', `Machine during these runs: load average ${fmt(Math.min(...cell.map((r) => r.loadAverage[0])), 2)}–${fmt(Math.max(...cell.map((r) => r.loadAverage[1])), 2)}; other processes used up to ${fmt(Math.max(...cell.map((r) => r.otherCoresMax)), 2)} cores.`, '');
	};
	for (const l of LATENCIES_MS) {
		for (const c of CONNECTIONS) {
			lines.push(`## ${c} connections, Plaid latency ${l} ms`, '');
			table('default', c, l, ['bare', 'ours', 'ours4', 'http']);
		}
	}
	lines.push('## Settings large installs use (10 connections, 0 ms; each setting its own n8n, interleaved with the runs above)', '');
	for (const spec of INSTANCES.filter((i) => i.key !== 'default')) {
		lines.push(`### ${spec.label}${spec.key === 'legacy' ? ' (runs expressions in n8n\'s own process, without the isolation the vm engine gives: see notes)' : ''}`, '');
		table(spec.key, 10, 0, spec.flows);
	}
	lines.push('### Start workflow (3 nodes) under each setting, 10 connections, 0 ms', '', '| n8n | executions/s | p50 / p99 latency | n8n CPU per execution | ÷ defaults | ÷ defaults by CPU |', '|---|---|---|---|---|---|');
	const base = find('default', 'ours', 10, 0);
	for (const spec of INSTANCES) {
		const r = find(spec.key, 'ours', 10, 0);
		if (r) lines.push(`| ${spec.label} | ${fmt(r.executionsPerSecond)} | ${fmt(r.latencyP50Ms, 0)} / ${fmt(r.latencyP99Ms, 0)} ms | ${fmt(r.n8nCpuMsPerExecution)} ms | ${base ? `${fmt(r.executionsPerSecond / base.executionsPerSecond, 2)}×` : ''} | ${base ? `${fmt(base.n8nCpuMsPerExecution / r.n8nCpuMsPerExecution, 2)}×` : ''} |`);
	}
	lines.push('');
	if (notes.length) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
	return lines.join('\n');
}

/** Our start workflow on one more n8n started with --cpu-prof; the profile's summary, for the notes. */
async function profileStartWorkflow(dir: string, tarball: string, guard: OutboundGuard, plaid: PlaidProcess): Promise<string[]> {
	mkdirSync(dir, { recursive: true });
	const before = new Set(readdirSync(dir));
	const spec: InstanceSpec = { key: 'default', label: 'profiled', env: {}, flows: ['ours'], everyCell: false };
	const instance = await startInstance(spec, tarball, guard, plaid, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` });
	await load(instance.urls.ours, 'ours', 10, WARMUP_REQUESTS, 'profile-warmup');
	await load(instance.urls.ours, 'ours', 10, REQUESTS_C10, 'profile');
	await settle(instance.server.pid);
	await instance.server.stop();
	// n8n's own process wrote the largest profile (its task runner one too).
	const written = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
	const largest = written.map((f) => join(dir, f)).sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
	if (!largest) return ['BENCH_CPU_PROF: n8n wrote no profile'];
	log(`profile of n8n running the start workflow: ${largest}`);
	return summarizeProfile(largest);
}

/** Medians, ratios, targets and notes from the runs; writes the n8n part of the results and prints it. */
function report(runs: RunResult[], run: { date: string; durationSeconds: number; profileNotes: string[] }): void {
	const groups = new Map<string, RunResult[]>();
	for (const r of runs) {
		const key = `${r.instance}/${r.flow}/${r.connections}/${r.latencyMs}`;
		groups.set(key, [...(groups.get(key) ?? []), r]);
	}
	const rows = [...groups.values()].map(row);
	const rounds = Math.max(...runs.map((r) => r.round));
	const get = (instance: InstanceKey, flow: Flow, c = 10, l = 0) => rows.find((r) => r.instance === instance && r.flow === flow && r.connections === c && r.latencyMs === l);
	const ratio = (a?: Row, b?: Row) => (a && b ? a.executionsPerSecond / b.executionsPerSecond : NaN);
	const cpuRatio = (a?: Row, b?: Row) => (a && b ? b.n8nCpuMsPerExecution / a.n8nCpuMsPerExecution : NaN);
	const [ours, http, bare, four] = [get('default', 'ours'), get('default', 'http'), get('default', 'bare'), get('default', 'ours4')];
	const oursVsHttp = ratio(ours, http);
	const oursVsBare = ratio(ours, bare);
	const target = (name: string, other: Row | undefined, value: number, goal: number) => ({
		name,
		figure: `${fmt(value, 2)}× executions/s (${fmt(ours?.executionsPerSecond)} vs ${fmt(other?.executionsPerSecond)}/s); by n8n CPU per execution ${fmt(cpuRatio(ours, other), 2)}× (${fmt(ours?.n8nCpuMsPerExecution)} vs ${fmt(other?.n8nCpuMsPerExecution)} ms)`,
		goal: `≥ ${goal.toFixed(2)}×`,
		met: value >= goal,
		metByCpu: cpuRatio(ours, other) >= goal,
	});
	const targets = [target('start workflow ÷ HTTP Request flow', http, oursVsHttp, 1), target('start workflow ÷ bare webhook', bare, oursVsBare, 0.8)];
	const notes = [
		`Each figure is the median of ${rounds} run(s); runs were interleaved (every contender once per round, rounds one after the other), so drift on the machine hits all alike. Every run sends ${runs.find((r) => r.connections === 10)?.requests} sign-ups at 10 connections, ${runs.find((r) => r.connections === 50)?.requests} at 50, each with its own user_id, after a warm-up of ${WARMUP_REQUESTS} per contender.`,
		`Checked: every 2xx answer has a \`link_token\` and a \`user_id\` (the bare webhook: its constant body), and the emulator answered exactly one \`/user/create\` and one \`/session/token/create\` per 2xx sign-up and nothing else ("Plaid calls checked").`,
		`n8n CPU = user + system time of n8n's process group (main process and its task runner) from /proc over the run and until n8n was idle again (saving the last executions), ÷ 2xx answers. Plaid (the emulator, its own process) used ${fmt(median(runs.filter((r) => r.flow !== 'bare').map((r) => r.plaidCpuMsPerExecution)), 2)} ms and autocannon ${fmt(median(runs.map((r) => r.loadGeneratorCpuMsPerExecution)), 2)} ms per execution (medians), on the same 2 cores.`,
		`"÷ … by CPU" = the other workflow's n8n CPU per execution ÷ this one's: the executions per second each would reach with the same CPU. n8n is CPU-bound here, so executions/s = the cores it got ÷ its CPU per execution; on a machine shared with other work the cores it got change from run to run ("n8n cores"), and the CPU ratio is the steadier comparison.`,
		`What one node fewer buys (10 connections, 0 ms): 3 nodes ${fmt(ours?.executionsPerSecond)}/s at ${fmt(ours?.n8nCpuMsPerExecution)} ms of n8n CPU, 4 nodes ${fmt(four?.executionsPerSecond)}/s at ${fmt(four?.n8nCpuMsPerExecution)} ms: ${fmt(ratio(ours, four), 2)}× the executions per second, ${fmt(cpuRatio(ours, four), 2)}× by CPU.`,
		`N8N_EXPRESSION_ENGINE=legacy evaluates expressions in n8n's own process (n8n-workflow's tmpl engine); n8n 2.x's default vm engine runs them in an isolate, so an expression cannot reach the process. Weigh the figures against that isolation before using it, above all where people who are not administrators edit workflows.`,
		...run.profileNotes,
	];
	const quick = rounds === 1;
	const meta = {
		date: run.date,
		n8n: `${N8N_VERSION}, SQLite, regular mode`,
		machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
		duration: `${run.durationSeconds.toFixed(0)} s`,
		...(quick ? { mode: 'QUICK (1 round, fewer requests)' } : {}),
	};
	const md = markdown(rows, targets, meta, notes);
	writePart(
		'n8n',
		{ ...meta, durationSeconds: run.durationSeconds, quick, rounds, targets, ratios: { oursVsHttp, oursVsBare, threeVsFourNodes: ratio(ours, four) }, cpuRatios: { oursVsHttp: cpuRatio(ours, http), oursVsBare: cpuRatio(ours, bare), threeVsFourNodes: cpuRatio(ours, four) }, instances: INSTANCES.map(({ key, label, env }) => ({ key, label, env })), profileNotes: run.profileNotes, rows, runs },
		md,
	);
	console.log(`\n${md}`);
	log(`wrote the n8n part of bench/results.json and bench/results.md (${run.durationSeconds.toFixed(0)} s of benchmark)`);
}

/** BENCH_N8N_RENDER=1: the tables again from the runs in bench/results.json, without measuring. */
function renderAgain(): void {
	const saved = JSON.parse(readFileSync(join(__dirname, 'results.json'), 'utf8')) as { n8n?: { runs: RunResult[]; date: string; durationSeconds: number; profileNotes?: string[] } };
	if (!saved.n8n) throw new Error('bench/results.json has no n8n part: run npm run bench:n8n');
	report(saved.n8n.runs, { date: saved.n8n.date, durationSeconds: saved.n8n.durationSeconds, profileNotes: saved.n8n.profileNotes ?? [] });
}

async function main(): Promise<void> {
	if (process.env.BENCH_N8N_RENDER) return renderAgain();
	const guard = await OutboundGuard.start();
	const plaid = await PlaidProcess.start();
	const instances: Instance[] = [];
	try {
		if (process.env.BENCH_N8N_PROFILE_ONLY && process.env.BENCH_CPU_PROF) {
			// While working on a fix: only the profiled run, nothing written.
			for (const line of await profileStartWorkflow(process.env.BENCH_CPU_PROF, packPackage(), guard, plaid)) console.log(`\n${line}`);
			return;
		}
		log(`packing the package and starting ${INSTANCES.length} n8n ${N8N_VERSION} instances one after the other`);
		const tarball = packPackage();
		for (const spec of INSTANCES) {
			instances.push(await startInstance(spec, tarball, guard, plaid));
			log(`n8n "${spec.key}" ready at ${instances.at(-1)!.server.url}`);
		}
		for (const instance of instances) {
			for (const flow of instance.flows) {
				const { result, badBodies } = await load(instance.urls[flow], flow, 5, WARMUP_REQUESTS, `warmup-${instance.key}-${flow}`);
				const counts = (await plaid.take()).counts;
				if (result['2xx'] !== WARMUP_REQUESTS || badBodies > 0 || !checkPlaidCalls(flow, WARMUP_REQUESTS, counts)) {
					throw new Error(`warm-up of ${instance.key}/${flow} failed: ${result['2xx']} of ${WARMUP_REQUESTS} answered 2xx, ${badBodies} without the expected body, Plaid saw ${JSON.stringify(counts)}`);
				}
			}
		}
		log('warm-up done: every contender answers correctly');

		const runs: RunResult[] = [];
		for (const latencyMs of LATENCIES_MS) {
			await plaid.setLatency(latencyMs);
			for (const connections of CONNECTIONS) {
				const contenders = instances.flatMap((instance) =>
					instance.everyCell || (connections === 10 && latencyMs === 0) ? instance.flows.map((flow) => ({ instance, flow })) : [],
				);
				for (let round = 1; round <= ROUNDS; round++) {
					for (const { instance, flow } of contenders) {
						const r = await measure(instance, instances.filter((other) => other !== instance), plaid, flow, connections, latencyMs, round);
						runs.push(r);
						log(
							`${latencyMs} ms c=${connections} round ${round} ${instance.key}/${flow}: ${r.executionsPerSecond.toFixed(1)}/s, p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms, ${r.n8nCpuMsPerExecution.toFixed(1)} ms n8n CPU, errors ${r.errors}${r.plaidCallsChecked ? '' : `, PLAID CALLS WRONG ${JSON.stringify(r.plaidCounts)}`}; other load ${r.otherCores.toFixed(2)} cores, load avg ${r.loadAverageAfter}`,
						);
					}
				}
			}
		}
		await plaid.setLatency(0);

		const profileNotes = process.env.BENCH_CPU_PROF ? await profileStartWorkflow(process.env.BENCH_CPU_PROF, tarball, guard, plaid) : [];
		report(runs, { date: new Date().toISOString(), durationSeconds: (Date.now() - started) / 1000, profileNotes });
	} finally {
		for (const instance of instances) await instance.server.stop();
		plaid.stop();
		await guard.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
