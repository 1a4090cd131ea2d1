/**
 * A local stand-in for Plaid's API on 127.0.0.1: checks credentials and request bodies against
 * Plaid's published schemas and answers in Plaid's shapes (endpoints.ts, products/). Tests, the
 * demo and the benchmark talk to it instead of Plaid; switches add latency and injected failures.
 * It also plays the end user's part of a Layer session (and sends the signed webhooks Plaid would)
 * and of a standard Link session.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { completeLayerSession, ELIGIBLE_PHONE, endpoints } from './endpoints';
import { faultAnswer, jsonAnswer, RandomFaults, type Fault, type FaultInjection } from './faults';
import { LinkCdn } from './link/cdn';
import { answerLinkApi, isLinkApiPath, type LayerSubmission, type LinkSession } from './link/routes';
import { invalidRequest, plaidError, type PlaidErrorAnswer } from './plaid-errors';
import { validate, type SchemaProblem } from './schema';
import { finishLinkSession, type LinkSessionOptions, type LinkSessionOutcome } from './products/link';
import { createState, type EmulatorState, type EndpointAnswer } from './state';
import { deliverWebhook, layerAuthenticationPassed, sessionFinished, WebhookSigner } from './webhooks';

export { FAULTS, type Fault, type FaultInjection } from './faults';
export type { LinkSessionOptions, LinkSessionOutcome } from './products/link';

export interface EmulatorOptions {
	clientId?: string;
	secret?: string;
	/** Template IDs the emulated Dashboard has; default `template_layer_demo`. */
	templates?: string[];
	latencyMs?: number;
	/** 0 (default) picks a free port. */
	port?: number;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	/** The parsed JSON body, or the raw text when it was not JSON. */
	body: unknown;
	/** 0 when nothing was answered (`timeout`, `reset`, `lost_answer`). */
	status: number;
	/** The answer as a JSON object; {} when it was none (HTML, broken JSON, no answer). For `lost_answer`, the answer that was handled and never sent. */
	answer: Record<string, unknown>;
	/** Set when the request got a fault instead of being handled. */
	fault?: Fault;
}

export interface LayerSessionOptions {
	/** The number the end user enters; default the eligible Sandbox number `+14155550011`. */
	phoneNumber?: string;
	/** Where the webhooks go; default the `webhook` of the `/session/token/create` request. */
	webhookUrl?: string;
}

export interface LayerSessionOutcome {
	status: 'SUCCESS' | 'EXITED';
	/** Only on SUCCESS; works on `/user_account/session/get`. */
	public_token?: string;
	link_session_id: string;
	/** The receiver's answer to each webhook, in the order sent. */
	deliveries: Array<{ webhook_code: string; status: number; body: string }>;
}

export const DEFAULT_CLIENT_ID = 'emulator_client_id';
export const DEFAULT_SECRET = 'emulator_secret_0123456789abcdef';
export const DEFAULT_TEMPLATE_ID = 'template_layer_demo';

function describeProblem(problem: SchemaProblem): PlaidErrorAnswer {
	switch (problem.kind) {
		case 'missing':
			return invalidRequest('MISSING_FIELDS', `the following required fields are missing: ${problem.path}`);
		case 'unknown':
			return invalidRequest('UNKNOWN_FIELDS', `the following fields are not recognized by this endpoint: ${problem.path}`);
		case 'invalid':
			return invalidRequest('INVALID_FIELD', `${problem.path || 'body'} ${problem.reason}`);
	}
}

/** The JSON body, or the raw text when it is not JSON (answered as INVALID_BODY). */
function parseBody(raw: string): unknown {
	if (raw === '') return undefined;
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export class PlaidEmulator {
	readonly clientId: string;
	readonly secret: string;
	latencyMs: number;
	readonly requests: RecordedRequest[] = [];
	/** API requests received and not yet answered (or dropped), and the most there were at once since reset(). */
	inFlight = 0;
	peakInFlight = 0;
	/** What Link's window (the stand-in behind `linkScriptUrl`) submitted to Layer for pages in a browser. */
	readonly layerSubmissions: LayerSubmission[] = [];
	/** Link sessions Link's window started, by link_session_id. */
	readonly linkSessions = new Map<string, LinkSession>();
	readonly state: EmulatorState;
	/** Signs the webhooks this emulator sends; rotate or expire keys here. */
	readonly signer = new WebhookSigner();
	private readonly faults: Fault[] = [];
	private randomFaults?: RandomFaults;
	private server?: Server;
	private linkCdn?: LinkCdn;

	private constructor(options: EmulatorOptions) {
		this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
		this.secret = options.secret ?? DEFAULT_SECRET;
		this.latencyMs = options.latencyMs ?? 0;
		this.state = createState(options.templates ?? [DEFAULT_TEMPLATE_ID], this.signer);
	}

	static async start(options: EmulatorOptions = {}): Promise<PlaidEmulator> {
		const emulator = new PlaidEmulator(options);
		await emulator.listen(options.port ?? 0);
		emulator.linkCdn = await LinkCdn.start(emulator.url);
		return emulator;
	}

	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	/** The origin of Link's window and script: the emulator's stand-in for https://cdn.plaid.com, another port than `url`. */
	get linkOrigin(): string {
		return this.linkCdn!.origin;
	}

	/** The stand-in for https://cdn.plaid.com/link/v2/stable/link-initialize.js, for a page's Link Script URL. */
	get linkScriptUrl(): string {
		return this.linkCdn!.scriptUrl;
	}

	/** The next `times` requests fail with `fault` instead of being handled; this goes before `injectFaults`. */
	failNext(fault: Fault, times = 1): void {
		for (let i = 0; i < times; i++) this.faults.push(fault);
	}

	/** From now on each request (to `endpoints`, default all) fails with chance `rate`, replacing earlier injections. */
	injectFaults(injection: FaultInjection): void {
		const unknown = (injection.endpoints ?? []).filter((path) => !endpoints[path]);
		if (unknown.length > 0) throw new Error(`no such emulated endpoint: ${unknown.join(', ')}`);
		this.randomFaults = new RandomFaults(injection);
	}

	/**
	 * Plays the end user's part of a Layer session opened with `linkToken`, then sends Plaid's
	 * webhooks for it: LAYER_AUTHENTICATION_PASSED (only when eligible) and SESSION_FINISHED.
	 */
	async finishLayerSession(linkToken: string, options: LayerSessionOptions = {}): Promise<LayerSessionOutcome> {
		const tokenRequest = this.state.linkTokens.get(linkToken);
		if (!tokenRequest) throw new Error(`unknown link_token ${linkToken}: create one with /session/token/create first`);
		const userId = typeof tokenRequest.user_id === 'string' ? tokenRequest.user_id : undefined;
		const publicToken = completeLayerSession(this.state, options.phoneNumber ?? ELIGIBLE_PHONE, userId);
		const status = publicToken ? 'SUCCESS' : 'EXITED';
		const linkSessionId = randomUUID();
		const payloads = [
			...(publicToken ? [this.sessionWebhook(linkToken, linkSessionId, 'LAYER_AUTHENTICATION_PASSED')] : []),
			this.sessionWebhook(linkToken, linkSessionId, status, publicToken),
		];
		const webhookUrl = options.webhookUrl ?? (tokenRequest.webhook as string | undefined);
		const deliveries: LayerSessionOutcome['deliveries'] = [];
		if (webhookUrl) {
			// One after the other: a receiver sees LAYER_AUTHENTICATION_PASSED before SESSION_FINISHED.
			for (const payload of payloads) {
				const answer = await deliverWebhook(webhookUrl, payload, this.signer);
				deliveries.push({ webhook_code: payload.webhook_code, ...answer });
			}
		}
		return { status, ...(publicToken && { public_token: publicToken }), link_session_id: linkSessionId, deliveries };
	}

	/** For Link's window: a Layer or Link webhook of one of its sessions, to the token's `webhook` when it has one. */
	async sendSessionWebhook(session: LinkSession, event: 'LAYER_AUTHENTICATION_PASSED' | 'SUCCESS' | 'EXITED', publicToken?: string): Promise<void> {
		const webhookUrl = this.state.linkTokens.get(session.link_token)?.webhook as string | undefined;
		if (!webhookUrl) return;
		await deliverWebhook(webhookUrl, this.sessionWebhook(session.link_token, session.link_session_id, event, publicToken), this.signer).catch(() => undefined);
	}

	private sessionWebhook(linkToken: string, linkSessionId: string, event: 'LAYER_AUTHENTICATION_PASSED' | 'SUCCESS' | 'EXITED', publicToken?: string) {
		if (event === 'LAYER_AUTHENTICATION_PASSED') return layerAuthenticationPassed({ link_token: linkToken, link_session_id: linkSessionId });
		const userId = this.state.linkTokens.get(linkToken)?.user_id;
		return sessionFinished({
			link_token: linkToken,
			link_session_id: linkSessionId,
			status: event,
			public_tokens: publicToken ? [publicToken] : [],
			user_id: typeof userId === 'string' ? userId : undefined,
		});
	}

	/**
	 * Plays the end user's part of a standard Link session opened with `linkToken` (from
	 * `/link/token/create`): by default they link First Platypus Bank with Sandbox's test login.
	 * The session is recorded on the token, so `/link/token/get` reports it with the public token
	 * (`link_sessions[].results.item_add_results`), which `/item/public_token/exchange` takes once.
	 * Sends no webhook.
	 */
	finishLinkSession(linkToken: string, options: LinkSessionOptions = {}): LinkSessionOutcome {
		return finishLinkSession(this.state, linkToken, options);
	}

	/** Forgets recorded requests, pending and injected faults; keeps issued tokens. */
	reset(): void {
		this.requests.length = 0;
		this.peakInFlight = this.inFlight;
		this.layerSubmissions.length = 0;
		this.faults.length = 0;
		this.randomFaults = undefined;
		this.latencyMs = 0;
	}

	async stop(): Promise<void> {
		await this.linkCdn?.stop();
		this.linkCdn = undefined;
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private listen(port: number): Promise<void> {
		this.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const method = request.method ?? 'GET';
				const path = request.url ?? '/';
				const parsed = parseBody(Buffer.concat(chunks).toString('utf8'));
				// Link's window's own API: for browsers, not Plaid's API (no faults, not recorded).
				if (isLinkApiPath(path)) {
					void answerLinkApi(this, method, path, header(request.headers, 'Origin'), parsed).then((sent) => {
						response.writeHead(sent.status, sent.headers);
						response.end(sent.text);
					});
					return;
				}
				this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
				const record = (status: number, answer: Record<string, unknown>, fault?: Fault) => {
					this.inFlight--;
					this.requests.push({ method, path, headers: request.headers, body: parsed, status, answer, ...(fault && { fault }) });
				};
				// Drawn on arrival, so the faults follow the order requests came in, whatever the latency.
				const fault = this.nextFault(method, path);
				if (fault === 'lost_answer') {
					// Handled as usual (state changes), then the answer is lost on its way back.
					const handled = jsonAnswer(this.handle(method, path, request.headers, parsed));
					const drop = () => {
						record(0, handled.answer, fault);
						request.socket.destroy();
					};
					if (this.latencyMs > 0) setTimeout(drop, this.latencyMs);
					else drop();
					return;
				}
				if (fault === 'timeout' || fault === 'reset') {
					record(0, {}, fault);
					// A timeout holds the socket until the client gives up or stop() closes every connection.
					if (fault === 'reset') request.socket.destroy();
					return;
				}
				const reply = () => {
					const sent =
						fault && fault !== 'wrong_content_type'
							? faultAnswer(fault)
							: jsonAnswer(this.handle(method, path, request.headers, parsed));
					// A real answer, labelled as text: what a misconfigured proxy in front of Plaid does.
					if (fault === 'wrong_content_type') sent.headers['Content-Type'] = 'text/plain';
					record(sent.status, sent.answer, fault);
					response.writeHead(sent.status, sent.headers);
					response.end(sent.text);
				};
				if (this.latencyMs > 0) setTimeout(reply, this.latencyMs);
				else reply();
			});
		});
		return new Promise((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
	}

	/** Faults hit only real endpoints, and (but for wrong_content_type and lost_answer) before any handling: such a faulted request changes no state. */
	private nextFault(method: string, path: string): Fault | undefined {
		if (method !== 'POST' || !endpoints[path]) return undefined;
		return this.faults.shift() ?? this.randomFaults?.next(path);
	}

	private handle(method: string, path: string, headers: IncomingHttpHeaders, parsed: unknown): EndpointAnswer {
		const endpoint = endpoints[path];
		if (method !== 'POST' || !endpoint) return plaidError(404, 'INVALID_REQUEST', 'NOT_FOUND', 'not found');
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			return invalidRequest('INVALID_BODY', 'body could not be parsed as a JSON object');
		}
		const body = parsed as Record<string, unknown>;
		const clientId = header(headers, 'PLAID-CLIENT-ID') ?? body.client_id;
		const secret = header(headers, 'PLAID-SECRET') ?? body.secret;
		const missing = [clientId ? undefined : 'client_id', secret ? undefined : 'secret'].filter(Boolean);
		if (missing.length > 0) {
			return invalidRequest('MISSING_FIELDS', `the following required fields are missing: ${missing.join(', ')}`);
		}
		if (clientId !== this.clientId || secret !== this.secret) {
			return plaidError(400, 'INVALID_INPUT', 'INVALID_API_KEYS', 'invalid client_id or secret provided');
		}
		const problems = validate(body, endpoint.requestSchema, true);
		if (problems.length > 0) return describeProblem(problems[0]);

		return endpoint.answer(body, this.state);
	}
}
