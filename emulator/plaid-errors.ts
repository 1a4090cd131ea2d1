import { randomBytes } from 'node:crypto';

/** A Plaid-style identifier such as a request_id: 15 characters of [A-Za-z0-9]. */
export function plaidId(length = 15): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

export interface PlaidErrorAnswer {
	status: number;
	body: Record<string, unknown>;
}

/** An error exactly in Plaid's `PlaidError` shape (see plaid-spec.json). */
export function plaidError(
	status: number,
	errorType: string,
	errorCode: string,
	errorMessage: string,
	displayMessage: string | null = null,
): PlaidErrorAnswer {
	return {
		status,
		body: {
			display_message: displayMessage,
			documentation_url: `https://plaid.com/docs/errors/${errorType.toLowerCase().replace(/_/g, '-')}/#${errorCode.toLowerCase()}`,
			error_code: errorCode,
			error_code_reason: null,
			error_message: errorMessage,
			error_type: errorType,
			request_id: plaidId(),
			suggested_action: null,
			causes: [],
			status: null,
		},
	};
}

export const invalidRequest = (code: string, message: string) => plaidError(400, 'INVALID_REQUEST', code, message);
