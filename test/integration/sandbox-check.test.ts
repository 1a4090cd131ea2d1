/**
 * `npm run sandbox-check`, the command that proves the package against Plaid Sandbox, run here
 * against the emulator through its base URL override: the very same script, spawned as a user
 * runs it, so it cannot rot. Its environment is built from scratch, so keys of the machine never
 * reach it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { DEFAULT_TEMPLATE_ID } from '../../emulator/server';
import { main } from '../../scripts/sandbox-check';
import { sharedEmulator } from '../support/shared-emulator';

const SECRET = 'sandbox_check_secret_never_printed_91c2';
const emulator = sharedEmulator({ secret: SECRET });

const STEPS = [
	['Create User', '/user/create'],
	['Create Layer Session Token', '/session/token/create'],
	['Create Sandbox Public Token', '/sandbox/public_token/create'],
	['Exchange Public Token', '/item/public_token/exchange'],
	['Get Item', '/item/get'],
	['Get Many Accounts', '/accounts/get'],
	['Get Balance', '/accounts/balance/get'],
	['Get Auth', '/auth/get'],
	['Get Identity', '/identity/get'],
	['Match Identity', '/identity/match'],
	['Create Link Token', '/link/token/create'],
	['Get Link Token', '/link/token/get'],
	['Remove Item', '/item/remove'],
	['Remove User', '/user/remove'],
] as const;

/** The environment of the command: the machine's, without any Plaid key it may hold, plus `plaid`. */
function environment(plaid: Record<string, string>): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of Object.keys(env)) if (name.startsWith('PLAID_')) delete env[name];
	return { ...env, ...plaid };
}

function npmRunSandboxCheck(plaid: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile('npm', ['run', '--silent', 'sandbox-check'], { cwd: join(__dirname, '../..'), env: environment(plaid), timeout: 60_000 }, (error, stdout, stderr) => {
			resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
		});
	});
}

test('without keys it says what to set, calls nobody and exits 0', async () => {
	const { code, stdout } = await npmRunSandboxCheck({ PLAID_BASE_URL: emulator.url });

	expect(code).toBe(0);
	expect(stdout).toContain('PLAID_CLIENT_ID=… PLAID_SECRET=… npm run sandbox-check');
	expect(stdout).toContain('Nothing was called.');
	expect(emulator.requests).toHaveLength(0);
}, 60_000);

test('with keys: every step ok through n8n-core, only the base URL called, the secret never printed', async () => {
	const { code, stdout, stderr } = await npmRunSandboxCheck({
		PLAID_CLIENT_ID: emulator.clientId,
		PLAID_SECRET: SECRET,
		PLAID_TEMPLATE_ID: DEFAULT_TEMPLATE_ID,
		PLAID_BASE_URL: emulator.url,
	});

	expect(stderr).toBe('');
	expect(code).toBe(0);
	expect(stdout).toContain(`Plaid Sandbox check against ${emulator.url} (client_id ${emulator.clientId.slice(0, 4)}…, secret not shown)`);
	const rows = stdout.split('\n').filter((line) => /^\d+ {2}/.test(line));
	expect(rows.map((row) => row.split(/ {2,}/).slice(1, 3))).toEqual(STEPS.map(([step]) => [step, 'ok']));
	expect(stdout).toContain('14 ok, 0 failed, 0 skipped');
	expect(stdout).toMatch(/Match Identity +ok +legal name score 100/);
	expect(stdout + stderr).not.toContain(SECRET);
	// One request per step, in order, each one the emulator accepted (it checks every body against Plaid's schema).
	expect(emulator.requests.map((request) => [request.path, request.status])).toEqual(STEPS.map(([, path]) => [path, 200]));
	// Each row's request_id is the one Plaid (here the emulator) answered.
	expect(rows.map((row) => row.split(/ {2,}/).at(-1))).toEqual(emulator.requests.map((request) => request.answer.request_id));
}, 90_000);

test('a failing step: its Plaid error_code and request_id in the table, the clean-up still runs, exit 1', async () => {
	emulator.injectFaults({ rate: 1, kinds: ['internal_error'], seed: 1, endpoints: ['/auth/get'] });
	const printed: string[] = [];
	const code = await main({ PLAID_CLIENT_ID: emulator.clientId, PLAID_SECRET: SECRET, PLAID_BASE_URL: emulator.url }, (text) => printed.push(text));
	const output = printed.join('\n');

	expect(code).toBe(1);
	const lastAuth = emulator.requests.filter((request) => request.path === '/auth/get').at(-1)!;
	expect(output).toMatch(new RegExp(`Get Auth +failed +INTERNAL_SERVER_ERROR +${lastAuth.answer.request_id}`));
	expect(output).toMatch(/Create Layer Session Token +skipped +set PLAID_TEMPLATE_ID/);
	expect(output).toMatch(/Remove Item +ok/);
	expect(output).toMatch(/Remove User +ok/);
	expect(output).toContain('12 ok, 1 failed, 1 skipped');
	expect(output).not.toContain(SECRET);
}, 60_000);

test('steps that need an earlier result are skipped when it failed', async () => {
	emulator.injectFaults({ rate: 1, kinds: ['internal_error'], seed: 1, endpoints: ['/item/public_token/exchange'] });
	const printed: string[] = [];
	const code = await main({ PLAID_CLIENT_ID: emulator.clientId, PLAID_SECRET: SECRET, PLAID_BASE_URL: emulator.url }, (text) => printed.push(text));
	const output = printed.join('\n');

	expect(code).toBe(1);
	expect(output).toMatch(/Exchange Public Token +failed +INTERNAL_SERVER_ERROR/);
	expect(output).toMatch(/Get Auth +skipped +needs access_token from an earlier step/);
	expect(output).toMatch(/Create Link Token +ok/);
	expect(output).toMatch(/Remove User +ok/);
}, 60_000);
