/**
 * The benchmark's Plaid emulators live in the parent process, never in the measured child, so the
 * server's CPU and memory are not counted as the client's. Each scenario gets its own emulator
 * (its own port), which also lets us count how many requests were in flight at once.
 */
import type { Server } from 'node:http';

import { DEFAULT_TEMPLATE_ID, PlaidEmulator } from '../emulator/server';

export interface EmulatorTarget {
	url: string;
	clientId: string;
	secret: string;
	templateId: string;
}

export interface HostedEmulator {
	target: EmulatorTarget;
	/** Requests the emulator received and the most it held open at one time. */
	stats(): { requests: number; peakInFlight: number };
	stop(): Promise<void>;
}

export async function hostEmulator(latencyMs: number): Promise<HostedEmulator> {
	const emulator = await PlaidEmulator.start({ latencyMs });
	let inFlight = 0;
	let peakInFlight = 0;
	let requests = 0;
	// The HTTP server is private to the emulator; a second 'request' listener only observes.
	const server = (emulator as unknown as { server?: Server }).server;
	server?.on('request', (_request, response) => {
		requests++;
		inFlight++;
		if (inFlight > peakInFlight) peakInFlight = inFlight;
		let open = true;
		const done = () => {
			if (open) inFlight--;
			open = false;
		};
		response.once('finish', done);
		response.once('close', done);
	});
	// Recorded requests are only for tests; drop them so a long run does not grow the parent.
	const trim = setInterval(() => {
		if (Array.isArray(emulator.requests)) emulator.requests.length = 0;
	}, 1000);
	trim.unref();
	return {
		target: { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret, templateId: DEFAULT_TEMPLATE_ID },
		stats: () => ({ requests, peakInFlight: server ? peakInFlight : -1 }),
		stop: async () => {
			clearInterval(trim);
			await emulator.stop();
		},
	};
}
