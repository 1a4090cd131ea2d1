/**
 * jest globalSetup: one throwaway folder per test run for what n8n-core writes — its instance
 * settings (N8N_USER_FOLDER, with the run's one encryption key) and the n8n log file of each test
 * worker. Workers start after this and inherit the environment; global-teardown.js removes it.
 */
const { randomBytes } = require('node:crypto');
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
	const dir = mkdtempSync(join(tmpdir(), 'plaid-layer-tests-'));
	process.env.PLAID_LAYER_TEST_DIR = dir;
	process.env.N8N_USER_FOLDER = join(dir, 'n8n-user-folder');
	mkdirSync(process.env.N8N_USER_FOLDER);
	// Every worker reads the folder's settings file, which must match the key.
	process.env.N8N_ENCRYPTION_KEY = randomBytes(24).toString('hex');
};
