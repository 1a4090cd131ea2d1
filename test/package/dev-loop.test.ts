/**
 * `npm run dev` copies each rebuild into the package n8n has installed, where n8n's
 * N8N_DEV_RELOAD watcher reloads it on any change: the copy must carry every changed and removed
 * file, and leave identical files untouched, so a rebuild that changes nothing reloads nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { syncFolder } from '../../e2e/dev-loop';

let work: string;
beforeEach(() => {
	work = mkdtempSync(join(tmpdir(), 'plaid-layer-dev-loop-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function write(path: string, text: string): void {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}

test('copies new and changed files, removes deleted ones, and leaves identical files alone', () => {
	const built = join(work, 'dist');
	const installed = join(work, 'installed/dist');
	write(join(built, 'nodes/A.node.js'), 'same');
	write(join(built, 'nodes/actions/b.js'), 'new text');
	write(join(built, 'nodes/actions/c.js'), 'added');
	write(join(installed, 'nodes/A.node.js'), 'same');
	write(join(installed, 'nodes/actions/b.js'), 'old text');
	write(join(installed, 'nodes/actions/gone.js'), 'deleted from the source');
	const longAgo = new Date('2020-01-01T00:00:00Z');
	utimesSync(join(installed, 'nodes/A.node.js'), longAgo, longAgo);

	const changed = syncFolder(built, installed);

	expect(changed.sort()).toEqual(['nodes/actions/b.js', 'nodes/actions/c.js', 'nodes/actions/gone.js (removed)']);
	expect(readFileSync(join(installed, 'nodes/actions/b.js'), 'utf8')).toBe('new text');
	expect(readFileSync(join(installed, 'nodes/actions/c.js'), 'utf8')).toBe('added');
	expect(existsSync(join(installed, 'nodes/actions/gone.js'))).toBe(false);
	// Not rewritten: n8n's watcher sees no event for it.
	expect(statSync(join(installed, 'nodes/A.node.js')).mtime).toEqual(longAgo);
	expect(syncFolder(built, installed)).toEqual([]);
});
