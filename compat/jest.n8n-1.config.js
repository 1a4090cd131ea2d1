/**
 * The integration suite against n8n 1.x: the n8n packages n8n 1.123.81 ships (installed in
 * compat/n8n-1 by compat/run.sh) instead of the 2.x devDependencies. Every `n8n-workflow`,
 * `n8n-core` and `n8n-nodes-base` import — from our nodes and credentials, from the runner, and
 * from inside n8n-core and n8n-nodes-base themselves — is mapped to that one 1.x copy, so no
 * 2.x module and no second n8n-workflow instance is loaded.
 */
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const modules = path.join(__dirname, 'n8n-1', 'node_modules');
if (!require('node:fs').existsSync(path.join(modules, 'n8n-core'))) {
	throw new Error('The n8n 1.x packages are not installed: run compat/run.sh (it installs compat/n8n-1, then runs this config).');
}
/** What `require(request)` gives from inside compat/n8n-1 (honours the packages' `exports`). */
const resolved = (request) => require.resolve(request, { paths: [path.join(__dirname, 'n8n-1')] });

// The main config's test environment, transform, setup files and timeout, so both lines run alike.
const { testEnvironment, testMatch, transform, setupFiles, globalSetup, globalTeardown, testTimeout } = require(path.join(root, 'jest.config.js'));

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment,
	testMatch,
	transform,
	setupFiles,
	globalSetup,
	globalTeardown,
	testTimeout,
	rootDir: root,
	roots: ['<rootDir>/test/integration'],
	displayName: 'n8n 1.x',
	moduleNameMapper: {
		'^n8n-workflow$': resolved('n8n-workflow'),
		'^n8n-workflow/common$': resolved('n8n-workflow/common'),
		'^n8n-workflow/(.*)$': `${modules}/n8n-workflow/$1`,
		'^n8n-core$': resolved('n8n-core'),
		'^n8n-core/(.*)$': `${modules}/n8n-core/$1`,
		'^n8n-nodes-base/(.*)$': `${modules}/n8n-nodes-base/$1`,
	},
};
