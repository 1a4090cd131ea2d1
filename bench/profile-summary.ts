/**
 * Where an n8n process spent its CPU, from a V8 `.cpuprofile`: self time by the code it ran in
 * (this package, n8n's expression engine, the database layer, …) and the functions with the most
 * self time. For the benchmark's notes: why a target is or is not met.
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

/** First match wins. */
const BUCKETS: Array<[string, RegExp]> = [
	['this package (n8n-nodes-plaid-layer)', /n8n-nodes-plaid-layer\//],
	['expression engine (isolated-vm bridge, tournament, n8n-workflow expressions, luxon)', /@n8n\/expression-runtime|isolated-vm|@n8n\/tournament|recast|esprima|ast-types|n8n-workflow\/dist\/cjs\/(expression|workflow-data-proxy|extensions)|luxon/],
	['database (TypeORM, SQLite)', /typeorm|sqlite3|@n8n\/db\//],
	['HTTP server and webhooks (express, body parsing)', /express|body-parser|raw-body|router|finalhandler|on-finished|cli\/dist\/webhooks/],
	['outgoing HTTP (axios, follow-redirects)', /axios|follow-redirects|@n8n\/backend-network/],
	['n8n execution engine (n8n-core, n8n-workflow)', /n8n-core|n8n-workflow/],
	['n8n server (n8n cli, @n8n/*)', /node_modules\/n8n\/|@n8n\//],
	['other libraries', /node_modules/],
	['Node.js itself', /^node:|^internal\//],
];

export function summarizeProfile(file: string): string[] {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<number, number>();
	profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
	const buckets = new Map<string, number>();
	const functions = new Map<string, number>();
	let busy = 0;
	for (const [id, micros] of self) {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		if (functionName === '(idle)') continue;
		busy += micros;
		const bucket = functionName === '(garbage collector)' ? 'garbage collection' : url === '' ? `V8 (${functionName || 'anonymous'})` : (BUCKETS.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other');
		buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros);
		const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '');
		const name = `${functionName || '(anonymous)'} (${where}:${lineNumber + 1})`;
		functions.set(name, (functions.get(name) ?? 0) + micros);
	}
	const share = (micros: number) => `${((100 * micros) / busy).toFixed(1)} %`;
	const top = (map: Map<string, number>, count: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
	return [
		`Profile of n8n's main process running the start workflow (10 connections, 0 ms; \`--cpu-prof\`, ${(busy / 1000).toFixed(0)} ms of busy CPU, start-up included). Self time by where it ran: ${top(buckets, 12).map(([name, micros]) => `${name} ${share(micros)}`).join('; ')}.`,
		`Functions with the most self time: ${top(functions, 12).map(([name, micros]) => `\`${name}\` ${share(micros)}`).join('; ')}.`,
	];
}
