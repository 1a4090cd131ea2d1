/**
 * The Plaid Trigger's memory of accepted deliveries: what identifies one signed delivery (also
 * when its signature is rewritten into another valid one), how long it is kept (the JWT's
 * 5-minute window), the cap, and one memory per Plaid account.
 */
import { WebhookSigner } from '../../emulator/webhooks';
import { deliveryKey, REPLAY_MEMORY_CAP, ReplayMemories, ReplayMemory } from '../../nodes/PlaidTrigger/replay';
import { verifyPlaidWebhook } from '../../nodes/PlaidTrigger/verification';

const BODY = '{\n  "webhook_type": "ITEM",\n  "webhook_code": "ERROR"\n}';
const IAT = 1_750_000_000;
const AT = (secondsAfterIat: number) => (IAT + secondsAfterIat) * 1000;
const TRIGGER = 'workflow-1|trigger-node';

/** The P-256 group order: an ECDSA signature (r, s) verifies as (r, n − s) too. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

function withOtherS(jwt: string): string {
	const [header, payload, signature] = jwt.split('.');
	const bytes = Buffer.from(signature, 'base64url');
	const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
	const otherS = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
	return `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), otherS]).toString('base64url')}`;
}

/** The same signature bytes with the unused low bits of the last base64url character set. */
function withOtherSpelling(jwt: string): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	const last = alphabet.indexOf(jwt.at(-1)!);
	return jwt.slice(0, -1) + alphabet[(last & ~0b11) | (~last & 0b11)];
}

describe('deliveryKey', () => {
	const signer = new WebhookSigner();
	const jwt = signer.sign(BODY, { iat: IAT });
	const verifies = async (header: string) =>
		await verifyPlaidWebhook({ verificationHeader: header, rawBody: BODY, now: AT(1), getKey: async (kid) => signer.jwk(kid)! });

	test('one delivery, one key; another trigger, iat or body, another key', () => {
		expect(deliveryKey(jwt, TRIGGER)).toBe(deliveryKey(jwt, TRIGGER));
		expect(deliveryKey(jwt, 'workflow-2|trigger-node')).not.toBe(deliveryKey(jwt, TRIGGER));
		expect(deliveryKey(signer.sign(BODY, { iat: IAT + 1 }), TRIGGER)).not.toBe(deliveryKey(jwt, TRIGGER));
		expect(deliveryKey(signer.sign(`${BODY} `, { iat: IAT }), TRIGGER)).not.toBe(deliveryKey(jwt, TRIGGER));
	});

	test.each([
		['(r, n − s)', withOtherS],
		['its last character spelled differently', withOtherSpelling],
	])('a signature rewritten as %s still verifies, and is still the same delivery', async (_, rewrite) => {
		const rewritten = rewrite(jwt);
		expect(rewritten).not.toBe(jwt);
		expect(await verifies(jwt)).toMatchObject({ ok: true });
		expect(await verifies(rewritten)).toMatchObject({ ok: true });
		expect(deliveryKey(rewritten, TRIGGER)).toBe(deliveryKey(jwt, TRIGGER));
	});

	test('Plaid signing the same body in the same second twice makes two deliveries', () => {
		// ES256 signatures are randomised: the second JWT has another r.
		const again = signer.sign(BODY, { iat: IAT });
		expect(again.split('.').slice(0, 2)).toEqual(jwt.split('.').slice(0, 2));
		expect(deliveryKey(again, TRIGGER)).not.toBe(deliveryKey(jwt, TRIGGER));
	});
});

describe('ReplayMemory', () => {
	test('remembers a delivery for as long as its JWT passes verification: 5 minutes after iat', () => {
		const memory = new ReplayMemory();
		expect(memory.has('a', AT(0))).toBe(false);
		memory.remember('a', IAT, AT(2));
		expect(memory.has('a', AT(2))).toBe(true);
		expect(memory.has('a', AT(300))).toBe(true);
		expect(memory.has('a', AT(300) + 1)).toBe(false);
		expect(memory.size).toBe(0);
	});

	test('a JWT issued ahead of the clock is kept until 5 minutes after its iat', () => {
		const memory = new ReplayMemory();
		memory.remember('ahead', IAT + 200, AT(0));
		expect(memory.has('ahead', AT(499))).toBe(true);
		expect(memory.has('ahead', AT(501))).toBe(false);
	});

	test('expired deliveries are dropped as new ones come in', () => {
		const memory = new ReplayMemory();
		for (let i = 0; i < 100; i++) memory.remember(`old-${i}`, IAT, AT(1));
		expect(memory.size).toBe(100);
		memory.remember('new', IAT + 400, AT(400));
		expect(memory.size).toBe(1);
		expect(memory.has('new', AT(400))).toBe(true);
	});

	test('never holds more than its cap: the oldest remembered go first', () => {
		const memory = new ReplayMemory(3);
		for (const key of ['a', 'b', 'c', 'd']) memory.remember(key, IAT, AT(1));
		expect(memory.size).toBe(3);
		expect(['a', 'b', 'c', 'd'].map((key) => memory.has(key, AT(2)))).toEqual([false, true, true, true]);
	});

	test('the default cap holds 50,000 live deliveries and stops there', () => {
		const memory = new ReplayMemory();
		for (let i = 0; i < REPLAY_MEMORY_CAP + 500; i++) memory.remember(`delivery-${i}`, IAT, AT(1));
		expect(memory.size).toBe(REPLAY_MEMORY_CAP);
		expect(memory.has('delivery-499', AT(2))).toBe(false);
		expect(memory.has('delivery-500', AT(2))).toBe(true);
		expect(REPLAY_MEMORY_CAP).toBe(50_000);
	});

	test('remembering a delivery again keeps one entry', () => {
		const memory = new ReplayMemory(2);
		memory.remember('a', IAT, AT(1));
		memory.remember('a', IAT, AT(1));
		memory.remember('b', IAT, AT(1));
		expect(memory.size).toBe(2);
		expect(memory.has('a', AT(2))).toBe(true);
	});
});

describe('ReplayMemories', () => {
	test('one memory per Plaid account: a delivery seen by one account is unknown to another', () => {
		const memories = new ReplayMemories();
		expect(memories.for('https://sandbox.plaid.com|client-a')).toBe(memories.for('https://sandbox.plaid.com|client-a'));
		memories.for('https://sandbox.plaid.com|client-a').remember('k', IAT, AT(1));
		expect(memories.for('https://sandbox.plaid.com|client-a').has('k', AT(2))).toBe(true);
		expect(memories.for('https://sandbox.plaid.com|client-b').has('k', AT(2))).toBe(false);
		expect(memories.for('https://production.plaid.com|client-a').has('k', AT(2))).toBe(false);
	});

	test('a busy account cannot push another account’s deliveries out', () => {
		const memories = new ReplayMemories(5);
		memories.for('quiet').remember('kept', IAT, AT(1));
		for (let i = 0; i < 50; i++) memories.for('busy').remember(`busy-${i}`, IAT, AT(1));
		expect(memories.for('busy').size).toBe(5);
		expect(memories.for('quiet').has('kept', AT(2))).toBe(true);
	});
});
