/**
 * The end-to-end suite: the packed package in a real n8n 2.41 server (HTTP API and a headless
 * chromium). Run through `e2e/run.sh` (npm run test:e2e), which builds, installs n8n into the
 * cache when missing and cleans up every process it started.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	// Each file starts its own n8n; one at a time keeps ports, CPU and timings predictable.
	maxWorkers: 1,
	// n8n start-up is ~12 s and the first cold install ~5 min (done by run.sh before jest).
	testTimeout: 120000,
	slowTestThreshold: 30,
	verbose: true,
};
