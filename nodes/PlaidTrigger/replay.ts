/**
 * Remembers which signed Plaid deliveries already started a workflow, so a copy of one sent again
 * while its JWT is still valid is answered without starting the workflow twice. Plaid's JWT is
 * accepted for 5 minutes after its `iat` (verification.ts); a copy older than that is refused by
 * verification itself, so nothing needs remembering longer.
 */
import { createHash } from 'node:crypto';

import { MAX_JWT_AGE_SECONDS } from './verification';

/**
 * Deliveries kept per Plaid account (about 100 bytes each, 5 MiB in all). 50,000 in 5 minutes is
 * 166 executions a second, above what one n8n process starts (25–87 a second measured); past it
 * the oldest are forgotten first.
 */
export const REPLAY_MEMORY_CAP = 50_000;

/** The order of P-256: an ES256 signature (r, s) also verifies as (r, n − s). */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/**
 * Identifies one signed delivery to one trigger: the SHA-256 of the trigger and the JWT, with its
 * signature in one canonical form. A JWT can be rewritten into another string that still verifies —
 * s replaced by n − s, or the last base64url character spelled differently — so the raw string
 * would let such a copy in as new; Plaid's separate signings of one body stay separate deliveries
 * (ES256 signatures are randomised). Call it with a JWT that passed verification.
 */
export function deliveryKey(jwt: string, trigger: string): string {
	const [header, payload, encodedSignature] = jwt.split('.');
	const signature = Buffer.from(encodedSignature, 'base64url');
	const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
	const lowS = s > P256_ORDER / 2n ? P256_ORDER - s : s;
	return createHash('sha256')
		.update(`${trigger}\n${header}.${payload}\n${signature.subarray(0, 32).toString('hex')}${lowS.toString(16).padStart(64, '0')}`)
		.digest('base64url');
}

/** Accepted deliveries of one Plaid account, each until its JWT would be refused as too old. */
export class ReplayMemory {
	/** Delivery key → the last moment (ms) its JWT passes verification; in the order remembered. */
	private readonly accepted = new Map<string, number>();

	constructor(private readonly cap = REPLAY_MEMORY_CAP) {}

	get size(): number {
		return this.accepted.size;
	}

	/** Whether this delivery was accepted before and its JWT is still valid at `now`. */
	has(key: string, now: number): boolean {
		this.forgetExpired(now);
		const validUntil = this.accepted.get(key);
		return validUntil !== undefined && now <= validUntil;
	}

	/** Records an accepted delivery whose JWT was issued at `issuedAt` (Unix seconds). */
	remember(key: string, issuedAt: number, now: number): void {
		this.forgetExpired(now);
		this.accepted.delete(key);
		if (this.accepted.size >= this.cap) this.accepted.delete(this.accepted.keys().next().value as string);
		this.accepted.set(key, (issuedAt + MAX_JWT_AGE_SECONDS) * 1000);
	}

	/** Drops expired entries from the front; ones behind a live entry wait, bounded by the cap. */
	private forgetExpired(now: number): void {
		for (const [key, validUntil] of this.accepted) {
			if (validUntil >= now) return;
			this.accepted.delete(key);
		}
	}
}

/** One memory per Plaid account, so one busy account cannot push another's deliveries out. */
export class ReplayMemories {
	private readonly byAccount = new Map<string, ReplayMemory>();

	constructor(private readonly cap = REPLAY_MEMORY_CAP) {}

	for(account: string): ReplayMemory {
		let memory = this.byAccount.get(account);
		if (!memory) {
			memory = new ReplayMemory(this.cap);
			this.byAccount.set(account, memory);
		}
		return memory;
	}
}
