import { NodeOperationError } from 'n8n-workflow';

/** The NodeOperationError a builder refuses its input with; any other error, or none, fails the test. */
export function refusalOf(build: () => unknown): NodeOperationError {
	try {
		build();
	} catch (error) {
		if (error instanceof NodeOperationError) return error;
		throw error;
	}
	throw new Error('the input was accepted');
}
