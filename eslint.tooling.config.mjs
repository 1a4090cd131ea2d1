// Lint for the code that is not published (emulator, local runner, scripts, tests, benchmark):
// TypeScript's recommended rules without the n8n package rules, which forbid what tests need
// (process, timers, console).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
	},
);
