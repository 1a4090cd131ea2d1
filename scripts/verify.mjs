// n8n's community-package scan, run locally: @n8n/scan-community-package only scans packages
// already on npm (it downloads the tarball and the provenance-attested source). This runs its
// own rule set the way it does, on our source and on the tarball `npm pack` makes, checks that
// the tarball holds only what n8n needs, and checks the release path (scripts/release-checks.mjs:
// the GitHub workflows, package.json's links and release scripts, the CHANGELOG).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

import { releaseProblems } from './release-checks.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'plaid-layer-verify-'));
let failed = false;

try {
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
	const files = packed.files.map((file) => file.path).sort();
	// What n8n loads: the compiled .js its package.json names and what they require, the codex
	// (.node.json) and icons beside them, and the source maps n8n's source-map-support reads to
	// show our .ts lines in error stacks. Type declarations (.d.ts) serve no one: nothing imports
	// this package.
	const unexpected = files.filter((path) => !/^(dist\/.+\.(js|js\.map|json|svg|png)|README\.md|LICENSE|package\.json)$/.test(path));
	console.log(`Tarball ${packed.filename}: ${files.length} files, ${packed.size} bytes`);
	if (unexpected.length > 0) {
		failed = true;
		console.log(`❌ The tarball holds files n8n does not load: ${unexpected.join(', ')}`);
	} else {
		console.log('✅ The tarball holds only dist/ (.js, .js.map, codex .json, icons), README.md, LICENSE and package.json');
	}

	execFileSync('tar', ['xzf', join(work, packed.filename), '-C', work]);
	const checks = [
		['source (package.json, nodes/, credentials/)', root, SOURCE_FILE_PATTERNS],
		['tarball (compiled .js and package.json)', join(work, 'package'), ['**/*.js', 'package.json']],
	];
	for (const [label, dir, patterns] of checks) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) {
			console.log(`✅ Scanner rules pass on the ${label}`);
		} else {
			failed = true;
			console.log(`❌ Scanner rules fail on the ${label}: ${result.message}\n${result.details ?? ''}`);
		}
	}

	const problems = releaseProblems(root);
	for (const problem of problems) console.log(`❌ ${problem}`);
	if (problems.length > 0) failed = true;
	else console.log('✅ Release path: ci.yml and publish.yml, package.json links and release scripts, CHANGELOG.md');
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
