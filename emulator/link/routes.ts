/**
 * The browser side of the emulator: the stand-in for Plaid's Link script and the endpoint it
 * submits to. Not Plaid API endpoints: they are outside the `endpoints` table, fault injection
 * and `requests`. Pages are served by n8n on another port, so every answer allows any origin
 * (CORS) and preflights are answered.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ELIGIBLE_PHONE, type EmulatorState } from '../endpoints';
import { plaidId } from '../plaid-errors';

export const LINK_SCRIPT_PATH = '/link/v2/stable/link-initialize.js';
export const LAYER_SUBMIT_PATH = '/emulator/layer/submit';

export type LayerEvent = 'LAYER_READY' | 'LAYER_NOT_AVAILABLE' | 'LAYER_AUTOFILL_NOT_AVAILABLE';

/** One `handler.submit(…)` the stand-in passed on, as received, and what it answered. */
export interface LayerSubmission {
	body: unknown;
	status: number;
	/** The Layer event answered, on a 200. */
	event?: LayerEvent;
	/** The error_code answered, on a 4xx/5xx. */
	error_code?: string;
}

/** What the routes need from the emulator. */
export interface LinkStandInHost {
	readonly state: EmulatorState;
	readonly layerSubmissions: LayerSubmission[];
	finishLayerSession(linkToken: string, options: { phoneNumber: string }): Promise<{ public_token?: string; link_session_id: string }>;
}

export interface StandInAnswer {
	status: number;
	headers: Record<string, string>;
	text: string;
}

const CORS = {
	'Access-Control-Allow-Origin': '*',
	'Cross-Origin-Resource-Policy': 'cross-origin',
};

const PREFLIGHT = {
	...CORS,
	'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
	'Access-Control-Allow-Headers': 'Content-Type',
	'Access-Control-Allow-Private-Network': 'true',
	'Access-Control-Max-Age': '600',
};

let script: string | undefined;

function linkScript(): string {
	script ??= readFileSync(join(__dirname, 'link-initialize.js'), 'utf8');
	return script;
}

export function isLinkStandInPath(rawPath: string): boolean {
	const path = new URL(rawPath, 'http://emulator').pathname;
	return path === LINK_SCRIPT_PATH || path === LAYER_SUBMIT_PATH;
}

function json(status: number, body: Record<string, unknown>): StandInAnswer {
	return { status, headers: { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, text: JSON.stringify(body) };
}

function linkError(status: number, errorType: string, errorCode: string, message: string): StandInAnswer {
	return json(status, {
		error_type: errorType,
		error_code: errorCode,
		error_message: message,
		display_message: null,
		request_id: plaidId(),
	});
}

const E164 = /^\+[1-9][0-9]{7,14}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

async function submit(host: LinkStandInHost, body: unknown): Promise<StandInAnswer> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return linkError(400, 'INVALID_REQUEST', 'INVALID_BODY', 'body could not be parsed as a JSON object');
	}
	const { link_token: linkToken, phone_number: phone, date_of_birth: dateOfBirth } = body as Record<string, unknown>;
	if (typeof linkToken !== 'string' || !host.state.linkTokens.has(linkToken)) {
		return linkError(400, 'INVALID_INPUT', 'INVALID_LINK_TOKEN', 'provided link token is invalid or expired');
	}
	if ((phone === undefined) === (dateOfBirth === undefined)) {
		return linkError(400, 'INVALID_REQUEST', 'INVALID_FIELD', 'submit exactly one of phone_number and date_of_birth');
	}
	if (phone !== undefined) {
		if (typeof phone !== 'string' || !E164.test(phone)) {
			return linkError(400, 'INVALID_REQUEST', 'INVALID_FIELD', 'phone_number must be in E.164 format, e.g. +14155550011');
		}
		if (phone !== ELIGIBLE_PHONE) return json(200, { event: 'LAYER_NOT_AVAILABLE', link_session_id: randomUUID() });
		try {
			const outcome = await host.finishLayerSession(linkToken, { phoneNumber: phone });
			return json(200, { event: 'LAYER_READY', link_session_id: outcome.link_session_id, public_token: outcome.public_token });
		} catch (error) {
			return linkError(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', `the emulator could not finish the session: ${(error as Error).message}`);
		}
	}
	if (typeof dateOfBirth !== 'string' || !DATE.test(dateOfBirth)) {
		return linkError(400, 'INVALID_REQUEST', 'INVALID_FIELD', 'date_of_birth must be in the format YYYY-MM-DD');
	}
	return json(200, { event: 'LAYER_AUTOFILL_NOT_AVAILABLE', link_session_id: randomUUID() });
}

/** Answers a request for one of the stand-in paths (see `isLinkStandInPath`). */
export async function answerLinkStandIn(host: LinkStandInHost, method: string, rawPath: string, body: unknown): Promise<StandInAnswer> {
	const path = new URL(rawPath, 'http://emulator').pathname;
	if (method === 'OPTIONS') return { status: 204, headers: PREFLIGHT, text: '' };
	if (path === LINK_SCRIPT_PATH) {
		if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { ...CORS, Allow: 'GET, HEAD, OPTIONS' }, text: '' };
		return {
			status: 200,
			headers: { ...CORS, 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
			text: method === 'HEAD' ? '' : linkScript(),
		};
	}
	if (method !== 'POST') return { status: 405, headers: { ...CORS, Allow: 'POST, OPTIONS' }, text: '' };
	const answer = await submit(host, body);
	const reply = JSON.parse(answer.text) as Record<string, unknown>;
	host.layerSubmissions.push({
		body,
		status: answer.status,
		...(answer.status === 200 ? { event: reply.event as LayerEvent } : { error_code: reply.error_code as string }),
	});
	return answer;
}
