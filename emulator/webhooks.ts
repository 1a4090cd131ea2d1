/**
 * The emulated Plaid's webhook side: ES256 signing keys with rotation and expiry, the
 * `Plaid-Verification` JWT, and delivery to a local URL (the bodies are in webhook-payloads.ts).
 * Tests use the options to forge what an attacker or a broken clock would send, and keep a signed
 * delivery to send it again byte for byte, as a replay or as Plaid's retry of a failed delivery.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

import type { PlaidJwk } from '../nodes/PlaidTrigger/verification';

export {
	layerAuthenticationPassed,
	sessionFinished,
	type LayerAuthenticationPassedWebhook,
	type LinkSessionFinishedWebhook,
	type PlaidEnvironment,
} from './webhook-payloads';

interface SigningKey {
	kid: string;
	privateKey: KeyObject;
	publicKey: KeyObject;
	created_at: number;
	expired_at: number | null;
}

export interface SignOptions {
	/** Sign with this (published) key instead of the current one. */
	kid?: string;
	/** The JWT's `iat` in Unix seconds; defaults to now. */
	iat?: number;
	/** Merged over the JWT header, e.g. `{ alg: 'HS256' }` or `{ kid: undefined }` to drop it. */
	header?: Record<string, unknown>;
	/** Merged over the JWT payload, e.g. `{ iat: 'yesterday' }`. */
	claims?: Record<string, unknown>;
}

function unixSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

function base64UrlJson(value: object): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function newKey(): SigningKey {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	return { kid: randomBytes(16).toString('hex'), privateKey, publicKey, created_at: unixSeconds(), expired_at: null };
}

/** Plaid's webhook signing keys, as `/webhook_verification_key/get` publishes them. */
export class WebhookSigner {
	private readonly keys = new Map<string, SigningKey>();

	private current: SigningKey;

	constructor() {
		this.current = this.add(newKey());
	}

	get currentKid(): string {
		return this.current.kid;
	}

	/** Starts signing with a new key; the previous one stays published and unexpired. */
	rotate(): string {
		this.current = this.add(newKey());
		return this.current.kid;
	}

	/** Marks a key expired now, as Plaid does when it retires one. */
	expire(kid: string): void {
		this.key(kid).expired_at = unixSeconds();
	}

	/** The public key in the shape of `/webhook_verification_key/get`'s `key`, or undefined for an unknown kid. */
	jwk(kid: string): PlaidJwk | undefined {
		const key = this.keys.get(kid);
		if (!key) return undefined;
		const { kty, crv, x, y } = key.publicKey.export({ format: 'jwk' });
		return {
			alg: 'ES256',
			crv: crv as string,
			kid,
			kty: kty as string,
			use: 'sig',
			x: x as string,
			y: y as string,
			created_at: key.created_at,
			expired_at: key.expired_at,
		};
	}

	/** The `Plaid-Verification` header value for this exact body. */
	sign(rawBody: string | Buffer, options: SignOptions = {}): string {
		const key = this.key(options.kid ?? this.current.kid);
		return this.jwt(key.privateKey, key.kid, rawBody, options);
	}

	/** A well-formed header naming a published kid but signed by a key Plaid never published. */
	signWithUnpublishedKey(rawBody: string | Buffer, options: SignOptions = {}): string {
		return this.jwt(newKey().privateKey, options.kid ?? this.current.kid, rawBody, options);
	}

	private add(key: SigningKey): SigningKey {
		this.keys.set(key.kid, key);
		return key;
	}

	private key(kid: string): SigningKey {
		const key = this.keys.get(kid);
		if (!key) throw new Error(`unknown webhook signing key ${kid}`);
		return key;
	}

	private jwt(privateKey: KeyObject, kid: string, rawBody: string | Buffer, options: SignOptions): string {
		const header = base64UrlJson({ alg: 'ES256', kid, typ: 'JWT', ...options.header });
		const payload = base64UrlJson({
			iat: options.iat ?? unixSeconds(),
			request_body_sha256: createHash('sha256').update(rawBody).digest('hex'),
			...options.claims,
		});
		const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
		return `${header}.${payload}.${signature.toString('base64url')}`;
	}
}

export interface DeliveryOptions {
	sign?: SignOptions;
	/** Changes the body after it was signed, as a tampering proxy would. */
	tamper?: (body: string) => string;
	/** Sends no `Plaid-Verification` header at all. */
	unsigned?: boolean;
}

/** One delivery as Plaid puts it on the wire: the exact body bytes and headers, JWT included. */
export interface SignedDelivery {
	body: string;
	headers: Readonly<Record<string, string>>;
}

export interface DeliveryAnswer {
	status: number;
	body: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Serializes and signs a webhook body once; send the result as often as a test needs. */
export function signDelivery(payload: object, signer: WebhookSigner, options: DeliveryOptions = {}): SignedDelivery {
	// Plaid pretty-prints webhook bodies; a receiver that hashes re-serialized JSON instead of the raw bytes fails here too.
	const body = JSON.stringify(payload, null, 2);
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (!options.unsigned) headers['Plaid-Verification'] = signer.sign(body, options.sign);
	return { body: options.tamper ? options.tamper(body) : body, headers };
}

/**
 * POSTs a signed delivery, unchanged. Sending one again is a replay, or Plaid's retry: Plaid
 * retries a webhook answered non-200 (or not within 10 seconds) with backoff from 30 seconds for
 * up to 24 hours (https://plaid.com/docs/api/webhooks/#webhook-retries). Whether an early retry
 * reuses the JWT is not documented; the same JWT is the case a receiver must not mistake for a
 * replay. Only loopback URLs: the emulator never calls out.
 */
export async function sendDelivery(url: string, delivery: SignedDelivery): Promise<DeliveryAnswer> {
	if (!LOOPBACK_HOSTS.has(new URL(url).hostname)) throw new Error(`refusing to deliver a webhook off this machine: ${url}`);
	const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(10_000) });
	return { status: response.status, body: await response.text() };
}

/** Signs and POSTs a webhook the way Plaid does. */
export async function deliverWebhook(url: string, payload: object, signer: WebhookSigner, options: DeliveryOptions = {}): Promise<DeliveryAnswer> {
	return await sendDelivery(url, signDelivery(payload, signer, options));
}
