/**
 * Verifies a Plaid webhook the way Plaid documents it
 * (https://plaid.com/docs/api/webhooks/webhook-verification/): the `Plaid-Verification` header is
 * an ES256 JWT naming its key by `kid`; the key comes from `/webhook_verification_key/get`; the
 * signed payload carries the time of signing and the SHA-256 of the exact body bytes.
 */
import { createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/** The `key` of a `/webhook_verification_key/get` answer. */
export type PlaidJwk = {
	alg: string;
	crv: string;
	kid: string;
	kty: string;
	use: string;
	x: string;
	y: string;
	created_at: number;
	expired_at: number | null;
};

/** `issuedAt` is the JWT's `iat`, in Unix seconds. */
export type VerificationResult = { ok: true; kid: string; issuedAt: number } | { ok: false; reason: string };

export interface VerificationInput {
	/** The `Plaid-Verification` header value. */
	verificationHeader: string | undefined;
	/** The body exactly as received: Plaid hashes the bytes it sent, not a re-serialized JSON. */
	rawBody: Buffer | string;
	/** Current time in milliseconds; defaults to `Date.now()`. */
	now?: number;
	/** Looks up a key by id, typically `VerificationKeyCache.get`. */
	getKey: (kid: string) => Promise<PlaidJwk>;
}

/** Plaid: refuse a webhook whose JWT was issued more than 5 minutes ago. */
export const MAX_JWT_AGE_SECONDS = 5 * 60;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function refuse(reason: string): VerificationResult {
	return { ok: false, reason };
}

function decodeBase64Url(part: string): Buffer | undefined {
	// Buffer.from skips characters outside the alphabet instead of failing, so check them first.
	if (!BASE64URL.test(part) || part.length % 4 === 1) return undefined;
	return Buffer.from(part, 'base64url');
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
	const bytes = decodeBase64Url(part);
	if (!bytes) return undefined;
	try {
		const value: unknown = JSON.parse(bytes.toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** Checks a webhook against its `Plaid-Verification` header; answers with a reason instead of throwing. */
export async function verifyPlaidWebhook(input: VerificationInput): Promise<VerificationResult> {
	const { verificationHeader: jwt, rawBody } = input;
	if (!jwt) return refuse('missing Plaid-Verification header');
	if (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) return refuse('missing raw request body');

	// Everything structural is checked before the key lookup, so junk never costs a call to Plaid.
	const parts = jwt.split('.');
	if (parts.length !== 3) return refuse('malformed JWT: expected 3 dot-separated parts');
	const [encodedHeader, encodedPayload, encodedSignature] = parts;
	const header = decodeJsonObject(encodedHeader);
	if (!header) return refuse('malformed JWT: header is not base64url-encoded JSON');
	// Never let the token pick its algorithm: 'none' or HS256 keyed with the public key would pass.
	if (header.alg !== 'ES256') {
		return refuse(`JWT alg must be ES256, got ${typeof header.alg === 'string' ? header.alg : 'no alg'}`);
	}
	const kid = header.kid;
	if (typeof kid !== 'string' || kid === '') return refuse('JWT header has no kid');
	const payload = decodeJsonObject(encodedPayload);
	if (!payload) return refuse('malformed JWT: payload is not base64url-encoded JSON');
	const signature = decodeBase64Url(encodedSignature);
	// A JWT carries ES256 as r || s, 32 bytes each (RFC 7518 §3.4), not DER.
	if (signature?.length !== 64) return refuse('malformed JWT: ES256 signature must be 64 bytes');

	let key: PlaidJwk;
	try {
		key = await input.getKey(kid);
	} catch (error) {
		return refuse(`could not fetch verification key: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (key.kid !== kid) return refuse('verification key id does not match the JWT kid');
	if (key.expired_at !== null) return refuse('verification key expired');
	if (key.kty !== 'EC' || key.crv !== 'P-256') return refuse('verification key is not an EC P-256 key');
	let publicKey: KeyObject;
	try {
		publicKey = createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x, y: key.y }, format: 'jwk' });
	} catch {
		return refuse('verification key is not a valid public key');
	}
	const signedData = Buffer.from(`${encodedHeader}.${encodedPayload}`);
	if (!verify('sha256', signedData, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) {
		return refuse('signature does not match');
	}

	const iat = payload.iat;
	if (typeof iat !== 'number' || !Number.isFinite(iat)) return refuse('JWT iat must be a number');
	const nowSeconds = (input.now ?? Date.now()) / 1000;
	if (nowSeconds - iat > MAX_JWT_AGE_SECONDS) return refuse('JWT issued more than 5 minutes ago');
	// A token from the future is as replayable as an old one, so the same window applies.
	if (iat - nowSeconds > MAX_JWT_AGE_SECONDS) return refuse('JWT issued more than 5 minutes in the future');

	const claimedHash = payload.request_body_sha256;
	if (typeof claimedHash !== 'string') return refuse('JWT has no request_body_sha256');
	const claimed = Buffer.from(claimedHash);
	const actual = Buffer.from(createHash('sha256').update(rawBody).digest('hex'));
	// timingSafeEqual throws on unequal lengths; the length of a hex digest is no secret.
	if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
		return refuse('webhook body does not match request_body_sha256');
	}
	return { ok: true, kid, issuedAt: iat };
}

/**
 * Verification keys by kid, for one Plaid account. Concurrent lookups of one kid share one fetch
 * and failures are not kept, so the next webhook tries again. Keys are kept as fetched: an
 * expired one is still returned, and verification refuses it. The fetcher comes with each lookup
 * because it belongs to the webhook request being handled, while the keys outlive it.
 */
export class VerificationKeyCache {
	private readonly keys = new Map<string, PlaidJwk>();

	private readonly inFlight = new Map<string, Promise<PlaidJwk>>();

	async get(kid: string, fetchKey: (kid: string) => Promise<PlaidJwk>): Promise<PlaidJwk> {
		const cached = this.keys.get(kid);
		if (cached) return cached;
		// As in Plaid's reference code: an unseen kid hints at a rotation, so re-fetch the cached keys
		// not yet expired; otherwise a key Plaid expires would stay trusted for the life of the process.
		const refreshes = [...this.keys]
			.filter(([, key]) => key.expired_at === null)
			.map(async ([liveKid]) => await this.fetch(liveKid, fetchKey).catch(() => undefined));
		const [key] = await Promise.all([this.fetch(kid, fetchKey), ...refreshes]);
		return key;
	}

	private fetch(kid: string, fetchKey: (kid: string) => Promise<PlaidJwk>): Promise<PlaidJwk> {
		let pending = this.inFlight.get(kid);
		if (!pending) {
			// The async wrapper turns a synchronous throw into a rejection, settled after the set below.
			pending = (async () => await fetchKey(kid))().then((key) => {
				this.keys.set(kid, key);
				return key;
			});
			this.inFlight.set(kid, pending);
			const settled = () => this.inFlight.delete(kid);
			void pending.then(settled, settled);
		}
		return pending;
	}
}
