/**
 * A proxy that n8n is pointed at (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY, with loopback in
 * NO_PROXY). It forwards nothing: every attempt to reach another host is answered 403 and
 * recorded, so the tests can prove that n8n and the package only ever talked to 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OutboundAttempt {
	method: string;
	/** `host:port` for CONNECT (HTTPS), the absolute URL for plain HTTP. */
	target: string;
	at: string;
}

export class OutboundGuard {
	readonly attempts: OutboundAttempt[] = [];

	private constructor(private readonly server: Server) {}

	static async start(): Promise<OutboundGuard> {
		const server = createServer();
		const guard = new OutboundGuard(server);
		server.on('request', (request, response) => {
			guard.attempts.push({ method: request.method ?? 'GET', target: request.url ?? '', at: new Date().toISOString() });
			response.writeHead(403, { 'Content-Type': 'text/plain' });
			response.end('e2e outbound guard: only 127.0.0.1 may be reached');
		});
		server.on('connect', (request, socket) => {
			guard.attempts.push({ method: 'CONNECT', target: request.url ?? '', at: new Date().toISOString() });
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		return guard;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** Environment for a child process: every non-loopback request goes to this guard. */
	env(): Record<string, string> {
		const noProxy = '127.0.0.1,localhost,::1';
		return {
			HTTP_PROXY: this.url,
			HTTPS_PROXY: this.url,
			ALL_PROXY: this.url,
			http_proxy: this.url,
			https_proxy: this.url,
			all_proxy: this.url,
			NO_PROXY: noProxy,
			no_proxy: noProxy,
		};
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
