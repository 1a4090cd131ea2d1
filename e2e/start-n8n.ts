/**
 * `npm run n8n`: a real n8n with this package installed (from `npm pack` of the current build),
 * the Plaid emulator on 127.0.0.1, the Plaid Layer API credential pointing at it and both example
 * workflows imported. Prints the editor URL and the owner login, then runs until Ctrl-C.
 *
 *   --activate     also publish both workflows (their production webhooks answer at once)
 *   --port <n>     n8n's port (default: a free one)
 *   --watch        `npm run dev`: n8n with N8N_DEV_RELOAD=true, and every change to the package
 *                  rebuilt and reloaded into it (e2e/dev-loop.ts)
 */
import { startDevLoop } from './dev-loop';
import { log } from './install';
import { OWNER } from './n8n';
import { activateWorkflow, startStack, type Stack } from './stack';

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const portIndex = args.indexOf('--port');
	const port = portIndex >= 0 ? Number(args[portIndex + 1]) : undefined;
	const watching = args.includes('--watch');
	const stack: Stack = await startStack({ n8n: { port, env: watching ? { N8N_DEV_RELOAD: 'true' } : {} } });
	const devLoop = watching ? startDevLoop({ packageDir: stack.n8n.packageDir, n8nLogFile: stack.n8n.logFile, client: stack.client }) : undefined;
	if (args.includes('--activate')) {
		await activateWorkflow(stack.client, stack.start);
		await activateWorkflow(stack.client, stack.finish);
	}

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n and the emulator`);
		devLoop?.stop();
		await stack.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	const lines = [
		'',
		`n8n (${stack.n8n.install.dir}) with n8n-nodes-plaid-layer installed:`,
		`  Editor:      ${stack.n8n.url}/`,
		`  Login:       ${OWNER.email} / ${OWNER.password}`,
		`  Workflows:   ${stack.n8n.url}/workflow/${stack.start.id}  (${stack.start.name})`,
		`               ${stack.n8n.url}/workflow/${stack.finish.id}  (${stack.finish.name})`,
		`  Credential:  "Plaid Layer account" → Plaid emulator ${stack.emulator.url} (client_id ${stack.emulator.clientId})`,
		`  Webhooks:    POST ${stack.startWebhookUrl}  {"user_id":"…"}  (once published)`,
		`               Plaid Trigger: ${stack.triggerWebhookUrl}`,
		`  n8n log:     ${stack.n8n.logFile}`,
		...(watching ? [`  Watching:    credentials/ and nodes/; each change is rebuilt and reloaded into n8n (reload the editor page to see it)`] : []),
		'',
		'Press Ctrl-C to stop.',
		'',
	];
	process.stdout.write(lines.join('\n'));
	// Keeps running: the emulator and the guard hold the event loop open.
}

main().catch((error: Error) => {
	log(error.message);
	process.exit(1);
});
