/**
 * The process groups the e2e code starts (n8n main and workers, each with its task runner;
 * chromium). While one runs it is recorded as `<label>-<pgid>.pgid` in $E2E_PID_DIR, where the run
 * scripts' trap (e2e/cleanup.sh) finds any left over, even after jest itself was SIGKILLed. Groups
 * recorded with `killOnExit` are also SIGKILLed by this process, whatever ends it: a normal exit,
 * Ctrl-C, SIGTERM or SIGHUP.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const killedOnExit = new Set<number>();
let exitHooksInstalled = false;

function pidFile(label: string, pgid: number): string | undefined {
	const dir = process.env.E2E_PID_DIR;
	if (!dir) return undefined;
	mkdirSync(dir, { recursive: true });
	return join(dir, `${label}-${pgid}.pgid`);
}

function installExitHooks(): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	// Synchronous last resort: whatever ends this process also ends every group it started.
	process.on('exit', () => {
		for (const pgid of killedOnExit) killGroup(pgid);
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			for (const pgid of killedOnExit) killGroup(pgid);
			process.kill(process.pid, signal);
		});
	}
}

export function recordGroup(label: string, pgid: number, options: { killOnExit?: boolean } = {}): void {
	const file = pidFile(label, pgid);
	if (file) writeFileSync(file, String(pgid));
	if (options.killOnExit) {
		installExitHooks();
		killedOnExit.add(pgid);
	}
}

/** The group has ended: nothing to clean up for it any more. */
export function forgetGroup(label: string, pgid: number): void {
	killedOnExit.delete(pgid);
	const file = pidFile(label, pgid);
	if (file) rmSync(file, { force: true });
}

/** SIGKILL to the whole group, synchronously; nothing when it is already gone. */
export function killGroup(pgid: number): void {
	try {
		process.kill(-pgid, 'SIGKILL');
	} catch {
		// already gone
	}
}

/** SIGTERM to the group (n8n finishes what it is running), SIGKILL to what is left after `graceMs`, then forgets it. */
export async function stopGroup(label: string, pgid: number, exited: () => boolean, graceMs = 15_000): Promise<void> {
	try {
		process.kill(-pgid, 'SIGTERM');
	} catch {
		// already gone
	}
	const deadline = Date.now() + graceMs;
	while (!exited() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
	// The task runner and anything else the leader started share its group.
	killGroup(pgid);
	forgetGroup(label, pgid);
}
