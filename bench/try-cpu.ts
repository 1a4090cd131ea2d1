import { runAlone } from './children';
import { succeeded } from './report';
async function main() {
	const contenders = (process.env.C ?? 'node,minimalNode,httpNodeCredential').split(',');
	const reps = Number(process.env.R ?? 1);
	for (let rep = 0; rep < reps; rep++)
		for (const c of contenders) {
			const o = await runAlone({ id: `${c}-${rep}`, contender: c as never, purpose: 'cpu', items: 1000, warmupItems: 200, concurrency: 1, engine: 'vm', latencyMs: 0 }, process.env.PROF ? { cpuProfDir: process.env.PROF } : {});
			const r = succeeded(o);
			console.log(c, r ? r.cpuPerItemMs.toFixed(3) : o.result.problem, 'other', o.group.otherCores?.toFixed(2));
		}
}
void main();
