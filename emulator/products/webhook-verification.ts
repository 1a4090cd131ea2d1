/** `/webhook_verification_key/get` (https://plaid.com/docs/api/webhooks/webhook-verification/): the keys the emulator signs webhooks with. */
import { plaidError } from '../plaid-errors';
import { ok, type EmulatorState, type EndpointAnswer } from '../state';

export function webhookVerificationKeyGet(body: Record<string, unknown>, state: EmulatorState): EndpointAnswer {
	const key = state.signer.jwk(body.key_id as string);
	if (!key) return plaidError(400, 'INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID', 'invalid key_id provided');
	return ok({ key });
}
