/**
 * The guard every end-to-end run relies on: after start-up the suite asks n8n which node and
 * credential types it loaded. A copy of the tarball missing a node file (the repo is never
 * touched) must fail with a message that names the type and says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { brokenTarball, DEFAULT_BROKEN_FILE } from '../../e2e/break-package';
import { checkPackageLoaded, N8nClient, N8nServer, OWNER, packPackage } from '../../e2e/n8n';

let server: N8nServer | undefined;
const work = mkdtempSync(join(tmpdir(), 'plaid-layer-e2e-broken-'));

afterAll(async () => {
	await server?.stop();
	rmSync(work, { recursive: true, force: true });
});

test(`a package without ${DEFAULT_BROKEN_FILE} fails the check, saying which type and why`, async () => {
	const tarball = brokenTarball(packPackage(work), DEFAULT_BROKEN_FILE, work);
	server = await N8nServer.start({ tarball });
	const client = new N8nClient(server.url);
	await client.setupOwner(OWNER);
	await client.login(OWNER);

	const failure = await checkPackageLoaded(server, client).then(
		() => undefined,
		(error: Error) => error.message,
	);

	expect(failure).toBeDefined();
	const lines = failure!.split('\n');
	expect(lines[0]).toBe(
		`n8n did not load n8n-nodes-plaid-layer.plaidLayer: ${DEFAULT_BROKEN_FILE}, listed in the package's package.json "n8n.nodes", is missing from the installed package`,
	);
	// n8n 2.41 loads a package all or nothing: the trigger and the credential go with it.
	expect(lines).toEqual(
		expect.arrayContaining([
			expect.stringMatching(/^n8n did not load n8n-nodes-plaid-layer\.plaidTrigger: n8n failed to load the whole package \(Cannot find module .*PlaidLayer\.node\.js'\)$/),
			expect.stringMatching(/^n8n did not load plaidLayerApi: n8n failed to load the whole package/),
			'  Failed to load package "n8n-nodes-plaid-layer"',
		]),
	);
}, 600_000);
