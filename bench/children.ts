/**
 * Starts scenarios in fresh child processes (same Node binary, ts-node in transpile-only mode),
 * each against its own emulator hosted here in the parent. Scenarios started as a group wait for
 * each other to be warm before their measured runs begin.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hostEmulator } from './emulator-host';
import type { Scenario, ScenarioFailure, ScenarioMessage, ScenarioResult } from './scenario';

export type ScenarioSpec = Omit<Scenario, 'target'> & { latencyMs: number };

export interface Outcome {
	spec: ScenarioSpec;
	result: ScenarioResult | ScenarioFailure;
	/** Seen by the emulator: requests received (warm-up included) and the most in flight at once. */
	emulator: { requests: number; peakInFlight: number };
	/** Wall time of the whole child process, start-up included. */
	processMs: number;
	/** The group of scenarios measured together (just this one when run alone). */
	group: GroupStats;
}

export interface GroupStats {
	size: number;
	/** From the 'go' signal until every child of the group had exited. */
	wallMs: number;
	/** CPU of this parent process (the emulators) in that window. */
	parentCpuMs: number;
	/**
	 * Approximate CPU used by other processes on the machine in that window, in cores (all busy
	 * CPU from /proc/stat minus the children's measured CPU and the parent's): noise to watch on a
	 * shared 2-core machine. Undefined where /proc/stat is not readable.
	 */
	otherCores?: number;
}

/** Busy CPU time of the whole machine so far (ms), from /proc/stat; undefined off Linux. */
function machineBusyMs(): number | undefined {
	try {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const [user, nice, system, , , irq, softirq, steal] = fields;
		return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / 100; // USER_HZ = 100
	} catch {
		return undefined;
	}
}

const SCENARIO_ENTRY = join(__dirname, 'scenario.ts');
const CHILD_TIMEOUT_MS = 240_000;

export interface ChildOptions {
	/** Directory for `--cpu-prof` output, when profiling this child. */
	cpuProfDir?: string;
}

interface Started {
	ready: Promise<void>;
	go(): void;
	done: Promise<Omit<Outcome, 'group'>>;
}

async function start(spec: ScenarioSpec, options: ChildOptions): Promise<Started> {
	const emulator = await hostEmulator(spec.latencyMs);
	const scenario: Scenario = { ...spec, target: emulator.target };
	delete (scenario as Partial<ScenarioSpec>).latencyMs;
	const began = performance.now();
	const child: ChildProcess = fork(SCENARIO_ENTRY, [], {
		execPath: process.execPath,
		execArgv: [
			'--expose-gc',
			'-r',
			'ts-node/register/transpile-only',
			...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
		],
		env: {
			...process.env,
			BENCH_SCENARIO: JSON.stringify(scenario),
			TS_NODE_TRANSPILE_ONLY: 'true',
			TS_NODE_PREFER_TS_EXTS: 'true',
			// n8n-core's logger: keep it off the console.
			N8N_LOG_OUTPUT: 'file',
			N8N_LOG_LEVEL: 'warn',
			N8N_LOG_FILE_LOCATION: join(tmpdir(), `plaid-layer-bench-n8n-${process.pid}.log`),
		},
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});

	let markReady!: () => void;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	const done = new Promise<Omit<Outcome, 'group'>>((resolve) => {
		let result: ScenarioResult | ScenarioFailure | undefined;
		const timer = setTimeout(() => {
			result ??= { id: spec.id, ok: false, problem: `timed out after ${CHILD_TIMEOUT_MS / 1000} s` };
			child.kill('SIGKILL');
		}, CHILD_TIMEOUT_MS);
		child.on('message', (message: ScenarioMessage) => {
			if ('ready' in message) markReady();
			else result = message;
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			markReady();
			const processMs = performance.now() - began;
			const stats = emulator.stats();
			void emulator.stop().finally(() =>
				resolve({
					spec,
					result: result ?? { id: spec.id, ok: false, problem: `child exited (code ${code}, signal ${signal}) without a result` },
					emulator: stats,
					processMs,
				}),
			);
		});
	});
	return {
		ready,
		go: () => {
			if (child.connected) child.send({ go: true });
		},
		done,
	};
}

/** Runs scenarios at the same time; their measured runs start together once all are warm. */
export async function runTogether(specs: ScenarioSpec[], options: ChildOptions = {}): Promise<Outcome[]> {
	const started = await Promise.all(specs.map((spec) => start(spec, options)));
	await Promise.all(started.map((s) => s.ready));
	const busyBefore = machineBusyMs();
	const parentBefore = process.cpuUsage();
	const wallBefore = performance.now();
	for (const s of started) s.go();
	const outcomes = await Promise.all(started.map((s) => s.done));
	const wallMs = performance.now() - wallBefore;
	const parentCpu = process.cpuUsage(parentBefore);
	const parentCpuMs = (parentCpu.user + parentCpu.system) / 1000;
	const busyAfter = machineBusyMs();
	const childrenCpuMs = outcomes.reduce(
		(sum, o) => sum + (o.result.ok ? (o.result as ScenarioResult).cpuUserMs + (o.result as ScenarioResult).cpuSystemMs : 0),
		0,
	);
	const otherCores =
		busyBefore === undefined || busyAfter === undefined
			? undefined
			: Math.max(0, busyAfter - busyBefore - parentCpuMs - childrenCpuMs) / wallMs;
	const group: GroupStats = { size: specs.length, wallMs, parentCpuMs, otherCores };
	return outcomes.map((o) => ({ ...o, group }));
}

export async function runAlone(spec: ScenarioSpec, options: ChildOptions = {}): Promise<Outcome> {
	const [outcome] = await runTogether([spec], options);
	return outcome;
}
