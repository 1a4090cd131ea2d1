/** How Plaid's answers and our own refusals become the errors an n8n user reads. */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { invalidParameter } from '../../nodes/PlaidLayer/actions/parameters';
import {
	connectionError,
	errorToJson,
	isPlaidErrorBody,
	plaidApiError,
	toNodeError,
	unexpectedResponseError,
} from '../../nodes/PlaidLayer/transport/errors';

const node: INode = {
	id: '1',
	name: 'Plaid Layer',
	type: 'n8n-nodes-plaid-layer.plaidLayer',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const rateLimited = {
	error_type: 'RATE_LIMIT_EXCEEDED',
	error_code: 'RATE_LIMIT',
	error_message: 'rate limit exceeded for attempts to access this endpoint',
	display_message: 'Too many attempts. Try again in a minute.',
	request_id: 'Wv8vZ2Vx9cmQ5eZ',
	documentation_url: 'https://plaid.com/docs/errors/rate-limit-exceeded/',
	suggested_action: 'Retry after a delay',
	causes: [],
	unrelated: 'not kept',
};

describe('Plaid error answers', () => {
	test('message has the code and Plaid\'s message; description the rest', () => {
		const error = plaidApiError(node, 429, rateLimited, 3);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Plaid RATE_LIMIT: rate limit exceeded for attempts to access this endpoint');
		expect(error.description).toBe(
			[
				'Message for the user: Too many attempts. Try again in a minute.',
				'Suggested action: Retry after a delay',
				'Plaid request ID: Wv8vZ2Vx9cmQ5eZ',
				'Docs: https://plaid.com/docs/errors/rate-limit-exceeded/',
			].join('\n'),
		);
		expect(error.httpCode).toBe('429');
		expect(error.context.itemIndex).toBe(3);
	});

	test('a null display_message and missing docs are left out of the description', () => {
		const error = plaidApiError(node, 400, { error_type: 'INVALID_REQUEST', error_code: 'MISSING_FIELDS', error_message: 'the following required fields are missing: template_id', display_message: null, request_id: 'abc' }, 0);

		expect(error.description).toBe('Plaid request ID: abc');
	});

	test('a continue-on-fail item keeps Plaid\'s documented fields and nothing else', () => {
		expect(errorToJson(plaidApiError(node, 429, rateLimited, 0))).toEqual({
			message: 'Plaid RATE_LIMIT: rate limit exceeded for attempts to access this endpoint',
			description: expect.stringContaining('Plaid request ID: Wv8vZ2Vx9cmQ5eZ'),
			http_code: '429',
			error_type: 'RATE_LIMIT_EXCEEDED',
			error_code: 'RATE_LIMIT',
			error_message: 'rate limit exceeded for attempts to access this endpoint',
			display_message: 'Too many attempts. Try again in a minute.',
			request_id: 'Wv8vZ2Vx9cmQ5eZ',
			documentation_url: 'https://plaid.com/docs/errors/rate-limit-exceeded/',
			suggested_action: 'Retry after a delay',
		});
	});

	test('after a lost answer the message says what most likely happened; Plaid’s own text leads the details', () => {
		const refused = { error_type: 'INVALID_INPUT', error_code: 'INVALID_PUBLIC_TOKEN', error_message: 'could not find matching public token', display_message: null, request_id: 'req2' };
		const error = plaidApiError(node, 400, refused, 0, 2, { lostAnswer: { message: 'the first attempt probably exchanged it', description: 'An earlier attempt got no answer (ECONNRESET).' } });

		expect(error.message).toBe('Plaid INVALID_PUBLIC_TOKEN: the first attempt probably exchanged it');
		expect(error.description).toBe(
			['An earlier attempt got no answer (ECONNRESET).', "Plaid's answer to the retry: could not find matching public token", 'Plaid request ID: req2', 'Tried 2 times; the last answer is shown.'].join('\n'),
		);
		expect(errorToJson(error)).toMatchObject({ error_code: 'INVALID_PUBLIC_TOKEN', error_message: 'could not find matching public token' });
	});

	test('a note goes before the attempts, for Plaid errors and lost connections alike', () => {
		expect(plaidApiError(node, 500, rateLimited, 0, 4, { note: 'It may be done.' }).description).toMatch(/Docs: \S+\nIt may be done\.\nTried 4 times/);
		expect(connectionError(node, 'https://sandbox.plaid.com', 'ECONNRESET', 0, 2, 'It may be done.').description).toMatch(/Base URL\.\nIt may be done\.\nTried 2 times/);
	});

	test('only objects with error_type and error_code count as Plaid errors', () => {
		expect(isPlaidErrorBody(rateLimited)).toBe(true);
		expect(isPlaidErrorBody({ error_code: 'X' })).toBe(false);
		expect(isPlaidErrorBody('<html>502</html>')).toBe(false);
		expect(isPlaidErrorBody(null)).toBe(false);
	});
});

describe('answers that are not Plaid\'s', () => {
	test('a gateway page says what answered', () => {
		const error = unexpectedResponseError(node, 502, '<html>Bad gateway</html>', 1);

		expect(error.message).toBe('Plaid request failed with HTTP 502 and no Plaid error in the answer');
		expect(error.description).toBe("The answer began with: <html>Bad gateway</html>\nCheck the credential's Environment or Base URL.");
		expect(error.httpCode).toBe('502');
	});

	test('a refused connection names the address and the code', () => {
		const error = connectionError(node, 'https://sandbox.plaid.com', 'ECONNREFUSED', 0);

		expect(error.message).toBe('Could not reach Plaid at https://sandbox.plaid.com');
		expect(error.description).toMatch(/^The connection failed with ECONNREFUSED\./);
	});
});

describe('our own refusals', () => {
	test('an invalid parameter is a NodeOperationError with the item index and the fix', () => {
		const error = toNodeError(node, invalidParameter({ node, itemIndex: 4 }, 'Redirect URI', 'must use https:// in Production', 'Use https://app.example.com/oauth.'), 4);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Redirect URI must use https:// in Production [item 4]');
		expect(error.description).toBe('Use https://app.example.com/oauth.');
		expect(error.context.itemIndex).toBe(4);
		expect(errorToJson(error)).toEqual({ message: 'Redirect URI must use https:// in Production [item 4]', description: 'Use https://app.example.com/oauth.' });
	});

	test('n8n errors pass through unchanged; anything else is wrapped with the item index', () => {
		const original = new NodeOperationError(node, 'already readable');
		expect(toNodeError(node, original, 0)).toBe(original);
		const wrapped = toNodeError(node, new TypeError('x is undefined'), 5);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('x is undefined');
		expect(wrapped.context.itemIndex).toBe(5);
	});
});
