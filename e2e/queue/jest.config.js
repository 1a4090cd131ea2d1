/**
 * The queue-mode suite: the packed package in n8n 2.41's queue mode (main + 2 workers, PostgreSQL,
 * Redis) under a burst of sign-ups. Run through `e2e/queue/run.sh` (npm run test:queue), which
 * starts PostgreSQL and Redis and stops everything afterwards. Its files end in `.queue.ts`, so
 * the unit suite (`npm test`, every `*.test.ts` under test/) never picks them up.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	maxWorkers: 1,
	// Start-up (main + 2 workers, ~1 min) is in beforeAll; the worker-kill burst waits out
	// n8n's stalled-job detection (lock 60 s + check every 30 s + 30 s grace).
	testTimeout: 420000,
	slowTestThreshold: 60,
	verbose: true,
};
