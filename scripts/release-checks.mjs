// What the release path depends on, checked where it can be: GitHub Actions cannot run here, so
// this reads .github/workflows/ci.yml and publish.yml and checks what n8n's verification and npm's
// provenance need from them; it also checks package.json's links and release scripts and the
// CHANGELOG. `npm run verify` runs it; publish.yml runs it with --tag before publishing.
//
//   node scripts/release-checks.mjs [--root <dir>] [--tag <git tag>]
//
// --root checks another copy of the repository (the tests feed it broken copies); --tag also
// checks that the tag is v<package.json version>, that CHANGELOG.md dates that version, and, on
// GitHub Actions, that package.json's repository is the repository being built.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// js-yaml comes with the dev dependencies (declared in package.json; the same copy the lint tools use).
import yaml from 'js-yaml';

const CI = '.github/workflows/ci.yml';
const PUBLISH = '.github/workflows/publish.yml';
/** The registry npm publishes to; setup-node writes it, with the token line, into the job's .npmrc. */
const NPM_REGISTRY = /^https:\/\/registry\.npmjs\.org\/?$/;
const TAG_PATTERN = 'v*.*.*';
const TAG_FORMAT = /^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/** `owner/name` from a GitHub repository URL (`git+https://github.com/owner/name.git`), else undefined. */
export function githubRepository(url) {
	const match = /^(?:git\+)?https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(url ?? '');
	return match ? `${match[1]}/${match[2]}` : undefined;
}

function readWorkflow(root, file, problems) {
	const path = join(root, file);
	if (!existsSync(path)) {
		problems.push(`${file} is missing`);
		return undefined;
	}
	try {
		const parsed = yaml.load(readFileSync(path, 'utf8'));
		if (parsed && typeof parsed === 'object') return parsed;
		problems.push(`${file} is not a workflow (it parses to ${JSON.stringify(parsed)})`);
	} catch (error) {
		problems.push(`${file} does not parse as YAML: ${error.message.split('\n')[0]}`);
	}
	return undefined;
}

/** Every step of every job, with the job's name and the step's index in that job. */
function steps(workflow) {
	return Object.entries(workflow.jobs ?? {}).flatMap(([job, definition]) =>
		(definition?.steps ?? []).map((step, index) => ({ job, index, step: step ?? {} })),
	);
}

const runs = (step, pattern) => typeof step.run === 'string' && pattern.test(step.run);
const uses = (step, action) => typeof step.uses === 'string' && step.uses.startsWith(`${action}@`);

/** The Node major a setup-node step asks for (`24`, `'24.x'`, `24.21.0`), else undefined. */
function setupNodeMajor(step) {
	const match = /^v?(\d+)(?:$|\.)/.exec(String(step.with?.['node-version'] ?? ''));
	return match ? Number(match[1]) : undefined;
}

function checkSetupNode(file, workflow, nodeMajor, problems) {
	const setup = steps(workflow).filter(({ step }) => uses(step, 'actions/setup-node'));
	if (setup.length === 0) {
		problems.push(`${file} has no actions/setup-node step (the runner needs Node ${nodeMajor} for npm)`);
		return undefined;
	}
	for (const { job, step } of setup) {
		const major = setupNodeMajor(step);
		if (major !== nodeMajor) {
			problems.push(
				`${file}: job "${job}" sets up Node ${step.with?.['node-version'] ?? '(no node-version)'}; it must be Node ${nodeMajor}, the major of the node devDependency the scripts run on (n8n 2.41 needs Node 24, and npm trusted publishing needs the npm ≥ 11.5.1 it ships)`,
			);
		}
	}
	return setup;
}

function checkCi(root, nodeMajor, problems) {
	const workflow = readWorkflow(root, CI, problems);
	if (!workflow) return;
	const on = workflow.on ?? {};
	for (const event of ['push', 'pull_request']) {
		if (!(event in on)) problems.push(`${CI} is not triggered on ${event} (on: needs "${event}")`);
	}
	const all = steps(workflow);
	if (!all.some(({ step }) => runs(step, /(^|[\s;&|(])(\.\/)?\.ci\/run(\s|$)/m))) {
		problems.push(`${CI} never runs .ci/run: the checks CI runs are listed there, once, and a workflow step must run it`);
	}
	const setup = checkSetupNode(CI, workflow, nodeMajor, problems) ?? [];
	if (setup.length > 0 && !setup.some(({ step }) => step.with?.cache === 'npm')) {
		problems.push(`${CI}: actions/setup-node does not cache npm's downloads (with: cache: npm)`);
	}
	const n8nCache = all.find(({ step }) => uses(step, 'actions/cache') && String(step.with?.path ?? '').includes('.cache/n8n-nodes-plaid-layer'));
	if (!n8nCache) {
		problems.push(`${CI} does not cache the n8n install of the e2e and queue suites (actions/cache with path: ~/.cache/n8n-nodes-plaid-layer)`);
	} else if (!String(n8nCache.step.with?.key ?? '').includes("hashFiles('e2e/install.ts')")) {
		problems.push(`${CI}: the n8n install cache's key must include hashFiles('e2e/install.ts'), where n8n's and Node's versions are pinned`);
	}
}

function checkPublish(root, nodeMajor, problems) {
	const workflow = readWorkflow(root, PUBLISH, problems);
	if (!workflow) return;
	const on = workflow.on ?? {};
	const tags = [on.push?.tags ?? []].flat();
	if (!tags.includes(TAG_PATTERN)) {
		problems.push(`${PUBLISH} is not triggered by pushing a version tag (on: push: tags: ['${TAG_PATTERN}'])`);
	}
	const otherTriggers = Object.keys(on).filter((event) => event !== 'push');
	if (on.push?.branches || otherTriggers.length > 0) {
		problems.push(`${PUBLISH} must run only on version tags; it is also triggered by ${[...(on.push?.branches ? ['push to branches'] : []), ...otherTriggers].join(', ')}`);
	}

	const all = steps(workflow);
	const publish = all.find(({ step }) => runs(step, /\bnpm publish\b/));
	if (!publish) {
		problems.push(`${PUBLISH} never runs npm publish`);
		return;
	}
	const command = publish.step.run;
	if (!/--provenance\b/.test(command)) {
		problems.push(`${PUBLISH}: npm publish lacks --provenance (n8n verifies only packages with an npm provenance statement)`);
	}
	if (!/--access[ =]public\b/.test(command)) problems.push(`${PUBLISH}: npm publish lacks --access public`);
	if (/--dry-run\b/.test(command)) problems.push(`${PUBLISH}: npm publish has --dry-run, so it publishes nothing`);

	const job = workflow.jobs[publish.job];
	const permissions = job.permissions ?? workflow.permissions;
	if (permissions?.['id-token'] !== 'write') {
		problems.push(`${PUBLISH}: the job "${publish.job}" lacks permissions: id-token: write (npm signs the provenance statement with GitHub's OIDC token)`);
	}
	if (!permissions || permissions.contents !== 'read') {
		problems.push(`${PUBLISH}: the job "${publish.job}" must set permissions: contents: read (it needs no more)`);
	}

	const inJob = all.filter(({ job: name }) => name === publish.job);
	const before = (pattern) => inJob.find(({ step, index }) => index < publish.index && runs(step, pattern));
	if (!before(/^\s*npm ci\b/m)) problems.push(`${PUBLISH}: the job "${publish.job}" does not install from the lockfile (npm ci) before npm publish`);
	if (!before(/\bnpm run release:check\b/)) {
		problems.push(`${PUBLISH}: the job "${publish.job}" does not run the release checks (npm run release:check) before npm publish`);
	}
	if (!before(/\bscripts\/release-checks\.mjs\b.*--tag\b/)) {
		problems.push(`${PUBLISH}: the job "${publish.job}" does not check the tag against package.json (node scripts/release-checks.mjs --tag "$GITHUB_REF_NAME") before npm publish`);
	}

	const setup = (checkSetupNode(PUBLISH, workflow, nodeMajor, problems) ?? []).filter(({ job: name }) => name === publish.job);
	if (setup.length > 0 && !setup.some(({ step }) => NPM_REGISTRY.test(String(step.with?.['registry-url'] ?? '')))) {
		problems.push(`${PUBLISH}: actions/setup-node lacks registry-url: 'https://registry.npmjs.org' (npm's OIDC exchange and the NPM_TOKEN fallback authenticate against it)`);
	}
	if (setup.some(({ step }) => step.with?.cache || step.with?.['package-manager-cache'] !== false)) {
		problems.push(`${PUBLISH}: actions/setup-node must not cache (no cache:, and package-manager-cache: false): a poisoned cache would run in the job that holds the publish token`);
	}
}

function checkPackage(root, pkg, problems) {
	const repository = githubRepository(pkg.repository?.url);
	if (!repository) {
		problems.push(`package.json: repository.url must be the GitHub repository npm's provenance names (git+https://github.com/<owner>/<name>.git), not ${JSON.stringify(pkg.repository?.url)}`);
	} else {
		const homepage = `https://github.com/${repository}#readme`;
		const bugs = `https://github.com/${repository}/issues`;
		if (pkg.homepage !== homepage) problems.push(`package.json: homepage must follow repository.url: "${homepage}", not ${JSON.stringify(pkg.homepage)}`);
		if (pkg.bugs?.url !== bugs) problems.push(`package.json: bugs.url must follow repository.url: "${bugs}", not ${JSON.stringify(pkg.bugs?.url)}`);
	}

	const check = pkg.scripts?.['release:check'] ?? '';
	const missing = ['npm run lint', 'npm test', 'npm run verify'].filter((command) => !check.includes(command));
	if (!check) problems.push('package.json: scripts["release:check"] is missing (the release checks publish.yml runs)');
	else if (missing.length > 0) problems.push(`package.json: scripts["release:check"] lacks ${missing.join(', ')}`);
	if (!/\bnpm run release:check\b/.test(pkg.scripts?.release ?? '')) {
		problems.push('package.json: scripts.release must run npm run release:check, so the checks are listed once');
	}
	if (pkg.publishConfig?.provenance !== true || pkg.publishConfig?.access !== 'public') {
		problems.push('package.json: publishConfig must be { "access": "public", "provenance": true }, so no npm publish goes out without a provenance statement');
	}

	const changelog = existsSync(join(root, 'CHANGELOG.md')) ? readFileSync(join(root, 'CHANGELOG.md'), 'utf8') : '';
	if (!changelogHeading(changelog, pkg.version)) problems.push(`CHANGELOG.md has no "## ${pkg.version}" section for package.json's version`);
}

function changelogHeading(changelog, version) {
	const escaped = String(version).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^## ${escaped}(\\s.*)?$`, 'm').exec(changelog)?.[0];
}

/** What publishing `tag` needs: the tag names package.json's version, which the CHANGELOG dates. */
function checkTag(tag, pkg, root, problems) {
	const match = TAG_FORMAT.exec(tag);
	if (!match) {
		problems.push(`tag ${JSON.stringify(tag)} is not a version tag v<major>.<minor>.<patch> (e.g. v${pkg.version})`);
	} else if (match[1] !== pkg.version) {
		problems.push(`tag ${tag} does not match package.json's version ${pkg.version} (tag v${pkg.version}, or bump the version with npm version)`);
	}
	const changelog = existsSync(join(root, 'CHANGELOG.md')) ? readFileSync(join(root, 'CHANGELOG.md'), 'utf8') : '';
	const heading = changelogHeading(changelog, pkg.version);
	if (heading && /unreleased/i.test(heading)) problems.push(`CHANGELOG.md still calls ${pkg.version} unreleased ("${heading}"): date it in the release commit`);
	const building = process.env.GITHUB_REPOSITORY;
	const repository = githubRepository(pkg.repository?.url);
	if (building && repository && repository.toLowerCase() !== building.toLowerCase()) {
		problems.push(`package.json's repository is ${repository} but this is ${building}: npm rejects a provenance statement for another repository`);
	}
}

/** Everything wrong with the release path of the repository at `root` (an empty list when all is well). */
export function releaseProblems(root, { tag } = {}) {
	const problems = [];
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const nodeMajor = Number(/(\d+)/.exec(pkg.devDependencies?.node ?? '')?.[1]);
	if (!nodeMajor) problems.push('package.json has no node devDependency (the Node the scripts and n8n run on)');
	checkCi(root, nodeMajor, problems);
	checkPublish(root, nodeMajor, problems);
	checkPackage(root, pkg, problems);
	if (tag !== undefined) checkTag(tag, pkg, root, problems);
	return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const args = process.argv.slice(2);
	const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
	const root = resolve(option('--root') ?? join(import.meta.dirname, '..'));
	const tag = option('--tag');
	const problems = releaseProblems(root, { tag });
	for (const problem of problems) console.log(`❌ ${problem}`);
	if (problems.length === 0) console.log(`✅ Release path: ci.yml, publish.yml, package.json and CHANGELOG.md${tag ? ` (tag ${tag})` : ''}`);
	process.exit(problems.length === 0 ? 0 : 1);
}
