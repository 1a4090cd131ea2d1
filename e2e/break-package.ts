/**
 * A deliberately broken copy of the package tarball (never the repo): the same tarball with
 * one file removed, to prove the suite notices when n8n cannot load a node.
 *
 *   ts-node e2e/break-package.ts [file inside the package, default dist/nodes/PlaidLayer/PlaidLayer.node.js]
 * prints the broken tarball's path; run the suite on it with E2E_PACKAGE_TARBALL=<path>.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { log } from './install';
import { packPackage } from './n8n';

export const DEFAULT_BROKEN_FILE = 'dist/nodes/PlaidLayer/PlaidLayer.node.js';

/** Writes `<name>-broken.tgz` into `work` (default: a new temporary folder) and returns its path. */
export function brokenTarball(tarball: string, removeFile = DEFAULT_BROKEN_FILE, work = mkdtempSync(join(tmpdir(), 'plaid-layer-e2e-broken-'))): string {
	const unpacked = join(work, 'unpacked');
	execFileSync('mkdir', ['-p', unpacked]);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
	const target = join(unpacked, 'package', removeFile);
	if (!existsSync(target)) throw new Error(`${removeFile} is not in ${tarball}`);
	rmSync(target);
	const broken = join(work, basename(tarball).replace(/\.tgz$/, '-broken.tgz'));
	execFileSync('tar', ['-czf', broken, '-C', unpacked, 'package']);
	rmSync(unpacked, { recursive: true, force: true });
	return broken;
}

if (require.main === module) {
	const removeFile = process.argv[2] ?? DEFAULT_BROKEN_FILE;
	const work = mkdtempSync(join(tmpdir(), 'plaid-layer-e2e-broken-'));
	const broken = brokenTarball(packPackage(work), removeFile, work);
	log(`${broken}: the package without ${removeFile}`);
	process.stdout.write(`${broken}\n`);
}
