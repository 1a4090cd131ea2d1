/**
 * bench/results.json and bench/results.md hold both parts of `npm run bench`: each part replaces
 * only its own entry (`perItem`, `n8n`) in the JSON and its own marked section in the markdown, so
 * either part can be run alone without losing the other's last figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type BenchPart = 'perItem' | 'n8n';

const JSON_FILE = join(__dirname, 'results.json');
const MD_FILE = join(__dirname, 'results.md');
const ORDER: BenchPart[] = ['n8n', 'perItem'];

export function writePart(part: BenchPart, json: unknown, markdown: string): void {
	const previous = existsSync(JSON_FILE) ? (JSON.parse(readFileSync(JSON_FILE, 'utf8')) as Record<string, unknown>) : {};
	// A file from before the parts existed is the per-item part's.
	const parts: Record<string, unknown> = 'perItem' in previous || 'n8n' in previous ? previous : Object.keys(previous).length ? { perItem: previous } : {};
	parts[part] = json;
	writeFileSync(JSON_FILE, JSON.stringify(Object.fromEntries(ORDER.filter((p) => p in parts).map((p) => [p, parts[p]])), null, 2) + '\n');

	const text = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : '';
	const sections: Record<string, string> = {};
	for (const p of ORDER) {
		const match = new RegExp(`<!-- ${p} -->\\n([\\s\\S]*?)<!-- /${p} -->`).exec(text);
		if (match) sections[p] = match[1];
	}
	sections[part] = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
	writeFileSync(MD_FILE, ORDER.filter((p) => sections[p]).map((p) => `<!-- ${p} -->\n${sections[p]}<!-- /${p} -->\n`).join('\n'));
}
