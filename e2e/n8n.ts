/**
 * A real n8n 2.41 server with this package installed the way Settings → Community Nodes installs
 * it, on free loopback ports and in a fresh user folder, plus a small client for its REST API.
 *
 * Lifecycle: `N8nServer.start()` installs a tarball (given, `$E2E_PACKAGE_TARBALL`, or `npm pack`
 * of the current build) into `<user folder>/.n8n/nodes`, starts `n8n start` in its own process
 * group and waits for /healthz/readiness; `stop()` (also run on process exit and on
 * SIGINT/SIGTERM) kills the group.
 * `checkPackageLoaded()` then asks n8n which node and credential types it actually loaded.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';

import { ensureN8n, log, repoRoot, type N8nInstall } from './install';
import { recordGroup, stopGroup } from './process-groups';

export const PACKAGE_NAME = 'n8n-nodes-plaid-layer';
/** The names saved workflows depend on, which n8n must have loaded from the package. */
export const EXPECTED_NODE_TYPES = [`${PACKAGE_NAME}.plaidLayer`, `${PACKAGE_NAME}.plaidTrigger`];
export const EXPECTED_CREDENTIAL_TYPES = ['plaidLayerApi'];

/** Ports freePort() gave out in this process: their servers bind them only later, and until then the kernel may offer one again. */
const givenOut = new Set<number>();

export async function freePort(): Promise<number> {
	for (;;) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = createServer();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const { port: free } = server.address() as { port: number };
				server.close(() => resolve(free));
			});
		});
		if (!givenOut.has(port)) {
			givenOut.add(port);
			return port;
		}
	}
}

/** `npm pack` of the repo as it is built now (run `npm run build` first); returns the tarball's path. */
export function packPackage(destination = mkdtempSync(join(tmpdir(), 'plaid-layer-e2e-pack-'))): string {
	if (!existsSync(join(repoRoot, 'dist'))) throw new Error(`${join(repoRoot, 'dist')} does not exist: run npm run build first`);
	const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
	return join(destination, basename(filename));
}

/**
 * What n8n's CommunityPackagesService.downloadPackage does after `npm pack`: unpack into
 * nodes/node_modules/<name>, drop dev/peer/optional dependencies, `npm install` there, record the
 * version in nodes/package.json (the package has no dependencies, so npm installs nothing).
 */
export function installCommunityPackage(tarball: string, userFolder: string, nodeBin: string): { name: string; version: string; dir: string } {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const unpacked = mkdtempSync(join(tmpdir(), 'plaid-layer-e2e-unpack-'));
	try {
		execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Record<string, unknown>;
		const name = String(manifest.name);
		const dir = join(nodesDir, 'node_modules', name);
		mkdirSync(dirname(dir), { recursive: true });
		execFileSync('cp', ['-R', unpacked, dir]);
		const kept = { ...manifest };
		delete kept.devDependencies;
		delete kept.peerDependencies;
		delete kept.optionalDependencies;
		writeFileSync(join(dir, 'package.json'), JSON.stringify(kept, null, 2));
		// n8n's own flags, plus --offline: the package has no dependencies, so this must not need the registry.
		try {
			execFileSync(
				'npm',
				['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--offline'],
				{ cwd: dir, stdio: 'pipe', env: { ...process.env, PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}` } },
			);
		} catch (error) {
			const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
			throw new Error(`npm install in the installed ${name} failed (runtime dependencies: ${JSON.stringify(kept.dependencies ?? {})}):\n${stderr}`);
		}
		const nodesPackageJson = join(nodesDir, 'package.json');
		const installed = existsSync(nodesPackageJson)
			? (JSON.parse(readFileSync(nodesPackageJson, 'utf8')) as { dependencies?: Record<string, string> })
			: { name: 'installed-nodes', private: true, dependencies: {} };
		installed.dependencies = { ...installed.dependencies, [name]: String(manifest.version) };
		writeFileSync(nodesPackageJson, JSON.stringify(installed, null, 2));
		return { name, version: String(manifest.version), dir };
	} finally {
		rmSync(unpacked, { recursive: true, force: true });
	}
}

/**
 * Strips the caller's n8n settings so only ours apply, and jest's NODE_ENV=test, with which n8n
 * refuses to load nodes ("Not available in tests").
 */
function baseEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|JEST_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$)/.test(key)) continue;
		env[key] = value;
	}
	return env;
}

export interface N8nStartOptions {
	/** The package tarball to install (default: `$E2E_PACKAGE_TARBALL`, else `npm pack` of the repo). */
	tarball?: string;
	/** Extra environment for n8n, e.g. the outbound guard's proxy settings. */
	env?: Record<string, string>;
	/** Fixed port (default: a free one). */
	port?: number;
	/** Keep the user folder after stop() (default: `E2E_KEEP_USER_FOLDER=1`). */
	keepUserFolder?: boolean;
}

export class N8nServer {
	readonly url: string;
	readonly logFile: string;
	/** The environment n8n was started with: `n8n worker` processes sharing its user folder reuse it (e2e/queue). */
	env: NodeJS.ProcessEnv = {};
	private exited = false;
	private exitCode: number | null = null;
	private stopped = false;

	private constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		readonly port: number,
		readonly packageDir: string,
		private readonly child: ChildProcess,
		private readonly keepUserFolder: boolean,
	) {
		this.url = `http://127.0.0.1:${port}`;
		this.logFile = join(userFolder, 'n8n.log');
		child.on('exit', (code, signal) => {
			this.exited = true;
			this.exitCode = code ?? (signal ? 128 : null);
		});
	}

	get pid(): number {
		return this.child.pid!;
	}

	static async start(options: N8nStartOptions = {}): Promise<N8nServer> {
		const install = await ensureN8n();
		const userFolder = mkdtempSync(join(tmpdir(), 'plaid-layer-e2e-n8n-'));
		const tarball = options.tarball ?? process.env.E2E_PACKAGE_TARBALL ?? packPackage(userFolder);
		const installed = installCommunityPackage(tarball, userFolder, install.nodeBin);
		const [port, brokerPort] = [options.port ?? (await freePort()), await freePort()];
		const env: NodeJS.ProcessEnv = {
			...baseEnv(),
			PATH: `${dirname(install.nodeBin)}${delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			// The catalogue of vetted community nodes comes from api.n8n.io; the editor asks for it
			// when a community node's panel opens (the outbound guard caught that).
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			DB_TYPE: 'sqlite',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			...options.env,
		};
		const logFile = join(userFolder, 'n8n.log');
		const fd = openSync(logFile, 'a');
		const child = spawn(install.nodeBin, [install.n8nBin, 'start'], {
			cwd: userFolder,
			env,
			detached: true, // its own process group: stop() ends n8n and its task runner together
			stdio: ['ignore', fd, fd],
		});
		closeSync(fd);
		const server = new N8nServer(install, userFolder, port, installed.dir, child, options.keepUserFolder ?? process.env.E2E_KEEP_USER_FOLDER === '1');
		server.env = env;
		recordGroup('n8n', child.pid!, { killOnExit: true });
		if (process.env.E2E_PID_DIR) writeFileSync(join(process.env.E2E_PID_DIR, `n8n-${child.pid}.folder`), userFolder);
		log(`n8n ${server.url} starting (pid ${child.pid}, user folder ${userFolder}, ${installed.name}@${installed.version})`);
		try {
			await server.waitUntilReady();
		} catch (error) {
			await server.stop({ keepUserFolder: true });
			throw error;
		}
		return server;
	}

	/** The log's last lines, for error messages. */
	logTail(lines = 40): string {
		if (!existsSync(this.logFile)) return '(no log)';
		return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
	}

	logText(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	private async waitUntilReady(timeoutMs = 120_000): Promise<void> {
		const started = Date.now();
		for (;;) {
			if (this.exited) throw new Error(`n8n exited during start-up (code ${this.exitCode}); last lines of ${this.logFile}:\n${this.logTail()}`);
			try {
				const response = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
				// The REST API is served by the same Express app once start-up is complete.
				if (response.ok && (await fetch(`${this.url}/rest/settings`, { signal: AbortSignal.timeout(2_000) })).ok) {
					log(`n8n ${this.url} ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
					return;
				}
			} catch {
				// not listening yet
			}
			if (Date.now() - started > timeoutMs) {
				throw new Error(`n8n was not ready at ${this.url}/healthz/readiness within ${timeoutMs / 1000} s; last lines of ${this.logFile}:\n${this.logTail()}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	async stop(options: { keepUserFolder?: boolean } = {}): Promise<void> {
		if (!this.stopped) {
			this.stopped = true;
			await stopGroup('n8n', this.pid, () => this.exited);
		}
		const keep = options.keepUserFolder || this.keepUserFolder;
		if (keep) log(`kept n8n's user folder ${this.userFolder}`);
		else rmSync(this.userFolder, { recursive: true, force: true });
		// Kept or removed, it is accounted for; run.sh removes only folders of servers never stopped.
		if (process.env.E2E_PID_DIR) rmSync(join(process.env.E2E_PID_DIR, `n8n-${this.pid}.folder`), { force: true });
	}
}

export class N8nApiError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(`${method} ${path} → HTTP ${status}: ${typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`);
	}
}

/**
 * n8n's internal REST API as the editor uses it: the `n8n-auth` cookie from login is bound to
 * the `browser-id` header, which every later call repeats.
 */
export class N8nClient {
	readonly browserId = randomUUID();
	cookie?: string;

	constructor(readonly baseUrl: string) {}

	async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				...(this.cookie && { cookie: this.cookie }),
				...(body !== undefined && { 'content-type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookies = response.headers.getSetCookie();
		const auth = setCookies.find((cookie) => cookie.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text === '' ? undefined : JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: response.status, body: parsed, headers: response.headers };
	}

	/** A REST call that must succeed; returns n8n's `data` (or the body when it has none). */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await this.request(method, path, body);
		if (response.status < 200 || response.status >= 300) throw new N8nApiError(method, path, response.status, response.body);
		const payload = response.body as { data?: T } | T;
		return (payload && typeof payload === 'object' && 'data' in (payload as object) ? (payload as { data: T }).data : payload) as T;
	}

	async setupOwner(owner: Owner): Promise<void> {
		await this.rest('POST', '/rest/owner/setup', owner);
	}

	async login(owner: Owner): Promise<void> {
		this.cookie = undefined;
		await this.rest('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (!this.cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
	}
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const OWNER: Owner = { email: 'owner@plaid-layer.test', firstName: 'Layer', lastName: 'Tester', password: 'PlaidLayer-e2e-1' };

interface TypeDescription {
	name: string;
	displayName?: string;
}

/**
 * Fails unless n8n loaded every node and credential type of the package, saying why not: a
 * file listed in the package's `n8n` field missing from the installed package, and what n8n
 * logged about the package.
 */
export async function checkPackageLoaded(server: N8nServer, client: N8nClient): Promise<void> {
	// Generated at start-up into the user folder's static cache; served to logged-in users.
	const nodes = await client.rest<TypeDescription[]>('GET', '/types/nodes.json');
	const credentials = await client.rest<TypeDescription[]>('GET', '/types/credentials.json');
	const loadedNodes = new Set(nodes.map((type) => type.name));
	const loadedCredentials = new Set(credentials.map((type) => type.name));
	const missing = [
		...EXPECTED_NODE_TYPES.filter((type) => !loadedNodes.has(type)).map((type) => ({ type, kind: 'nodes' as const })),
		...EXPECTED_CREDENTIAL_TYPES.filter((type) => !loadedCredentials.has(type)).map((type) => ({ type, kind: 'credentials' as const })),
	];
	if (missing.length === 0) return;

	const manifest = JSON.parse(readFileSync(join(server.packageDir, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[]; credentials?: string[] } };
	// What n8n said about the package, without the require stacks.
	const logLines = [
		...new Set(
			server
				.logText()
				.split('\n')
				.map((line) => line.trim())
				.filter((line) => !line.startsWith('- ') && !line.startsWith('Require stack'))
				.filter((line) => line.includes(PACKAGE_NAME) || /failed to load|cannot find module|^\w*error:/i.test(line))
				.map((line) => line.replace(/^Error: /, '')),
		),
	].slice(0, 8);
	const packageError = logLines.find((line) => !line.startsWith('Failed to load package'));
	const fromPackage = [...loadedNodes, ...loadedCredentials].filter((name) => name.startsWith(`${PACKAGE_NAME}.`) || EXPECTED_CREDENTIAL_TYPES.includes(name));
	const reasons = missing.map(({ type, kind }) => {
		const shortName = type.replace(`${PACKAGE_NAME}.`, '');
		const listed = manifest.n8n?.[kind] ?? [];
		// PlaidLayer.node.js ↔ plaidLayer, PlaidLayerApi.credentials.js ↔ plaidLayerApi.
		const file = listed.find((path) => {
			const stem = basename(path).replace(/\.(node|credentials)\.js$/, '');
			return stem.charAt(0).toLowerCase() + stem.slice(1) === shortName;
		});
		let why: string;
		if (!file) why = `no file for it is listed in the package's package.json "n8n.${kind}" (${JSON.stringify(listed)})`;
		else if (!existsSync(join(server.packageDir, file))) why = `${file}, listed in the package's package.json "n8n.${kind}", is missing from the installed package`;
		else if (logLines.some((line) => line.startsWith(`Failed to load package "${PACKAGE_NAME}"`)))
			why = `n8n failed to load the whole package${packageError ? ` (${packageError})` : ''}`;
		else why = `it is not in /types/${kind}.json`;
		return `n8n did not load ${type}: ${why}`;
	});
	reasons.push(`/types/nodes.json and /types/credentials.json have ${fromPackage.length ? fromPackage.join(', ') : 'nothing'} from ${PACKAGE_NAME}`);
	if (logLines.length) reasons.push(`n8n logged:\n  ${logLines.join('\n  ')}`);
	throw new Error(`${reasons.join('\n')}\n(n8n's log: ${server.logFile})`);
}
