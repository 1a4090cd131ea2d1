/**
 * What the runner does differently to run on n8n 1.x as well as 2.x (compat/run.sh tests the
 * 1.x line). Each difference is found by a feature check, not by a version number.
 */
import { dirname, join } from 'node:path';

interface Timer {
	hasRef(): boolean;
	unref(): void;
}
interface DiContainer {
	has(type: unknown): boolean;
	get(type: unknown): unknown;
}

/** A module n8n-core itself loads, as the instance n8n-core got (it keeps its own @n8n/di). */
function fromN8nCore<T>(request: string): T {
	const coreDist = dirname(require.resolve('n8n-core'));
	const path = request.startsWith('.') ? join(coreDist, request) : require.resolve(request, { paths: [coreDist] });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path) as T;
}

let timersReleased = false;

/**
 * Lets the process exit once its work is done. n8n-core 1.x (seen in 1.122.48; 2.41.1 unrefs it)
 * starts the SSH tunnel clients' 60-second clean-up interval without `unref()` when the first
 * node context is built, so nothing that ran a node would ever exit; on 2.x this does nothing.
 */
export function releaseN8nTimers(): void {
	if (timersReleased) return;
	const { Container } = fromN8nCore<{ Container: DiContainer }>('@n8n/di');
	const { SSHClientsManager } = fromN8nCore<{ SSHClientsManager: unknown }>('./execution-engine/ssh-clients-manager');
	if (!Container.has(SSHClientsManager)) return;
	const { cleanupTimer } = Container.get(SSHClientsManager) as { cleanupTimer?: Timer };
	if (cleanupTimer?.hasRef()) cleanupTimer.unref();
	timersReleased = true;
}
