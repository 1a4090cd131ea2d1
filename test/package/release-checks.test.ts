/**
 * The release path, checked where GitHub Actions cannot run: scripts/release-checks.mjs (run by
 * `npm run verify`, and by publish.yml with --tag before npm publish) passes on the repository as
 * it is, and fails, naming what is missing, on copies broken in the ways that would make a
 * release unverifiable by n8n, publish something unchecked, or let CI check less than .ci/run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const script = join(root, 'scripts/release-checks.mjs');
const CI = '.github/workflows/ci.yml';
const PUBLISH = '.github/workflows/publish.yml';
const FILES = [CI, PUBLISH, 'package.json', 'CHANGELOG.md'];
const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

type Edit = (copy: Copy) => void;

interface PackageJson {
	version: string;
	homepage?: string;
	repository: { url: string };
	scripts: Record<string, string>;
	publishConfig?: unknown;
}

class Copy {
	constructor(readonly dir: string) {}

	read(file: string): string {
		return readFileSync(join(this.dir, file), 'utf8');
	}

	/** Replaces text that must be there, so a case never passes because its edit missed. */
	replace(file: string, from: string | RegExp, to: string): void {
		const text = this.read(file);
		const found = typeof from === 'string' ? text.includes(from) : from.test(text);
		if (!found) throw new Error(`${file} has no ${String(from)} to replace`);
		writeFileSync(join(this.dir, file), text.replace(from, to));
	}

	editPackage(change: (pkg: PackageJson) => void): void {
		const pkg = JSON.parse(this.read('package.json'));
		change(pkg);
		writeFileSync(join(this.dir, 'package.json'), JSON.stringify(pkg, null, 2));
	}
}

/** Runs the check on a copy of the release files, edited; returns its exit status and the ❌ lines. */
function check(edit?: Edit, args: string[] = [], env: Record<string, string> = {}): { status: number | null; output: string; problems: string[] } {
	const dir = mkdtempSync(join(tmpdir(), 'plaid-layer-release-checks-'));
	try {
		for (const file of FILES) {
			mkdirSync(dirname(join(dir, file)), { recursive: true });
			cpSync(join(root, file), join(dir, file));
		}
		edit?.(new Copy(dir));
		// The check compares package.json with $GITHUB_REPOSITORY when set (as on GitHub Actions): only the case that sets it sees one.
		const inherited = { ...process.env };
		delete inherited.GITHUB_REPOSITORY;
		const result = spawnSync(process.execPath, [script, '--root', dir, ...args], { encoding: 'utf8', env: { ...inherited, ...env } });
		const output = `${result.stdout}${result.stderr}`;
		return { status: result.status, output, problems: output.split('\n').filter((line) => line.startsWith('❌')) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The CHANGELOG as it reads in a release commit: the version's heading dated. */
const dated: Edit = (copy) => copy.replace('CHANGELOG.md', new RegExp(`^## ${version.replace(/\./g, '\\.')}.*$`, 'm'), `## ${version} (2026-12-01)`);

test('the repository as it is passes', () => {
	const { status, output } = check();
	expect(output).toContain('✅ Release path');
	expect(status).toBe(0);
});

const broken: Array<[string, Edit, RegExp[]]> = [
	['publish.yml without id-token: write', (c) => c.replace(PUBLISH, '      id-token: write\n', ''), [/publish\.yml: the job "publish" lacks permissions: id-token: write/]],
	['npm publish without --provenance', (c) => c.replace(PUBLISH, 'npm publish --provenance --access public', 'npm publish --access public'), [/npm publish lacks --provenance/]],
	['npm publish without --access public', (c) => c.replace(PUBLISH, 'npm publish --provenance --access public', 'npm publish --provenance'), [/npm publish lacks --access public/]],
	['npm publish --dry-run', (c) => c.replace(PUBLISH, 'npm publish --provenance --access public', 'npm publish --provenance --access public --dry-run'), [/npm publish has --dry-run, so it publishes nothing/]],
	['npm install instead of npm ci', (c) => c.replace(PUBLISH, 'run: npm ci --no-audit --no-fund', 'run: npm install'), [/does not install from the lockfile \(npm ci\) before npm publish/]],
	['no release checks before publishing', (c) => c.replace(PUBLISH, 'run: npm run release:check', 'run: npm run build'), [/does not run the release checks \(npm run release:check\)/]],
	['no tag check before publishing', (c) => c.replace(PUBLISH, 'run: node scripts/release-checks.mjs --tag "$GITHUB_REF_NAME"', 'run: echo tag'), [/does not check the tag against package\.json/]],
	[
		'publish.yml on pushes to main instead of tags',
		(c) => c.replace(PUBLISH, "    tags:\n      - 'v*.*.*'", '    branches: [main]'),
		[/publish\.yml is not triggered by pushing a version tag/, /must run only on version tags; it is also triggered by push to branches/],
	],
	['publish.yml also on pull requests', (c) => c.replace(PUBLISH, 'on:\n', 'on:\n  pull_request:\n'), [/must run only on version tags; it is also triggered by pull_request/]],
	['setup-node without the registry URL', (c) => c.replace(PUBLISH, "          registry-url: 'https://registry.npmjs.org'\n", ''), [/lacks registry-url: 'https:\/\/registry\.npmjs\.org'/]],
	['a cache in the publish job', (c) => c.replace(PUBLISH, 'package-manager-cache: false', 'cache: npm'), [/publish\.yml: actions\/setup-node must not cache/]],
	['publish.yml that does not parse', (c) => c.replace(PUBLISH, 'permissions:\n  contents: read\n', 'permissions:\n  contents: [read\n'), [/publish\.yml does not parse as YAML: /]],
	['ci.yml that does not run .ci/run', (c) => c.replace(CI, '- run: .ci/run', '- run: npm test'), [/ci\.yml never runs \.ci\/run/]],
	['ci.yml without pull_request', (c) => c.replace(CI, '  pull_request:\n', ''), [/ci\.yml is not triggered on pull_request/]],
	['ci.yml without push', (c) => c.replace(CI, '  push:\n    branches: [main]\n', ''), [/ci\.yml is not triggered on push/]],
	['ci.yml on Node 22', (c) => c.replace(CI, "node-version: '24'", "node-version: '22'"), [/ci\.yml: job "ci" sets up Node 22; it must be Node 24/]],
	['ci.yml whose n8n cache ignores e2e/install.ts', (c) => c.replace(CI, "${{ hashFiles('e2e/install.ts') }}", 'v1'), [/the n8n install cache's key must include hashFiles\('e2e\/install\.ts'\)/]],
	['ci.yml without the n8n cache', (c) => c.replace(CI, 'path: ~/.cache/n8n-nodes-plaid-layer', 'path: ~/.cache/other'), [/ci\.yml does not cache the n8n install/]],
	['a workflow file missing', (c) => rmSync(join(c.dir, CI)), [/ci\.yml is missing/]],
	['homepage not following repository.url', (c) => c.editPackage((pkg) => (pkg.homepage = 'https://example.com')), [/package\.json: homepage must follow repository\.url: "https:\/\/github\.com\/.+#readme"/]],
	[
		'repository moved, bugs and homepage left behind',
		(c) => c.editPackage((pkg) => (pkg.repository.url = 'git+https://github.com/someone/elsewhere.git')),
		[/homepage must follow repository\.url: "https:\/\/github\.com\/someone\/elsewhere#readme"/, /bugs\.url must follow repository\.url: "https:\/\/github\.com\/someone\/elsewhere\/issues"/],
	],
	['repository not on GitHub', (c) => c.editPackage((pkg) => (pkg.repository.url = 'git+https://gitlab.com/a/b.git')), [/repository\.url must be the GitHub repository npm's provenance names/]],
	['release not using release:check', (c) => c.editPackage((pkg) => (pkg.scripts.release = 'npm run lint && npm pack')), [/scripts\.release must run npm run release:check/]],
	['release:check without the tests', (c) => c.editPackage((pkg) => (pkg.scripts['release:check'] = 'npm run lint && npm run verify')), [/scripts\["release:check"\] lacks npm test/]],
	['no publishConfig provenance', (c) => c.editPackage((pkg) => delete pkg.publishConfig), [/publishConfig must be \{ "access": "public", "provenance": true \}/]],
	['no CHANGELOG section for the version', (c) => c.editPackage((pkg) => (pkg.version = '9.8.7')), [/CHANGELOG\.md has no "## 9\.8\.7" section/]],
];

test.each(broken)('%s fails, naming it', (_name, edit, expected) => {
	const { status, problems, output } = check(edit);
	expect(status).toBe(1);
	expect(problems).toHaveLength(expected.length);
	for (const pattern of expected) expect(output).toMatch(pattern);
});

describe('--tag, as publish.yml runs it', () => {
	test('v<version> with the version dated in CHANGELOG.md passes', () => {
		const { status, output } = check(dated, ['--tag', `v${version}`]);
		expect(output).toContain(`✅ Release path: ci.yml, publish.yml, package.json and CHANGELOG.md (tag v${version})`);
		expect(status).toBe(0);
	});

	test('a tag for another version fails', () => {
		const { status, problems } = check(dated, ['--tag', 'v99.0.0']);
		expect(status).toBe(1);
		expect(problems).toEqual([`❌ tag v99.0.0 does not match package.json's version ${version} (tag v${version}, or bump the version with npm version)`]);
	});

	test('a tag without the v fails', () => {
		const { problems } = check(dated, ['--tag', version]);
		expect(problems).toEqual([`❌ tag "${version}" is not a version tag v<major>.<minor>.<patch> (e.g. v${version})`]);
	});

	test('a version the CHANGELOG still calls unreleased fails', () => {
		const unreleased: Edit = (c) => c.replace('CHANGELOG.md', new RegExp(`^## ${version.replace(/\./g, '\\.')}.*$`, 'm'), `## ${version} (unreleased)`);
		const { problems } = check(unreleased, ['--tag', `v${version}`]);
		expect(problems).toEqual([`❌ CHANGELOG.md still calls ${version} unreleased ("## ${version} (unreleased)"): date it in the release commit`]);
	});

	test('on GitHub Actions, a package.json naming another repository fails', () => {
		const { problems } = check(dated, ['--tag', `v${version}`], { GITHUB_REPOSITORY: 'someone/fork' });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/package\.json's repository is .+ but this is someone\/fork: npm rejects a provenance statement for another repository/);
	});
});
