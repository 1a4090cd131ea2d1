/**
 * The Plaid emulator in a process of its own for the real-n8n benchmark: its CPU is measured apart
 * from n8n's and the load generator's, and it counts what it answered, by endpoint and status, so
 * every sign-up can be checked for exactly its two Plaid requests. The emulator rather than a
 * bare stub: it checks every body against Plaid's schema, so a contender sending Plaid something
 * wrong fails, for ~1.4 ms of CPU per sign-up as n8n sends them (two requests, a new connection
 * each; under 2 % of n8n's CPU per execution; the benchmark reports it).
 */
import { fork, type ChildProcess } from 'node:child_process';

import { DEFAULT_TEMPLATE_ID, PlaidEmulator } from '../emulator/server';

type Request = { take: true } | { latencyMs: number };
type Reply = { ready: { url: string; clientId: string; secret: string } } | { counts: Record<string, number>; cpuMs: number } | { latencyMs: number };

/** Answers seen since the last take(): `"<path> <status>"` → count. */
export type PlaidCounts = Record<string, number>;

export class PlaidProcess {
	readonly templateId = DEFAULT_TEMPLATE_ID;

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly clientId: string,
		readonly secret: string,
	) {}

	get pid(): number {
		return this.child.pid!;
	}

	static async start(): Promise<PlaidProcess> {
		const child = fork(__filename, ['serve'], {
			execArgv: ['-r', 'ts-node/register/transpile-only'],
			env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const ready = await new Promise<{ url: string; clientId: string; secret: string }>((resolve, reject) => {
			child.once('message', (message: Reply) => ('ready' in message ? resolve(message.ready) : reject(new Error('unexpected message'))));
			child.once('exit', (code) => reject(new Error(`the Plaid emulator process exited (${code})`)));
		});
		return new PlaidProcess(child, ready.url, ready.clientId, ready.secret);
	}

	private ask<T extends Reply>(request: Request): Promise<T> {
		return new Promise((resolve) => {
			this.child.once('message', (message: T) => resolve(message));
			this.child.send(request);
		});
	}

	async setLatency(latencyMs: number): Promise<void> {
		await this.ask({ latencyMs });
	}

	/** What was answered since the last take(), and the process's CPU so far (ms). */
	async take(): Promise<{ counts: PlaidCounts; cpuMs: number }> {
		return await this.ask<{ counts: PlaidCounts; cpuMs: number }>({ take: true });
	}

	stop(): void {
		this.child.kill();
	}
}

async function serve(): Promise<void> {
	const emulator = await PlaidEmulator.start();
	process.on('message', (request: Request) => {
		if ('latencyMs' in request) {
			emulator.latencyMs = request.latencyMs;
			process.send!({ latencyMs: request.latencyMs });
			return;
		}
		const counts: PlaidCounts = {};
		for (const { path, status } of emulator.requests) counts[`${path} ${status}`] = (counts[`${path} ${status}`] ?? 0) + 1;
		emulator.requests.length = 0;
		const cpu = process.cpuUsage();
		process.send!({ counts, cpuMs: (cpu.user + cpu.system) / 1000 });
	});
	process.on('disconnect', () => process.exit(0));
	process.send!({ ready: { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret } });
}

if (require.main === module && process.argv[2] === 'serve') void serve();
