/**
 * What n8n loads from the published package: `npm run build` must produce every file the
 * package.json `n8n` field lists, the icons and codex they point to, and nothing needing a
 * runtime dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

beforeAll(() => {
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
}, 120_000);

function iconFiles(icon: unknown): string[] {
	if (typeof icon === 'string') return [icon];
	if (icon && typeof icon === 'object') return Object.values(icon as Record<string, string>);
	return [];
}

test('package.json is shaped as an n8n community package', () => {
	expect(pkg.name).toBe('n8n-nodes-plaid-layer');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.license).toBe('MIT');
	expect(pkg.files).toEqual(['dist']);
	expect(pkg.dependencies).toBeUndefined();
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
});

test.each(pkg.n8n.nodes as string[])('node %s is built with its icons and codex', (file) => {
	const path = join(root, file);
	expect(existsSync(path)).toBe(true);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = Object.values(require(path) as Record<string, new () => INodeType>);
	expect(exported).toHaveLength(1);
	const { description } = new exported[0]();
	const icons = iconFiles(description.icon);
	expect(icons.length).toBe(2);
	for (const icon of icons) expect(existsSync(join(dirname(path), icon.replace(/^file:/, '')))).toBe(true);
	const codex = JSON.parse(readFileSync(path.replace(/\.js$/, '.json'), 'utf8'));
	expect(codex.node).toBe(`n8n-nodes-plaid-layer.${description.name}`);
});

test.each(pkg.n8n.credentials as string[])('credential %s is built with its icons', (file) => {
	const path = join(root, file);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = Object.values(require(path) as Record<string, unknown>).filter((value) => typeof value === 'function') as Array<new () => ICredentialType>;
	expect(exported).toHaveLength(1);
	const credential = new exported[0]();
	expect(credential.name).toBe('plaidLayerApi');
	for (const icon of iconFiles(credential.icon)) expect(existsSync(join(dirname(path), icon.replace(/^file:/, '')))).toBe(true);
});

test('the built node loads with nothing but n8n-workflow and Node built-ins', () => {
	const built = execFileSync('grep', ['-rhoE', "require\\(\"[^\".][^\"]*\"\\)", join(root, 'dist')], { encoding: 'utf8' });
	const modules = new Set(built.split('\n').filter(Boolean).map((line) => line.slice(9, -2)));
	expect([...modules].sort()).toEqual(['n8n-workflow', 'node:crypto']);
});
