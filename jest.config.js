/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The end-to-end suite needs a real n8n: `npm run test:e2e` runs it with e2e/jest.config.js.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	// Type errors are caught by `npm run typecheck`; tests only need the transpiled code.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFiles: ['<rootDir>/test/support/setup-env.ts'],
	globalSetup: '<rootDir>/test/support/global-setup.js',
	globalTeardown: '<rootDir>/test/support/global-teardown.js',
	testTimeout: 30000,
};
