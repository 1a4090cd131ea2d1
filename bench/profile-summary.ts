/**
 * Where an n8n process spent its CPU under load, from a V8 `.cpuprofile`: from the first sample
 * that runs this package's node on (start-up left out), the share of busy CPU spent in a few
 * activities (a sample counts for an activity when one of its stack frames belongs to it) and the
 * functions with the most self time. For the benchmark's notes: why a target is or is not met.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** This package as n8n installs it: `<user folder>/.n8n/nodes/node_modules/n8n-nodes-plaid-layer/`. */
const OUR_PACKAGE = /\/\.n8n\/nodes\/node_modules\/n8n-nodes-plaid-layer\//;

/** Activities, by a stack frame's URL (and function name); a sample may count for several. */
const ACTIVITIES: Array<[string, (url: string, name: string) => boolean]> = [
	['this package\'s code', (url) => OUR_PACKAGE.test(url)],
	['expression evaluation (isolated-vm bridge, tournament, n8n-workflow Expression)', (url) => /@n8n\/expression-runtime|isolated-vm|@n8n\/tournament|n8n-workflow\/dist\/cjs\/(expression|workflow-data-proxy)\.js/.test(url)],
	['of which setting up / disposing the expression isolate', (url, name) => /expression-runtime\/dist\/cjs\/bridge\/isolated-vm-bridge/.test(url) && /^(IsolatedVmBridge|initialize|dispose|createContext|loadRuntime)$/.test(name)],
	['database (TypeORM, SQLite)', (url) => /node_modules\/(typeorm|sqlite3)\/|@n8n\/db\//.test(url)],
	['outgoing HTTP (axios, follow-redirects, http agents)', (url) => /node_modules\/(axios|follow-redirects)\/|@n8n\/backend-network|^node:(_http_|https?$|net$|tls$)/.test(url)],
	['node execution in n8n-core (WorkflowExecute.runNode and below)', (url, name) => /n8n-core\/dist\/execution-engine\/workflow-execute\.js/.test(url) && name === 'runNode'],
	['webhook request handling in n8n (WebhookService / webhook helpers)', (url) => /node_modules\/n8n\/dist\/webhooks\//.test(url)],
	['execution lifecycle hooks (saving, events)', (url) => /node_modules\/n8n\/dist\/execution-lifecycle\//.test(url)],
];

function keyOf(node: ProfileNode): string {
	const { functionName, url, lineNumber } = node.callFrame;
	const where = url.replace(/^file:\/\//, '').replace(/^.*\/\.n8n\/nodes\/node_modules\//, '').replace(/^.*node_modules\//, '');
	return `${functionName || '(anonymous)'} (${where || 'native'}:${lineNumber + 1})`;
}

export function summarizeProfile(file: string): string[] {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const stackOf = (id: number): ProfileNode[] => {
		const stack: ProfileNode[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
		return stack;
	};

	let busy = 0;
	let begun = false;
	const activities = new Map<string, number>();
	const self = new Map<string, number>();
	profile.samples.forEach((id, index) => {
		const micros = profile.timeDeltas[index] ?? 0;
		const stack = stackOf(id);
		begun ||= stack.some((node) => OUR_PACKAGE.test(node.callFrame.url));
		if (!begun || stack[0].callFrame.functionName === '(idle)') return;
		busy += micros;
		self.set(keyOf(stack[0]), (self.get(keyOf(stack[0])) ?? 0) + micros);
		for (const [activity, matches] of ACTIVITIES) {
			if (stack.some((node) => matches(node.callFrame.url, node.callFrame.functionName))) activities.set(activity, (activities.get(activity) ?? 0) + micros);
		}
	});
	const share = (micros: number) => `${((100 * micros) / busy).toFixed(1)} %`;
	const topSelf = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
	return [
		`Profile of n8n's main process running the start workflow (10 connections, 0 ms; \`--cpu-prof\`; ${(busy / 1000).toFixed(0)} ms of busy CPU from its first execution on). Share of that CPU with a frame in: ${ACTIVITIES.map(([name]) => `${name} ${share(activities.get(name) ?? 0)}`).join('; ')}. (Async work after an \`await\` is not under its caller's frames, so the shares are lower bounds and do not add up.)`,
		`Functions with the most self time: ${topSelf.map(([name, micros]) => `\`${name}\` ${share(micros)}`).join('; ')}.`,
	];
}

if (require.main === module) for (const line of summarizeProfile(process.argv[2])) console.log(`${line}\n`);
