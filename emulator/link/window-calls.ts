import type { PlaidEmulator } from '../server';

export interface LinkApiReply {
	status: number;
	body: Record<string, unknown>;
	headers: Headers;
}

/**
 * What the emulator's Link window (link-window.js) sends to Link's session API, for the demo and
 * tests that play a visitor without a browser: every call from the Link origin, as the window's
 * fetch makes it.
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

	/** Standard Link: the visitor picks a bank and logs in (Sandbox: user_good / pass_good). */
	async connectBank(institutionId: string, username = 'user_good', password = 'pass_good'): Promise<LinkApiReply> {
		return await this.call('bank/connect', { link_session_id: this.linkSessionId, institution_id: institutionId, username, password });
	}

	/** Runs the steps in order; the last one's answer, or an error naming the step that failed. */
	private async steps(...steps: Array<[string, () => Promise<LinkApiReply>]>): Promise<LinkApiReply> {
		let reply: LinkApiReply | undefined;
		for (const [name, step] of steps) {
			reply = await step();
			if (reply.status !== 200) throw new Error(`Link session step "${name}" failed: ${JSON.stringify(reply.body)}`);
		}
		return reply!;
	}

	/** A whole Layer session for the eligible Sandbox number: the public token it ends with. */
	async finishLayer(linkToken: string): Promise<{ publicToken: string; metadata: Record<string, unknown> }> {
		const shared = await this.steps(
			['start', () => this.start(linkToken)],
			['submit', () => this.submit({ phone_number: '+14155550011' })],
			['verify', () => this.verify('123456')],
			['share', () => this.share()],
		);
		return { publicToken: shared.body.public_token as string, metadata: shared.body.metadata as Record<string, unknown> };
	}

	/** A whole standard Link session: the visitor links `institutionId` with Sandbox's test login. */
	async finishBank(linkToken: string, institutionId = 'ins_109508'): Promise<{ publicToken: string; metadata: Record<string, unknown> }> {
		const connected = await this.steps(['start', () => this.start(linkToken)], ['connect', () => this.connectBank(institutionId)]);
		return { publicToken: connected.body.public_token as string, metadata: connected.body.metadata as Record<string, unknown> };
	}
}
