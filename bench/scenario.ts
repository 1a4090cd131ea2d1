/**
 * One benchmark scenario in its own process (started by bench/run.ts with `fork`), so its CPU time
 * and peak RSS are its own: the emulator it calls runs in the parent. It reads the scenario from
 * BENCH_SCENARIO and sends one ScenarioResult back over IPC.
 */
import type { EmulatorTarget } from './emulator-host';

export type Contender = 'node' | 'minimalNode' | 'httpNode' | 'httpNodeCredential' | 'axiosNew' | 'axiosKeepAlive' | 'sdk';
export type Purpose = 'cpu' | 'throughput' | 'rss';
export type EngineName = 'vm' | 'legacy';

export interface Scenario {
	id: string;
	contender: Contender;
	purpose: Purpose;
	/** Items (requests) in the measured run. */
	items: number;
	/** Items run once before the measured run (JIT, module loading, first connections). */
	warmupItems: number;
	/** Our node: `requestOptions.concurrency`. */
	concurrency: number;
	/** HTTP Request node batching; absent = the node's default (no batching options). */
	httpBatching?: { batchSize: number; batchIntervalMs: number };
	/** Our node: a constant Client User ID instead of the `{{ $json.user }}` expression. */
	constantClientUserId?: string;
	/** Expression engine to ask for (n8n contenders); falls back to legacy if vm cannot start. */
	engine: EngineName;
	target: EmulatorTarget;
}

export interface ScenarioResult {
	id: string;
	ok: boolean;
	problem?: string;
	items: number;
	/** Output items that carry a link_token. */
	goodItems: number;
	engine?: EngineName;
	engineProblem?: string;
	startupMs: number;
	wallMs: number;
	cpuUserMs: number;
	cpuSystemMs: number;
	cpuPerItemMs: number;
	itemsPerSecond: number;
	/** Peak RSS of the whole process (process.resourceUsage().maxRSS). */
	maxRssMiB: number;
	/** Peak RSS from /proc/self/status VmHWM (Linux), for cross-checking. */
	vmHwmMiB?: number;
	/** RSS just before the measured run started. */
	rssBeforeMiB: number;
	nodeVersion: string;
}

export interface ScenarioFailure {
	id: string;
	ok: false;
	problem: string;
}

/** What the child sends over IPC: first `{ ready: true }`, then its result. */
export type ScenarioMessage = { ready: true } | ScenarioResult | ScenarioFailure;

const MiB = 1024 * 1024;

function vmHwmMiB(): number | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const status = (require('node:fs') as typeof import('node:fs')).readFileSync('/proc/self/status', 'utf8');
		const match = /VmHWM:\s+(\d+)\s+kB/.exec(status);
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** A measured piece of work: run(count, prefix) does `count` items and says how many succeeded. */
type Runner = (count: number, prefix: string) => Promise<number>;

async function n8nRunner(scenario: Scenario): Promise<{ run: Runner; engine: EngineName; engineProblem?: string }> {
	const { Expression } = await import('n8n-workflow');
	let engine: EngineName = 'legacy';
	let engineProblem: string | undefined;
	if (scenario.engine === 'vm') {
		try {
			// What n8n 2.41's server does at start-up, with its default settings (@n8n/config
			// ExpressionEngineConfig: pool 1, code cache 1024, timeout 5 s, 128 MB).
			await Expression.initExpressionEngine({
				engine: 'vm',
				poolSize: 1,
				maxCodeCacheSize: 1024,
				bridgeTimeout: 5000,
				bridgeMemoryLimit: 128,
			});
			const active = (Expression as unknown as { getActiveImplementation?: () => string }).getActiveImplementation?.();
			engine = active === undefined || active === 'vm' ? 'vm' : 'legacy';
			if (engine !== 'vm') engineProblem = `vm engine requested, ${active} active`;
		} catch (error) {
			engineProblem = error instanceof Error ? error.message : String(error);
			engine = 'legacy';
		}
	}
	const { runWorkflow } = await import('../runner/run-workflow');
	const { registerNodeType } = await import('../runner/node-types');
	const { BenchMinimalNode, MINIMAL_NODE_TYPE } = await import('./minimal-node');
	registerNodeType(MINIMAL_NODE_TYPE, BenchMinimalNode);
	const workflows = await import('./workflows');
	const { target } = scenario;
	const credentials = {
		plaidLayerApi: { environment: 'custom', baseUrl: target.url, clientId: target.clientId, secret: target.secret },
		httpCustomAuth: workflows.plaidCustomAuth(target),
	};
	const [definition, outputNode] =
		scenario.contender === 'node'
			? [workflows.plaidLayerWorkflow(target, scenario.concurrency, scenario.constantClientUserId), workflows.PLAID_NODE]
			: scenario.contender === 'minimalNode'
				? [workflows.minimalNodeWorkflow(target), workflows.MINIMAL_NODE]
				: scenario.contender === 'httpNodeCredential'
					? [workflows.httpRequestCredentialWorkflow(target), workflows.HTTP_NODE]
					: [workflows.httpRequestWorkflow(target, scenario.httpBatching), workflows.HTTP_NODE];
	const run: Runner = async (count, prefix) => {
		const result = await runWorkflow(definition, {
			mode: 'webhook',
			credentials,
			triggerItems: workflows.userItems(count, prefix),
		});
		if (result.error) throw new Error(`workflow failed: ${result.error.message}`);
		const out = result.jsonOf(outputNode);
		return out.filter((json) => {
			const link = (json as { link?: { link_token?: unknown } }).link;
			return typeof json.link_token === 'string' || typeof link?.link_token === 'string';
		}).length;
	};
	return { run, engine, engineProblem };
}

async function axiosRunner(scenario: Scenario, keepAlive: boolean): Promise<Runner> {
	const { default: axios } = await import('axios');
	const http = await import('node:http');
	const { target } = scenario;
	const client = axios.create({
		baseURL: target.url,
		// keepAlive false: a new TCP connection per request, as n8n-core's helpers do.
		httpAgent: new http.Agent({ keepAlive }),
		headers: {
			'PLAID-CLIENT-ID': target.clientId,
			'PLAID-SECRET': target.secret,
			'Plaid-Version': '2020-09-14',
		},
	});
	return async (count, prefix) => {
		const out: Array<Record<string, unknown>> = new Array(count);
		let next = 0;
		// `concurrency` workers, each sending one request at a time (1 for the CPU scenarios).
		const worker = async () => {
			while (next < count) {
				const i = next++;
				const { data } = await client.post('/session/token/create', {
					template_id: target.templateId,
					user: { client_user_id: `${prefix}-${String(i).padStart(6, '0')}` },
				});
				out[i] = { link_token: data.link?.link_token, expiration: data.link?.expiration, request_id: data.request_id };
			}
		};
		await Promise.all(Array.from({ length: Math.max(1, Math.min(scenario.concurrency, count)) }, worker));
		return out.filter((json) => typeof json?.link_token === 'string').length;
	};
}

async function sdkRunner(scenario: Scenario): Promise<Runner> {
	const { Configuration, PlaidApi } = await import('plaid');
	const { target } = scenario;
	// The SDK uses axios with Node's global agent: keep-alive by default on Node 19+.
	const client = new PlaidApi(
		new Configuration({
			basePath: target.url,
			baseOptions: { headers: { 'PLAID-CLIENT-ID': target.clientId, 'PLAID-SECRET': target.secret } },
		}),
	);
	return async (count, prefix) => {
		const out: Array<Record<string, unknown>> = [];
		for (let i = 0; i < count; i++) {
			const { data } = await client.sessionTokenCreate({
				template_id: target.templateId,
				user: { client_user_id: `${prefix}-${String(i).padStart(6, '0')}` },
			});
			out.push({ link_token: data.link?.link_token, expiration: data.link?.expiration, request_id: data.request_id });
		}
		return out.filter((json) => typeof json.link_token === 'string').length;
	};
}

async function runScenario(scenario: Scenario, startedAt: number): Promise<ScenarioResult> {
	let run: Runner;
	let engine: EngineName | undefined;
	let engineProblem: string | undefined;
	switch (scenario.contender) {
		case 'node':
		case 'minimalNode':
		case 'httpNode':
		case 'httpNodeCredential':
			({ run, engine, engineProblem } = await n8nRunner(scenario));
			break;
		case 'axiosNew':
			run = await axiosRunner(scenario, false);
			break;
		case 'axiosKeepAlive':
			run = await axiosRunner(scenario, true);
			break;
		case 'sdk':
			run = await sdkRunner(scenario);
			break;
	}

	if (scenario.warmupItems > 0) await run(scenario.warmupItems, 'warmup');
	collectGarbage();
	const startupMs = performance.now() - startedAt;
	// Scenarios started together wait here until all of them are warm, so one's measured run does
	// not overlap another's start-up.
	await new Promise<void>((resolve) => {
		process.once('message', () => resolve());
		process.send!({ ready: true });
	});
	const rssBeforeMiB = process.memoryUsage.rss() / MiB;

	const cpuBefore = process.cpuUsage();
	const wallBefore = performance.now();
	const goodItems = await run(scenario.items, 'user');
	const wallMs = performance.now() - wallBefore;
	const cpu = process.cpuUsage(cpuBefore);

	const cpuUserMs = cpu.user / 1000;
	const cpuSystemMs = cpu.system / 1000;
	return {
		id: scenario.id,
		ok: goodItems === scenario.items,
		...(goodItems !== scenario.items && { problem: `${scenario.items - goodItems} of ${scenario.items} items had no link_token` }),
		items: scenario.items,
		goodItems,
		engine,
		engineProblem,
		startupMs,
		wallMs,
		cpuUserMs,
		cpuSystemMs,
		cpuPerItemMs: (cpuUserMs + cpuSystemMs) / scenario.items,
		itemsPerSecond: scenario.items / (wallMs / 1000),
		maxRssMiB: process.resourceUsage().maxRSS / 1024,
		vmHwmMiB: vmHwmMiB(),
		rssBeforeMiB,
		nodeVersion: process.version,
	};
}

async function main(): Promise<void> {
	const startedAt = performance.now();
	const scenario = JSON.parse(process.env.BENCH_SCENARIO ?? 'null') as Scenario | null;
	if (!scenario) throw new Error('BENCH_SCENARIO is not set: run bench/run.ts, not this file');
	let result: ScenarioResult | ScenarioFailure;
	try {
		result = await runScenario(scenario, startedAt);
	} catch (error) {
		result = { id: scenario.id, ok: false, problem: error instanceof Error ? error.message : String(error) };
	}
	// Exit only once the parent has the result; n8n-core and the vm engine may keep handles open.
	process.send!(result, () => process.exit(0));
}

if (require.main === module) void main();
