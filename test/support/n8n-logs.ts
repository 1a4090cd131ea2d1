/**
 * n8n-core logs through its own logger; in tests it writes to a file per test worker (in the run's
 * folder from global-setup.js), at debug level, so tests can assert on everything n8n logged and
 * the test output stays readable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const N8N_LOG_FILE = join(process.env.PLAID_LAYER_TEST_DIR ?? tmpdir(), `plaid-layer-tests-n8n-${process.pid}.log`);

export function configureN8nLogging(): void {
	process.env.N8N_LOG_OUTPUT = 'file';
	process.env.N8N_LOG_LEVEL = 'debug';
	process.env.N8N_LOG_FILE_LOCATION = N8N_LOG_FILE;
}

/** All n8n logged so far, once winston has flushed it to the file. */
export async function n8nLogs(): Promise<string> {
	await new Promise((resolve) => setTimeout(resolve, 200));
	return existsSync(N8N_LOG_FILE) ? readFileSync(N8N_LOG_FILE, 'utf8') : '';
}
