/**
 * The Link session API the emulator's Link window calls: what Plaid's Link does between its
 * window and Plaid while a user goes through it. Not Plaid API endpoints (they are outside the
 * `endpoints` table, fault injection and `requests`), and like Plaid's own they serve Link's window
 * only: CORS allows exactly the Link origin, and a request from any other origin is refused, so a
 * window whose origin is opaque (inside n8n's webhook sandbox, GUIDE §6b) cannot reach them.
 *
 * Layer, as Plaid's Layer docs and react-plaid-link's examples/layer.tsx describe it:
 *   POST /emulator/link/session       { link_token }  → { link_session_id, flow }. A link token
 *                                     starts sessions until one of them finishes with a public
 *                                     token: Plaid's Link Web docs call it "a short lived,
 *                                     one-time use token".
 *   POST /emulator/link/layer/submit  { link_session_id, phone_number } → LAYER_READY (Sandbox's
 *                                     +14155550011) or LAYER_NOT_AVAILABLE; then, only after
 *                                     LAYER_NOT_AVAILABLE, { date_of_birth } → LAYER_AUTOFILL_NOT_AVAILABLE
 *                                     (the emulator has no Extended Autofill profiles). Exactly one
 *                                     of the two per submit (react-plaid-link 5.0).
 *   POST /emulator/link/layer/verify  { link_session_id, code } → the profile to confirm; Sandbox's
 *                                     code is 123456. Sends LAYER_AUTHENTICATION_PASSED.
 *   POST /emulator/link/layer/share   { link_session_id } → { public_token, metadata }; sends
 *                                     SESSION_FINISHED (SUCCESS).
 *   POST /emulator/link/exit          { link_session_id } → sends SESSION_FINISHED (EXITED).
 *
 * Standard Link, for a token from /link/token/create (Plaid's Link docs; Sandbox's test login
 * user_good / pass_good at its test institutions, plaid.com/docs/sandbox/test-credentials):
 *   POST /emulator/link/session       → { link_session_id, flow: "link", institutions }
 *   POST /emulator/link/bank/connect  { link_session_id, institution_id, username, password } →
 *                                     { public_token, metadata } (institution, accounts), recorded
 *                                     on the token for /link/token/get; a wrong login →
 *                                     INVALID_CREDENTIALS, the session goes on.
 *   POST /emulator/link/exit          records the exit on the token (and sends SESSION_FINISHED).
 * A link token is refused once its `expiration` has passed (Plaid: 4 hours, 30 minutes in update
 * mode) and once a session with it finished with a public token.
 */
import { randomUUID } from 'node:crypto';

import { completeLayerSession, ELIGIBLE_PHONE } from '../endpoints';
import { plaidError, plaidId, type PlaidErrorAnswer } from '../plaid-errors';
import type { LinkSessionOptions, LinkSessionOutcome } from '../products/link';
import { findInstitution, INSTITUTIONS, SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../sandbox-data';
import type { EmulatorState } from '../state';

export const LINK_API_PREFIX = '/emulator/link/';

/** Plaid Sandbox's one-time code for Layer's phone check (GUIDE §3). */
export const SANDBOX_OTP = '123456';

export type LayerEvent = 'LAYER_READY' | 'LAYER_NOT_AVAILABLE' | 'LAYER_AUTOFILL_NOT_AVAILABLE';

/** One `handler.submit(…)` that reached the emulator from Link's window, and what it answered. */
export interface LayerSubmission {
	link_token: string;
	/** `{ phone_number }` or `{ date_of_birth }`, as submitted. */
	submitted: Record<string, unknown>;
	status: number;
	/** The Layer event answered, on a 200. */
	event?: LayerEvent;
	/** The error_code answered, on a 4xx. */
	error_code?: string;
}

/** A Link session: one visit of Link's window with a link token. */
export interface LinkSession {
	link_session_id: string;
	link_token: string;
	/** `layer` for a token from /session/token/create, `link` for one from /link/token/create. */
	flow: 'layer' | 'link';
	/** The E.164 number Layer found a profile for. */
	phone?: string;
	/** A phone number was submitted and Layer had no profile for it. */
	notAvailable?: boolean;
	verified?: boolean;
	finished?: 'SUCCESS' | 'EXITED';
}

/** What the routes need from the emulator. */
export interface LinkSessionHost {
	readonly state: EmulatorState;
	/** The origin of Link's window (the emulator's stand-in for https://cdn.plaid.com). */
	readonly linkOrigin: string;
	readonly layerSubmissions: LayerSubmission[];
	readonly linkSessions: Map<string, LinkSession>;
	/** Records a standard Link session's end on its token (for /link/token/get). */
	finishLinkSession(linkToken: string, options: LinkSessionOptions): LinkSessionOutcome;
	/** Sends a Layer or Link webhook for this session to its token's `webhook`, if it has one. */
	sendSessionWebhook(session: LinkSession, event: 'LAYER_AUTHENTICATION_PASSED' | 'SUCCESS' | 'EXITED', publicToken?: string): Promise<void>;
}

export interface LinkApiAnswer {
	status: number;
	headers: Record<string, string>;
	text: string;
}

export function isLinkApiPath(rawPath: string): boolean {
	return new URL(rawPath, 'http://emulator').pathname.startsWith(LINK_API_PREFIX);
}

type Answer = { status: number; body: Record<string, unknown> } | PlaidErrorAnswer;

const invalid = (code: string, message: string, display: string | null = null) => plaidError(400, 'INVALID_REQUEST', code, message, display);
const E164 = /^\+[1-9][0-9]{7,14}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** •••-0011 for +14155550011: what Link shows of the number it sent the code to. */
function phoneHint(phone: string): string {
	return `(•••) •••-${phone.slice(-4)}`;
}

function activeSession(host: LinkSessionHost, body: Record<string, unknown>): LinkSession | PlaidErrorAnswer {
	const session = typeof body.link_session_id === 'string' ? host.linkSessions.get(body.link_session_id) : undefined;
	if (!session) return invalid('INVALID_FIELD', 'link_session_id is not a session of this Link window');
	if (session.finished) return invalid('INVALID_FIELD', `this Link session has already finished (${session.finished})`);
	return session;
}

const isError = (value: unknown): value is PlaidErrorAnswer => typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

function startSession(host: LinkSessionHost, body: Record<string, unknown>): Answer {
	const linkToken = body.link_token;
	const details = typeof linkToken === 'string' ? host.state.linkTokenDetails.get(linkToken) : undefined;
	if (typeof linkToken !== 'string' || !details) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', 'provided link token is invalid or expired');
	}
	if (Date.parse(details.expiration) <= Date.now()) return plaidError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', 'provided link token has expired');
	const spent = [...host.linkSessions.values()].some((session) => session.link_token === linkToken && session.finished === 'SUCCESS');
	if (spent) return plaidError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', 'provided link token has already been used');
	const session: LinkSession = { link_session_id: randomUUID(), link_token: linkToken, flow: details.kind };
	host.linkSessions.set(session.link_session_id, session);
	return {
		status: 200,
		body: {
			link_session_id: session.link_session_id,
			flow: session.flow,
			...(session.flow === 'link' && {
				client_name: details.request.client_name ?? null,
				institutions: INSTITUTIONS.map(({ institution_id, name }) => ({ institution_id, name })),
			}),
			request_id: plaidId(),
		},
	};
}

/** The visitor picked a bank and logged in with Sandbox's test login. */
async function connectBank(host: LinkSessionHost, session: LinkSession, body: Record<string, unknown>): Promise<Answer> {
	if (session.flow !== 'link') return invalid('INVALID_FIELD', 'this is a Layer session: there is no bank to pick');
	const institution = typeof body.institution_id === 'string' ? findInstitution(body.institution_id) : undefined;
	if (!institution) return invalid('INVALID_INSTITUTION', `institution_id is not a Sandbox institution: ${String(body.institution_id)}`);
	if (body.username !== SANDBOX_USERNAME || body.password !== SANDBOX_PASSWORD) {
		return plaidError(
			400,
			'ITEM_ERROR',
			'INVALID_CREDENTIALS',
			'the provided credentials were not correct',
			'The provided credentials were not correct. Please try again.',
		);
	}
	const outcome = host.finishLinkSession(session.link_token, { institutionId: institution.institution_id, outcome: 'success', linkSessionId: session.link_session_id });
	session.finished = 'SUCCESS';
	await host.sendSessionWebhook(session, 'SUCCESS', outcome.public_token);
	const result = host.state.linkTokenDetails.get(session.link_token)!.sessions.find((recorded) => recorded.link_session_id === session.link_session_id)!;
	const added = (result.results as { item_add_results: Array<Record<string, unknown>> }).item_add_results[0];
	return {
		status: 200,
		body: {
			public_token: outcome.public_token,
			// onSuccess metadata, as Plaid's Link Web docs list it.
			metadata: { link_session_id: session.link_session_id, institution: added.institution, accounts: added.accounts, transfer_status: null },
			request_id: plaidId(),
		},
	};
}

function submitToLayer(session: LinkSession, body: Record<string, unknown>): Answer {
	const { phone_number: phone, date_of_birth: dateOfBirth } = body;
	if ((phone === undefined) === (dateOfBirth === undefined)) {
		return invalid('INVALID_FIELD', 'submit exactly one of phone_number and date_of_birth');
	}
	if (phone !== undefined) {
		if (typeof phone !== 'string' || !E164.test(phone)) {
			return invalid('INVALID_FIELD', 'phone_number must be in E.164 format, e.g. +14155550011');
		}
		if (phone !== ELIGIBLE_PHONE) {
			session.notAvailable = true;
			return { status: 200, body: { event: 'LAYER_NOT_AVAILABLE' } };
		}
		session.phone = phone;
		return { status: 200, body: { event: 'LAYER_READY', phone_hint: phoneHint(phone) } };
	}
	if (!session.notAvailable) {
		return invalid('INVALID_FIELD', 'date_of_birth is asked for only after LAYER_NOT_AVAILABLE: submit the phone number first');
	}
	if (typeof dateOfBirth !== 'string' || !DATE.test(dateOfBirth) || Number.isNaN(Date.parse(`${dateOfBirth}T00:00:00Z`))) {
		return invalid('INVALID_FIELD', 'date_of_birth must be a date in the format YYYY-MM-DD');
	}
	return { status: 200, body: { event: 'LAYER_AUTOFILL_NOT_AVAILABLE' } };
}

async function verifyCode(host: LinkSessionHost, session: LinkSession, body: Record<string, unknown>): Promise<Answer> {
	if (!session.phone) return invalid('INVALID_FIELD', 'no phone number to verify: Layer has not answered LAYER_READY in this session');
	if (body.code !== SANDBOX_OTP) {
		return plaidError(400, 'INVALID_INPUT', 'INVALID_OTP', 'the code does not match the one sent', 'That code is not right. Check the text message and try again.');
	}
	if (!session.verified) {
		session.verified = true;
		await host.sendSessionWebhook(session, 'LAYER_AUTHENTICATION_PASSED');
	}
	return {
		status: 200,
		body: { profile: { name: 'Leslie Knope', email: 'leslie@example.com', institutions: ['First Platypus Bank'] }, request_id: plaidId() },
	};
}

async function share(host: LinkSessionHost, session: LinkSession): Promise<Answer> {
	if (!session.verified) return invalid('INVALID_FIELD', 'the phone number has not been verified in this session');
	const publicToken = completeLayerSession(host.state, session.phone!);
	if (!publicToken) return plaidError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'no Layer profile for this number');
	session.finished = 'SUCCESS';
	await host.sendSessionWebhook(session, 'SUCCESS', publicToken);
	return {
		status: 200,
		body: {
			public_token: publicToken,
			metadata: { link_session_id: session.link_session_id, institution: null, accounts: [], transfer_status: null },
			request_id: plaidId(),
		},
	};
}

async function exit(host: LinkSessionHost, session: LinkSession): Promise<Answer> {
	session.finished = 'EXITED';
	if (session.flow === 'link') host.finishLinkSession(session.link_token, { outcome: 'exit', linkSessionId: session.link_session_id });
	await host.sendSessionWebhook(session, 'EXITED');
	return { status: 200, body: { request_id: plaidId() } };
}

async function route(host: LinkSessionHost, path: string, body: Record<string, unknown>): Promise<Answer> {
	if (path === 'session') return startSession(host, body);
	const session = activeSession(host, body);
	if (isError(session)) return session;
	switch (path) {
		case 'layer/submit': {
			if (session.flow !== 'layer') return invalid('INVALID_FIELD', 'submit() is for Layer: this link token is for standard Link');
			const answer = submitToLayer(session, body);
			const { phone_number, date_of_birth } = body;
			host.layerSubmissions.push({
				link_token: session.link_token,
				submitted: phone_number !== undefined ? { phone_number } : { date_of_birth },
				status: answer.status,
				...(answer.status === 200 ? { event: answer.body.event as LayerEvent } : { error_code: answer.body.error_code as string }),
			});
			return answer;
		}
		case 'layer/verify':
			return await verifyCode(host, session, body);
		case 'layer/share':
			return await share(host, session);
		case 'bank/connect':
			return await connectBank(host, session, body);
		case 'exit':
			return await exit(host, session);
		default:
			return plaidError(404, 'INVALID_REQUEST', 'NOT_FOUND', 'not found');
	}
}

/** Answers a request under /emulator/link/ (see `isLinkApiPath`). */
export async function answerLinkApi(host: LinkSessionHost, method: string, rawPath: string, origin: string | undefined, body: unknown): Promise<LinkApiAnswer> {
	const cors = { 'Access-Control-Allow-Origin': host.linkOrigin, Vary: 'Origin' };
	const json = (answer: Answer): LinkApiAnswer => ({
		status: answer.status,
		headers: { ...cors, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
		text: JSON.stringify(answer.body),
	});
	if (method === 'OPTIONS') {
		return {
			status: 204,
			headers: { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' },
			text: '',
		};
	}
	// Only Link's own window calls these: a page, another site or an opaque origin ("null") is refused.
	if (origin !== host.linkOrigin) {
		return json(plaidError(403, 'INVALID_REQUEST', 'INVALID_ORIGIN', `requests from origin ${origin ?? '(none)'} are not allowed; only Link's window may call this`));
	}
	if (method !== 'POST') return { status: 405, headers: { ...cors, Allow: 'POST, OPTIONS' }, text: '' };
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return json(invalid('INVALID_BODY', 'body could not be parsed as a JSON object'));
	}
	const path = new URL(rawPath, 'http://emulator').pathname.slice(LINK_API_PREFIX.length);
	return json(await route(host, path, body as Record<string, unknown>));
}
