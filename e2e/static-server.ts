/**
 * A static web server on 127.0.0.1 for the browser tests: the origin a user's own site has when
 * it hosts the static onboarding page, or a stand-in for n8n serving a page with n8n's exact
 * webhook headers. It serves the files it is given and records every POST it receives (so it can
 * also be a page's complete URL).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Content-Security-Policy n8n 2.41 puts on every webhook answer (GUIDE §6b, measured). */
export const N8N_WEBHOOK_SANDBOX_CSP =
	'sandbox allow-downloads allow-forms allow-modals allow-orientation-lock allow-pointer-lock allow-popups ' +
	'allow-popups-to-escape-sandbox allow-presentation allow-scripts allow-top-navigation-by-user-activation ' +
	'allow-top-navigation-to-custom-protocols';

export interface ServedFile {
	body: string;
	headers?: Record<string, string>;
}

export interface ReceivedPost {
	path: string;
	headers: IncomingHttpHeaders;
	body: unknown;
}

/** Answers a POST to one path: status and JSON body. */
export type PostHandler = (post: ReceivedPost) => Promise<{ status: number; body: unknown }>;

export class StaticServer {
	readonly files = new Map<string, ServedFile>();
	readonly posts: ReceivedPost[] = [];
	/** POST paths with an answer of their own; any other POST is answered {"status":"received"}. */
	readonly handlers = new Map<string, PostHandler>();

	private readonly server: Server;
	origin = '';

	private constructor() {
		this.server = createServer((request, response) => {
			const path = new URL(request.url ?? '/', 'http://static').pathname;
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type' };
				if (request.method === 'OPTIONS') {
					response.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST' });
					response.end();
					return;
				}
				if (request.method === 'POST') {
					const text = Buffer.concat(chunks).toString('utf8');
					let body: unknown = text;
					try {
						body = JSON.parse(text);
					} catch {
						// kept as text
					}
					const post = { path, headers: request.headers, body };
					this.posts.push(post);
					const handler = this.handlers.get(path);
					void (handler ? handler(post) : Promise.resolve({ status: 200, body: { status: 'received' } })).then(
						(answer) => {
							response.writeHead(answer.status, { ...cors, 'Content-Type': 'application/json' });
							response.end(JSON.stringify(answer.body));
						},
						(error: unknown) => {
							response.writeHead(500, { ...cors, 'Content-Type': 'application/json' });
							response.end(JSON.stringify({ error: String(error) }));
						},
					);
					return;
				}
				const file = this.files.get(path);
				if (!file) {
					response.writeHead(404, { 'Content-Type': 'text/plain' });
					response.end('not found');
					return;
				}
				response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...file.headers });
				response.end(file.body);
			});
		});
	}

	static async start(): Promise<StaticServer> {
		const instance = new StaticServer();
		await new Promise<void>((resolve, reject) => {
			instance.server.once('error', reject);
			instance.server.listen(0, '127.0.0.1', () => resolve());
		});
		instance.origin = `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}`;
		return instance;
	}

	/** Serves `body` at `path` and returns its URL. */
	serve(path: string, body: string, headers: Record<string, string> = {}): string {
		this.files.set(path, { body, headers });
		return `${this.origin}${path}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
