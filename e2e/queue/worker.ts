/**
 * The other n8n processes of queue mode: `n8n worker` (runs executions from the queue) and
 * `n8n webhook` (takes production webhooks and queues their executions, as larger installs put
 * behind their load balancer), sharing the main instance's user folder (and so the community
 * package installed in its .n8n/nodes) and its environment: the same database, Redis, encryption
 * key, quiet settings and outbound guard.
 *
 * Each runs in its own process group (its task runner with it), with its own port (a worker's
 * health check, the webhook process's HTTP server; `/healthz/readiness` tells when it is ready),
 * task-runner broker port, event-log file and log file. `stop()` (also on process exit and
 * SIGINT/SIGTERM/SIGHUP) ends the group; `kill()` SIGKILLs it at once, for the crash test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { log } from '../install';
import { freePort, type N8nServer } from '../n8n';
import { forgetGroup, killGroup, recordGroup, stopGroup } from '../process-groups';

export interface WorkerStartOptions {
	/** Jobs the worker runs at once (`n8n worker --concurrency`; n8n's default is 10). */
	concurrency?: number;
	/** Extra environment, over the main instance's. */
	env?: Record<string, string>;
}

export class N8nQueueProcess {
	private exitCode: number | null = null;
	private exitSignal: NodeJS.Signals | null = null;
	/** When this process saw the worker's process end (Date.now()), once it has. */
	exitedAt: number | undefined;
	private ended = false;

	private constructor(
		readonly name: string,
		readonly logFile: string,
		/** The process's own HTTP server: a worker's health check, or the webhook process (`<url>/webhook/…`). */
		readonly url: string,
		/** Jobs a worker runs at once; 0 for the webhook process, which runs none. */
		readonly concurrency: number,
		private readonly child: ChildProcess,
	) {
		child.on('exit', (code, signal) => {
			this.exitedAt = Date.now();
			this.exitCode = code;
			this.exitSignal = signal;
		});
	}

	get pid(): number {
		return this.child.pid!;
	}

	get alive(): boolean {
		return this.exitedAt === undefined;
	}

	get healthUrl(): string {
		return `${this.url}/healthz/readiness`;
	}

	/** Starts `n8n worker` beside `main` and waits until its /healthz/readiness answers 200. */
	static async startWorker(main: N8nServer, name: string, options: WorkerStartOptions = {}): Promise<N8nQueueProcess> {
		const healthPort = await freePort();
		const concurrency = options.concurrency ?? 10;
		return await N8nQueueProcess.spawn(main, name, ['worker', `--concurrency=${concurrency}`], healthPort, concurrency, {
			// The worker serves only its health check (off by default), on its own port.
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			...options.env,
		});
	}

	/**
	 * Starts `n8n webhook` beside `main`: it serves `/webhook/…` (production webhooks only, no
	 * editor or REST API) on its own port and hands every execution to the queue.
	 */
	static async startWebhook(main: N8nServer, name: string): Promise<N8nQueueProcess> {
		const port = await freePort();
		return await N8nQueueProcess.spawn(main, name, ['webhook'], port, 0, {
			N8N_PORT: String(port),
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		});
	}

	private static async spawn(main: N8nServer, name: string, args: string[], port: number, concurrency: number, extra: Record<string, string>): Promise<N8nQueueProcess> {
		const env: NodeJS.ProcessEnv = {
			...main.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			// Every process would otherwise append to the same <user folder>/.n8n/n8nEventLog-<kind>.log.
			N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}`,
			...extra,
		};
		const logFile = join(main.userFolder, `${name}.log`);
		const fd = openSync(logFile, 'a');
		const child = spawn(main.install.nodeBin, [main.install.n8nBin, ...args], {
			cwd: main.userFolder,
			env,
			detached: true, // its own process group: the process and its task runner end together
			stdio: ['ignore', fd, fd],
		});
		closeSync(fd);
		const started = new N8nQueueProcess(name, logFile, `http://127.0.0.1:${port}`, concurrency, child);
		recordGroup(name, child.pid!, { killOnExit: true });
		log(`n8n ${name} starting (n8n ${args.join(' ')}, pid ${child.pid}, ${started.url}, log ${logFile})`);
		await started.waitUntilReady();
		return started;
	}

	logText(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	logTail(lines = 40): string {
		return this.logText().split('\n').slice(-lines).join('\n');
	}

	/** Execution ids this worker logged as started and as finished ("Worker started execution 12 (job 7)"). */
	executions(): { started: string[]; finished: string[] } {
		const text = this.logText();
		return {
			started: [...text.matchAll(/Worker started execution (\d+) \(job \d+\)/g)].map((match) => match[1]),
			finished: [...text.matchAll(/Worker finished execution (\d+) \(job \d+\)/g)].map((match) => match[1]),
		};
	}

	private async waitUntilReady(timeoutMs = 120_000): Promise<void> {
		const started = Date.now();
		for (;;) {
			if (!this.alive) {
				this.kill();
				throw new Error(`n8n ${this.name} exited during start-up (code ${this.exitCode}); last lines of ${this.logFile}:\n${this.logTail()}`);
			}
			try {
				const response = await fetch(this.healthUrl, { signal: AbortSignal.timeout(2_000) });
				if (response.ok) {
					log(`n8n ${this.name} ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
					return;
				}
			} catch {
				// not listening yet
			}
			if (Date.now() - started > timeoutMs) {
				this.kill();
				throw new Error(`n8n ${this.name} was not ready at ${this.healthUrl} within ${timeoutMs / 1000} s; last lines of ${this.logFile}:\n${this.logTail()}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** SIGKILL to the worker's process group, at once: what an OOM kill or a lost machine does. */
	kill(): void {
		this.ended = true;
		killGroup(this.pid);
		forgetGroup(this.name, this.pid);
	}

	/** Waits until the process has exited (after kill() or stop()); returns how it ended. */
	async waitForExit(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
		const deadline = Date.now() + timeoutMs;
		while (this.alive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
		if (this.alive) throw new Error(`n8n ${this.name} (pid ${this.pid}) did not exit within ${timeoutMs / 1000} s`);
		return { code: this.exitCode, signal: this.exitSignal };
	}

	/** SIGTERM to the group (n8n drains its running jobs), then SIGKILL. */
	async stop(graceMs = 15_000): Promise<void> {
		if (this.ended) return;
		this.ended = true;
		await stopGroup(this.name, this.pid, () => !this.alive, graceMs);
	}
}
