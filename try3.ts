import { PlaidEmulator } from './emulator/server';
import { runWorkflow } from './runner/run-workflow';
import { sessionTokenWorkflow, signups } from './test/integration/workflows';
(async () => {
  const emu = await PlaidEmulator.start();
  const t = setTimeout(() => { console.log('HUNG'); process.exit(1); }, 8000);
  const r = await runWorkflow(sessionTokenWorkflow({ templateId: '  ', clientUserId: 'x' }), { mode: 'webhook', credentials: { plaidLayerApi: { environment: 'custom', baseUrl: emu.url, clientId: emu.clientId, secret: emu.secret } }, triggerItems: signups('a') });
  clearTimeout(t);
  console.log(r.run.status, r.error?.message);
  await emu.stop();
})();
