/**
 * Plaid webhook verification against webhooks signed by the emulator: the accepted case, every
 * documented refusal with its reason, the key cache, and delivery over loopback HTTP.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { validate } from '../../emulator/schema';
import { deliverWebhook, layerAuthenticationPassed, sessionFinished, WebhookSigner } from '../../emulator/webhooks';
import {
	VerificationKeyCache,
	verifyPlaidWebhook,
	type PlaidJwk,
	type VerificationResult,
} from '../../nodes/PlaidTrigger/verification';

const BODY = JSON.stringify(layerAuthenticationPassed({ link_token: 'link-sandbox-abc' }), null, 2);
const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;

let signer: WebhookSigner;

beforeEach(() => {
	signer = new WebhookSigner();
});

/** What a Plaid client does: the key, or a rejection for a kid Plaid does not know. */
function keysOf(source: WebhookSigner) {
	return jest.fn(async (kid: string): Promise<PlaidJwk> => {
		const jwk = source.jwk(kid);
		if (!jwk) throw new Error('unknown key id');
		return jwk;
	});
}

async function check(
	verificationHeader: string | undefined,
	options: { rawBody?: Buffer | string; now?: number; getKey?: (kid: string) => Promise<PlaidJwk> } = {},
): Promise<VerificationResult> {
	return await verifyPlaidWebhook({
		verificationHeader,
		rawBody: options.rawBody ?? BODY,
		now: options.now ?? NOW_MS,
		getKey: options.getKey ?? keysOf(signer),
	});
}

const refusal = (reason: string) => ({ ok: false, reason });

function b64(value: string | Buffer): string {
	return Buffer.from(value).toString('base64url');
}

function parts(jwt: string): [string, string, string] {
	return jwt.split('.') as [string, string, string];
}

describe('verifyPlaidWebhook', () => {
	test('accepts a webhook signed with the current key', async () => {
		const header = signer.sign(BODY, { iat: NOW_S - 10 });
		expect(await check(header)).toEqual({ ok: true, kid: signer.currentKid, issuedAt: NOW_S - 10 });
	});

	test('accepts the raw body as a Buffer', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		expect(await check(header, { rawBody: Buffer.from(BODY) })).toMatchObject({ ok: true });
	});

	test('accepts a webhook signed with the real clock when no time is given', async () => {
		const result = await verifyPlaidWebhook({ verificationHeader: signer.sign(BODY), rawBody: BODY, getKey: keysOf(signer) });
		expect(result).toMatchObject({ ok: true, kid: signer.currentKid });
	});

	test('accepts a key that was rotated out but not expired', async () => {
		const oldKid = signer.currentKid;
		signer.rotate();
		expect(await check(signer.sign(BODY, { kid: oldKid, iat: NOW_S }))).toEqual({ ok: true, kid: oldKid, issuedAt: NOW_S });
	});

	test.each([undefined, ''])('refuses a missing Plaid-Verification header (%p)', async (header) => {
		const getKey = keysOf(signer);
		expect(await check(header, { getKey })).toEqual(refusal('missing Plaid-Verification header'));
		expect(getKey).not.toHaveBeenCalled();
	});

	test('refuses a missing raw body instead of throwing', async () => {
		const result = await verifyPlaidWebhook({
			verificationHeader: signer.sign(BODY, { iat: NOW_S }),
			rawBody: undefined as unknown as string,
			now: NOW_MS,
			getKey: keysOf(signer),
		});
		expect(result).toEqual(refusal('missing raw request body'));
	});

	test('refuses alg HS256 without looking up a key', async () => {
		const getKey = keysOf(signer);
		const header = signer.sign(BODY, { iat: NOW_S, header: { alg: 'HS256' } });
		expect(await check(header, { getKey })).toEqual(refusal('JWT alg must be ES256, got HS256'));
		expect(getKey).not.toHaveBeenCalled();
	});

	test('refuses an unsigned alg none token', async () => {
		const header = b64(JSON.stringify({ alg: 'none', kid: signer.currentKid, typ: 'JWT' }));
		const payload = parts(signer.sign(BODY, { iat: NOW_S }))[1];
		expect(await check(`${header}.${payload}.`)).toEqual(refusal('JWT alg must be ES256, got none'));
	});

	test('refuses a header without alg', async () => {
		const header = signer.sign(BODY, { iat: NOW_S, header: { alg: undefined } });
		expect(await check(header)).toEqual(refusal('JWT alg must be ES256, got no alg'));
	});

	test.each([undefined, '', 42])('refuses a header whose kid is %p', async (kid) => {
		const getKey = keysOf(signer);
		const header = signer.sign(BODY, { iat: NOW_S, header: { kid } });
		expect(await check(header, { getKey })).toEqual(refusal('JWT header has no kid'));
		expect(getKey).not.toHaveBeenCalled();
	});

	test('refuses a kid Plaid does not know', async () => {
		const header = signer.sign(BODY, { iat: NOW_S, header: { kid: 'not-a-plaid-kid' } });
		expect(await check(header)).toEqual(refusal('could not fetch verification key: unknown key id'));
	});

	test('refuses when the key cannot be fetched, whatever is thrown', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		const failing = async () => {
			throw new Error('Plaid answered 503');
		};
		expect(await check(header, { getKey: failing })).toEqual(refusal('could not fetch verification key: Plaid answered 503'));
		const throwsString = () => Promise.reject('socket hang up');
		expect(await check(header, { getKey: throwsString })).toEqual(refusal('could not fetch verification key: socket hang up'));
	});

	test('refuses an expired key', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		signer.expire(signer.currentKid);
		expect(await check(header)).toEqual(refusal('verification key expired'));
	});

	test('refuses a key answered for another kid', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		const otherKid = signer.rotate();
		const getKey = async () => signer.jwk(otherKid)!;
		expect(await check(header, { getKey })).toEqual(refusal('verification key id does not match the JWT kid'));
	});

	test('refuses a key that is not EC P-256 or not a valid point', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		const jwk = signer.jwk(signer.currentKid)!;
		expect(await check(header, { getKey: async () => ({ ...jwk, crv: 'P-384' }) })).toEqual(
			refusal('verification key is not an EC P-256 key'),
		);
		expect(await check(header, { getKey: async () => ({ ...jwk, x: b64(Buffer.alloc(32, 1)) }) })).toEqual(
			refusal('verification key is not a valid public key'),
		);
	});

	test('refuses a signature from a key Plaid never published', async () => {
		const header = signer.signWithUnpublishedKey(BODY, { iat: NOW_S });
		expect(parts(header)[0]).toBe(parts(signer.sign(BODY, { iat: NOW_S }))[0]);
		expect(await check(header)).toEqual(refusal('signature does not match'));
	});

	test('refuses a signed payload swapped for another one', async () => {
		const [header, , signature] = parts(signer.sign(BODY, { iat: NOW_S }));
		const otherPayload = parts(signer.sign('{"webhook_type":"LAYER"}', { iat: NOW_S }))[1];
		expect(await check(`${header}.${otherPayload}.${signature}`)).toEqual(refusal('signature does not match'));
	});

	test('refuses a signature that is not 64 bytes of r || s', async () => {
		const [header, payload] = parts(signer.sign(BODY, { iat: NOW_S }));
		expect(await check(`${header}.${payload}.${b64(randomBytes(70))}`)).toEqual(
			refusal('malformed JWT: ES256 signature must be 64 bytes'),
		);
	});

	test('refuses a body changed after signing', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		const tampered = BODY.replace('link-sandbox-abc', 'link-sandbox-evil');
		expect(await check(header, { rawBody: tampered })).toEqual(refusal('webhook body does not match request_body_sha256'));
	});

	test('refuses a body that was re-serialized instead of kept raw', async () => {
		const header = signer.sign(BODY, { iat: NOW_S });
		const reserialized = JSON.stringify(JSON.parse(BODY));
		expect(await check(header, { rawBody: reserialized })).toEqual(refusal('webhook body does not match request_body_sha256'));
	});

	test('refuses a request_body_sha256 of the wrong length without throwing', async () => {
		const header = signer.sign(BODY, { iat: NOW_S, claims: { request_body_sha256: 'abc' } });
		expect(await check(header)).toEqual(refusal('webhook body does not match request_body_sha256'));
	});

	test('refuses a payload without request_body_sha256', async () => {
		const header = signer.sign(BODY, { iat: NOW_S, claims: { request_body_sha256: undefined } });
		expect(await check(header)).toEqual(refusal('JWT has no request_body_sha256'));
	});

	test('accepts a JWT exactly 5 minutes old', async () => {
		expect(await check(signer.sign(BODY, { iat: NOW_S - 300 }))).toMatchObject({ ok: true });
	});

	test.each([301, 360])('refuses a JWT issued %i seconds ago', async (age) => {
		expect(await check(signer.sign(BODY, { iat: NOW_S - age }))).toEqual(refusal('JWT issued more than 5 minutes ago'));
	});

	test('refuses a JWT issued more than 5 minutes in the future', async () => {
		expect(await check(signer.sign(BODY, { iat: NOW_S + 360 }))).toEqual(
			refusal('JWT issued more than 5 minutes in the future'),
		);
	});

	test.each([['a string', '1750000000'], ['missing', undefined], ['null', null]])('refuses an iat that is %s', async (_, iat) => {
		const header = signer.sign(BODY, { claims: { iat } });
		expect(await check(header)).toEqual(refusal('JWT iat must be a number'));
	});

	describe('refuses a malformed JWT without looking up a key', () => {
		const payload = b64(JSON.stringify({ iat: NOW_S, request_body_sha256: 'x' }));
		const es256Header = (kid: string) => b64(JSON.stringify({ alg: 'ES256', kid, typ: 'JWT' }));
		const signature = b64(randomBytes(64));
		test.each([
			['two parts', () => `${es256Header('k')}.${payload}`, 'malformed JWT: expected 3 dot-separated parts'],
			['four parts', () => `${es256Header('k')}.${payload}.${signature}.x`, 'malformed JWT: expected 3 dot-separated parts'],
			['not a JWT at all', () => 'Bearer something', 'malformed JWT: expected 3 dot-separated parts'],
			['header not base64url', () => `${es256Header('k')}!.${payload}.${signature}`, 'malformed JWT: header is not base64url-encoded JSON'],
			['header not JSON', () => `${b64('not json')}.${payload}.${signature}`, 'malformed JWT: header is not base64url-encoded JSON'],
			['header a JSON array', () => `${b64('["ES256"]')}.${payload}.${signature}`, 'malformed JWT: header is not base64url-encoded JSON'],
			['header JSON null', () => `${b64('null')}.${payload}.${signature}`, 'malformed JWT: header is not base64url-encoded JSON'],
			['empty header', () => `.${payload}.${signature}`, 'malformed JWT: header is not base64url-encoded JSON'],
			['payload not base64url', () => `${es256Header('k')}.${payload}*.${signature}`, 'malformed JWT: payload is not base64url-encoded JSON'],
			['payload not JSON', () => `${es256Header('k')}.${b64('{"iat":')}.${signature}`, 'malformed JWT: payload is not base64url-encoded JSON'],
			['signature not base64url', () => `${es256Header('k')}.${payload}.${signature.slice(1)}+/=`, 'malformed JWT: ES256 signature must be 64 bytes'],
			['signature empty', () => `${es256Header('k')}.${payload}.`, 'malformed JWT: ES256 signature must be 64 bytes'],
		])('%s', async (_, jwt, reason) => {
			const getKey = keysOf(signer);
			expect(await check(jwt(), { getKey })).toEqual(refusal(reason));
			expect(getKey).not.toHaveBeenCalled();
		});
	});
});

/** A cache whose lookups all go through one fetcher, as a trigger's do for one credential. */
function keyCacheUsing(fetchKey: (kid: string) => Promise<PlaidJwk>) {
	const cache = new VerificationKeyCache();
	return { get: async (kid: string) => await cache.get(kid, fetchKey) };
}

describe('VerificationKeyCache', () => {
	function countingCache(source: WebhookSigner) {
		const fetchKey = keysOf(source);
		return { cache: keyCacheUsing(fetchKey), fetchKey };
	}

	test('fetches a kid once across webhooks', async () => {
		const { cache, fetchKey } = countingCache(signer);
		for (let i = 0; i < 3; i++) {
			const result = await check(signer.sign(BODY, { iat: NOW_S }), { getKey: async (kid) => await cache.get(kid) });
			expect(result).toMatchObject({ ok: true });
		}
		expect(fetchKey).toHaveBeenCalledTimes(1);
	});

	test('shares one fetch among concurrent lookups of a kid', async () => {
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const fetchKey = jest.fn(async (kid: string) => {
			await gate;
			return signer.jwk(kid)!;
		});
		const cache = keyCacheUsing(fetchKey);
		const lookups = Array.from({ length: 5 }, async () => await cache.get(signer.currentKid));
		release();
		const keys = await Promise.all(lookups);
		expect(fetchKey).toHaveBeenCalledTimes(1);
		expect(new Set(keys).size).toBe(1);
		expect(keys[0].kid).toBe(signer.currentKid);
	});

	test('does not keep a failed fetch: concurrent lookups share the failure, the next one retries', async () => {
		let failures = 1;
		const fetchKey = jest.fn(async (kid: string) => {
			if (failures-- > 0) throw new Error('Plaid answered 500');
			return signer.jwk(kid)!;
		});
		const cache = keyCacheUsing(fetchKey);
		const kid = signer.currentKid;
		const failed = await Promise.allSettled([cache.get(kid), cache.get(kid)]);
		expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
		expect(fetchKey).toHaveBeenCalledTimes(1);
		await expect(cache.get(kid)).resolves.toMatchObject({ kid });
		expect(fetchKey).toHaveBeenCalledTimes(2);
		await cache.get(kid);
		expect(fetchKey).toHaveBeenCalledTimes(2);
	});

	test('does not keep a fetch that throws synchronously', async () => {
		let calls = 0;
		const cache = keyCacheUsing((kid: string) => {
			if (calls++ === 0) throw new Error('no network');
			return Promise.resolve(signer.jwk(kid)!);
		});
		await expect(cache.get(signer.currentKid)).rejects.toThrow('no network');
		await expect(cache.get(signer.currentKid)).resolves.toMatchObject({ kid: signer.currentKid });
	});

	test('a new kid after rotation triggers a fetch, and refreshes the live cached keys', async () => {
		const { cache, fetchKey } = countingCache(signer);
		const firstKid = signer.currentKid;
		await cache.get(firstKid);
		const secondKid = signer.rotate();
		await cache.get(secondKid);
		expect(fetchKey.mock.calls.map(([kid]) => kid).sort()).toEqual([firstKid, firstKid, secondKid].sort());
		await cache.get(firstKid);
		await cache.get(secondKid);
		expect(fetchKey).toHaveBeenCalledTimes(3);
	});

	test('learns on rotation that a cached key expired, and keeps returning it expired', async () => {
		const { cache, fetchKey } = countingCache(signer);
		const getKey = async (kid: string) => await cache.get(kid);
		const oldKid = signer.currentKid;
		expect(await check(signer.sign(BODY, { iat: NOW_S }), { getKey })).toMatchObject({ ok: true });

		signer.expire(oldKid);
		const newKid = signer.rotate();
		expect(await check(signer.sign(BODY, { iat: NOW_S }), { getKey })).toEqual({ ok: true, kid: newKid, issuedAt: NOW_S });
		expect(await check(signer.sign(BODY, { kid: oldKid, iat: NOW_S }), { getKey })).toEqual(refusal('verification key expired'));
		expect(fetchKey).toHaveBeenCalledTimes(3);

		// An expired key is final: a later rotation does not fetch it again.
		const newestKid = signer.rotate();
		await cache.get(newestKid);
		expect(fetchKey.mock.calls.slice(3).map(([kid]) => kid).sort()).toEqual([newKid, newestKid].sort());
	});

	test('keeps a cached key when refreshing it fails', async () => {
		const firstKid = signer.currentKid;
		const fetchKey = jest.fn(async (kid: string) => {
			if (kid === firstKid && fetchKey.mock.calls.length > 1) throw new Error('Plaid answered 500');
			return signer.jwk(kid)!;
		});
		const cache = keyCacheUsing(fetchKey);
		const original = await cache.get(firstKid);
		const secondKid = signer.rotate();
		await expect(cache.get(secondKid)).resolves.toMatchObject({ kid: secondKid });
		expect(fetchKey).toHaveBeenCalledTimes(3);
		expect(await cache.get(firstKid)).toBe(original);
	});
});

describe('emulator webhooks', () => {
	test('payloads match Plaid’s published webhook schemas', () => {
		const passed = layerAuthenticationPassed({ link_token: 'link-sandbox-1' });
		expect(validate(passed, 'LayerAuthenticationPassedWebhook', true)).toEqual([]);
		expect(passed).toMatchObject({ webhook_type: 'LAYER', webhook_code: 'LAYER_AUTHENTICATION_PASSED', environment: 'sandbox' });

		const finished = sessionFinished({ link_token: 'link-sandbox-1', public_tokens: ['public-sandbox-1', 'public-sandbox-2'], user_id: 'usr_1' });
		expect(validate(finished, 'LinkSessionFinishedWebhook', true)).toEqual([]);
		expect(finished).toMatchObject({
			webhook_type: 'LINK',
			webhook_code: 'SESSION_FINISHED',
			status: 'SUCCESS',
			public_token: 'public-sandbox-1',
			user_id: 'usr_1',
			environment: 'sandbox',
		});

		const exited = sessionFinished({ link_token: 'link-sandbox-1', public_tokens: [], status: 'EXITED', environment: 'production' });
		expect(validate(exited, 'LinkSessionFinishedWebhook', true)).toEqual([]);
		expect(exited).not.toHaveProperty('public_token');
		expect(exited).not.toHaveProperty('user_id');
	});

	test('the published key has the shape of /webhook_verification_key/get', () => {
		const jwk = signer.jwk(signer.currentKid);
		expect(validate({ key: jwk, request_id: 'req' }, 'WebhookVerificationKeyGetResponse', true)).toEqual([]);
		expect(jwk).toMatchObject({ alg: 'ES256', crv: 'P-256', kty: 'EC', use: 'sig', kid: signer.currentKid, expired_at: null });
		expect(signer.jwk('nope')).toBeUndefined();
	});

	test('the JWT header is the one Plaid documents', () => {
		const header: unknown = JSON.parse(Buffer.from(parts(signer.sign(BODY))[0], 'base64url').toString());
		expect(header).toEqual({ alg: 'ES256', kid: signer.currentKid, typ: 'JWT' });
	});

	describe('deliverWebhook', () => {
		let server: Server;
		let url: string;
		const received: Array<{ contentType: string | undefined; body: string }> = [];

		beforeAll(async () => {
			const cache = keyCacheUsing(async (kid) => {
				const jwk = signer.jwk(kid);
				if (!jwk) throw new Error('unknown key id');
				return jwk;
			});
			// A receiver like the trigger: verify the raw bytes, answer 401 with the reason when refused.
			server = createServer((request, response) => {
				const chunks: Buffer[] = [];
				request.on('data', (chunk: Buffer) => chunks.push(chunk));
				request.on('end', () => {
					const rawBody = Buffer.concat(chunks);
					received.push({ contentType: request.headers['content-type'], body: rawBody.toString() });
					void verifyPlaidWebhook({
						verificationHeader: request.headers['plaid-verification'] as string | undefined,
						rawBody,
						getKey: async (kid) => await cache.get(kid),
					}).then((result) => {
						response.writeHead(result.ok ? 200 : 401).end(result.ok ? 'ok' : result.reason);
					});
				});
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
		});
		afterAll(async () => {
			await new Promise((resolve) => server.close(resolve));
		});
		beforeEach(() => {
			received.length = 0;
		});

		test('a signed webhook is accepted, as JSON, with the payload intact', async () => {
			const payload = sessionFinished({ link_token: 'link-sandbox-2', public_tokens: ['public-sandbox-9'] });
			expect(await deliverWebhook(url, payload, signer)).toEqual({ status: 200, body: 'ok' });
			expect(received).toHaveLength(1);
			expect(received[0].contentType).toBe('application/json');
			expect(JSON.parse(received[0].body)).toEqual(payload);
		});

		test('a body changed in transit is refused', async () => {
			const payload = layerAuthenticationPassed({ link_token: 'link-sandbox-3' });
			const tamper = (body: string) => body.replace('link-sandbox-3', 'link-sandbox-4');
			expect(await deliverWebhook(url, payload, signer, { tamper })).toEqual({
				status: 401,
				body: 'webhook body does not match request_body_sha256',
			});
		});

		test('an unsigned webhook is refused', async () => {
			const payload = layerAuthenticationPassed({ link_token: 'link-sandbox-5' });
			expect(await deliverWebhook(url, payload, signer, { unsigned: true })).toEqual({
				status: 401,
				body: 'missing Plaid-Verification header',
			});
		});

		test('a replayed old webhook is refused', async () => {
			const payload = layerAuthenticationPassed({ link_token: 'link-sandbox-6' });
			const iat = Math.floor(Date.now() / 1000) - 6 * 60;
			expect(await deliverWebhook(url, payload, signer, { sign: { iat } })).toEqual({
				status: 401,
				body: 'JWT issued more than 5 minutes ago',
			});
		});

		test('refuses to deliver anywhere but this machine', async () => {
			await expect(deliverWebhook('https://example.com/webhook', {}, signer)).rejects.toThrow('refusing to deliver');
			expect(received).toHaveLength(0);
		});
	});
});
