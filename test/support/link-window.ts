import type { PlaidEmulator } from '../../emulator/server';

export interface LinkApiReply {
	status: number;
	body: Record<string, unknown>;
	headers: Headers;
}

/**
 * What the emulator's Link window (emulator/link/link-window.js) sends to Link's session API, for
 * tests that drive a Link session without a browser: every call from the Link origin, as the
 * window's fetch makes it.
 */
export class LinkWindowCalls {
	linkSessionId?: string;

	constructor(
		private readonly emulator: PlaidEmulator,
		private readonly origin: string = emulator.linkOrigin,
	) {}

	async call(path: string, body: unknown): Promise<LinkApiReply> {
		const response = await fetch(`${this.emulator.url}/emulator/link/${path}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Origin: this.origin },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
	}

	async start(linkToken: string): Promise<LinkApiReply> {
		const reply = await this.call('session', { link_token: linkToken });
		if (reply.status === 200) this.linkSessionId = reply.body.link_session_id as string;
		return reply;
	}

	async submit(data: { phone_number: string } | { date_of_birth: string }): Promise<LinkApiReply> {
		return await this.call('layer/submit', { link_session_id: this.linkSessionId, ...data });
	}

	async verify(code: string): Promise<LinkApiReply> {
		return await this.call('layer/verify', { link_session_id: this.linkSessionId, code });
	}

	async share(): Promise<LinkApiReply> {
		return await this.call('layer/share', { link_session_id: this.linkSessionId });
	}

	async exit(): Promise<LinkApiReply> {
		return await this.call('exit', { link_session_id: this.linkSessionId });
	}

	/** A whole Layer session for the eligible Sandbox number: the public token it ends with. */
	async finishLayer(linkToken: string): Promise<{ publicToken: string; metadata: Record<string, unknown> }> {
		for (const step of [() => this.start(linkToken), () => this.submit({ phone_number: '+14155550011' }), () => this.verify('123456')]) {
			const reply = await step();
			if (reply.status !== 200) throw new Error(`Link session step failed: ${JSON.stringify(reply.body)}`);
		}
		const shared = await this.share();
		if (shared.status !== 200) throw new Error(`Link session share failed: ${JSON.stringify(shared.body)}`);
		return { publicToken: shared.body.public_token as string, metadata: shared.body.metadata as Record<string, unknown> };
	}
}
