/**
 * `npm run dev`'s edit-and-see loop over the n8n of `npm run n8n`: `tsc --watch` on the package
 * (tsconfig.build.json) and the icon/codex copy (`gulp build:assets`) when an asset changes, then
 * the files of dist/ that changed copied into the package n8n has installed. n8n started with
 * N8N_DEV_RELOAD=true reloads it there: n8n 2.41's LoadNodesAndCredentials.setupHotReload watches
 * every package folder (@parcel/watcher), drops its modules from require's cache, loads it again
 * and regenerates /types/nodes.json and /types/credentials.json (the editor shows the change after
 * a page reload; the loop waits for the new nodes.json to report it). Copying (not a symlink) keeps the files' real paths inside that folder,
 * which is what n8n clears from the cache. A build with type errors is not copied.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { log, repoRoot } from './install';
import type { N8nClient } from './n8n';

const dist = join(repoRoot, 'dist');
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
/** What `gulp build:assets` copies next to the compiled files (gulpfile.js). */
const ASSET = /\.(png|svg|json)$/;
/** How long n8n may take to reload after the files land. */
const RELOAD_TIMEOUT_MS = 15_000;

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => relative(dir, join(entry.parentPath, entry.name)))
		.sort();
}

/** Makes `target` hold what `source` holds, touching only files that differ; returns what it changed. */
export function syncFolder(source: string, target: string): string[] {
	const changed: string[] = [];
	const wanted = new Set(filesUnder(source));
	for (const file of wanted) {
		const from = join(source, file);
		const to = join(target, file);
		if (existsSync(to) && statSync(to).size === statSync(from).size && readFileSync(to).equals(readFileSync(from))) continue;
		mkdirSync(dirname(to), { recursive: true });
		copyFileSync(from, to);
		changed.push(file);
	}
	for (const file of filesUnder(target)) {
		if (wanted.has(file)) continue;
		rmSync(join(target, file));
		changed.push(`${file} (removed)`);
	}
	return changed;
}

export interface DevLoop {
	stop(): void;
}

interface DevLoopOptions {
	/** The package as n8n installed it (`<user folder>/.n8n/nodes/node_modules/n8n-nodes-plaid-layer`). */
	packageDir: string;
	n8nLogFile: string;
	/** Logged in to that n8n: /types/nodes.json is served to users only. */
	client: N8nClient;
}

/**
 * Starts the loop for the package n8n installed at `packageDir`. The first compile of
 * `tsc --watch` matches what `npm run build` installed, so nothing reloads until a file changes.
 */
export function startDevLoop(options: DevLoopOptions): DevLoop {
	const installedDist = join(options.packageDir, 'dist');
	let queue = Promise.resolve();
	const copyIntoN8n = (reason: string) => {
		queue = queue.then(async () => {
			const before = await typesVersion(options.client);
			const logOffset = existsSync(options.n8nLogFile) ? statSync(options.n8nLogFile).size : 0;
			const changed = syncFolder(dist, installedDist);
			if (changed.length === 0) return;
			log(`dev: ${reason}; copied into n8n: ${changed.join(', ')}`);
			log(await waitForReload(options, before, logOffset));
		});
		queue = queue.catch((error: Error) => log(`dev: ${error.message}`));
	};

	const tsc: ChildProcess = spawn(bin('tsc'), ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput', '--pretty', 'false'], {
		cwd: repoRoot,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let pending = '';
	tsc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		pending += chunk;
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) {
			if (line.trim() === '') continue;
			process.stderr.write(`[tsc] ${line}\n`);
			// tsc --watch ends every compile with "Found N errors. Watching for file changes."
			const found = /Found (\d+) errors?\. Watching for file changes\./.exec(line);
			if (!found) continue;
			if (found[1] === '0') copyIntoN8n('rebuilt');
			else log(`dev: ${found[1]} type error(s): n8n keeps the last good build`);
		}
	});
	tsc.on('exit', (code, signal) => {
		if (!stopped) log(`dev: tsc --watch ended (${signal ?? `exit code ${code}`}); restart npm run dev`);
	});

	// Icons and codex files are not TypeScript: copy them as npm run build does, then into n8n.
	let assetTimer: NodeJS.Timeout | undefined;
	const watchers: FSWatcher[] = ['nodes', 'credentials'].map((folder) =>
		watch(join(repoRoot, folder), { recursive: true }, (_event, file) => {
			if (!file || !ASSET.test(file)) return;
			clearTimeout(assetTimer);
			assetTimer = setTimeout(() => {
				const copied = spawnSync(bin('gulp'), ['build:assets', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
				if (copied.status === 0) copyIntoN8n(`${file} changed`);
				else log(`dev: gulp build:assets failed (exit code ${copied.status})`);
			}, 200);
		}),
	);

	let stopped = false;
	const stop = () => {
		if (stopped) return;
		stopped = true;
		clearTimeout(assetTimer);
		for (const watcher of watchers) watcher.close();
		tsc.kill('SIGTERM');
	};
	process.once('exit', stop);
	return { stop };
}

/** The ETag of /types/nodes.json (size and modification time of the file n8n regenerates on a reload). */
async function typesVersion(client: N8nClient): Promise<string | null> {
	const response = await client.request('HEAD', '/types/nodes.json');
	return response.headers.get('etag');
}

/** Waits for n8n to have reloaded the package: a new /types/nodes.json, or its log saying the reload failed. */
async function waitForReload(options: DevLoopOptions, before: string | null, logOffset: number): Promise<string> {
	const started = Date.now();
	while (Date.now() - started < RELOAD_TIMEOUT_MS) {
		const failed = /Hot reload failed for n8n-nodes-plaid-layer.*/.exec(readFileSync(options.n8nLogFile).subarray(logOffset).toString('utf8'));
		if (failed) return `dev: n8n says "${failed[0]}" (details in ${options.n8nLogFile}); fix it and save again`;
		if ((await typesVersion(options.client)) !== before) {
			return `dev: n8n reloaded the package in ${((Date.now() - started) / 1000).toFixed(1)} s; reload the editor page to see it`;
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return `dev: n8n did not reload the package within ${RELOAD_TIMEOUT_MS / 1000} s (its log: ${options.n8nLogFile}); restart npm run dev to load the change`;
}
