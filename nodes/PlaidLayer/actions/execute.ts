import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { openPlaidConnection, plaidRequest, type PlaidConnection, type RequestPolicy } from '../transport';
import { errorToJson, toNodeError } from '../transport/errors';
import { invalidParameter, itemContext, readParameter } from './parameters';
import type { LocalOperation, NodeOperation, PlaidPrerequisite } from './types';

export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { hide: { resource: ['onboardingPage'] } },
	options: [
		{
			displayName: 'Concurrent Requests',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 5,
			description:
				'How many items are sent to Plaid at the same time. Higher is faster for big batches; Plaid rate-limits per client, and 429 answers are retried.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'How often a request is sent again after a rate limit (429), a Plaid or gateway error (5xx), a reset connection or a timeout, waiting longer each time. Other errors are never retried.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 30,
			description: 'How long to wait for each answer from Plaid before giving up on that attempt',
		},
	],
};

interface RequestOptions extends RequestPolicy {
	concurrency: number;
}

function readRequestOptions(context: IExecuteFunctions): RequestOptions {
	const options = readParameter(context, 'requestOptions', 0, {}) as IDataObject;
	const at = itemContext(context, 0);
	const whole = (name: string, label: string, fallback: number, min: number, max: number): number => {
		const value = options[name] ?? fallback;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
			throw invalidParameter(at, label, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`, `Set ${label} between ${min} and ${max}.`);
		}
		return value;
	};
	return {
		concurrency: whole('concurrency', 'Concurrent Requests', 5, 1, 50),
		maxRetries: whole('maxRetries', 'Max Retries', 3, 0, 10),
		timeoutMs: whole('timeoutSeconds', 'Timeout (Seconds)', 30, 1, 300) * 1000,
	};
}

/**
 * Runs one operation over all input items: every item's request is built (and so validated)
 * before the first is sent, then requests go out with bounded concurrency. Output keeps input
 * order: each input item's output (one item, or one per account for list operations) paired with
 * it. Without continue-on-fail the first failure stops new requests and fails the node; with it,
 * failures become error items.
 */
export async function executeOperation(
	this: IExecuteFunctions,
	operation: NodeOperation,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	// Per input item, the output items it gave: usually one, one per account for list operations.
	const output: INodeExecutionData[][] = Array.from({ length: items.length }, () => []);
	const continueOnFail = this.continueOnFail();
	const fail = (itemIndex: number, error: unknown) => {
		const nodeError = toNodeError(this.getNode(), error, itemIndex);
		if (!continueOnFail) throw nodeError;
		output[itemIndex] = [{ json: { error: errorToJson(nodeError) }, pairedItem: { item: itemIndex } }];
	};
	if ('run' in operation) {
		await runLocally(this, operation, items.length, output, fail);
		return output.flat();
	}

	// One credential read per execution; a credential or option problem is reported on every item.
	let connection: PlaidConnection | undefined;
	let setupProblem: unknown;
	let concurrency = 1;
	try {
		const options = readRequestOptions(this);
		concurrency = options.concurrency;
		connection = await openPlaidConnection.call(this, options);
	} catch (error) {
		setupProblem = error;
	}

	const requests: Array<{ body: IDataObject; first?: PlaidPrerequisite } | undefined> = items.map((_, itemIndex) => {
		try {
			if (!connection) throw setupProblem;
			const body = operation.buildRequest(this, itemIndex, connection.environment);
			return { body, first: operation.prerequisite?.(this, itemIndex, body) };
		} catch (error) {
			fail(itemIndex, error);
			return undefined;
		}
	});
	if (!connection) return output.flat();

	const pending = requests.flatMap((request, itemIndex) => (request ? [itemIndex] : []));
	let next = 0;
	let stopped: unknown;
	const send = async (itemIndex: number) => {
		try {
			const { first } = requests[itemIndex]!;
			let { body } = requests[itemIndex]!;
			if (first) body = first.complete(body, await plaidRequest.call(this, connection, first.endpoint, first.body, itemIndex));
			const response = await plaidRequest.call(this, connection, operation.endpoint, body, itemIndex, operation.retryPolicy);
			const shaped = operation.toOutput(response, this, itemIndex);
			output[itemIndex] = (Array.isArray(shaped) ? shaped : [shaped]).map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (error) {
			fail(itemIndex, error);
		}
	};
	const worker = async () => {
		while (stopped === undefined && next < pending.length) {
			try {
				await send(pending[next++]);
			} catch (error) {
				stopped ??= error;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
	if (stopped !== undefined) throw stopped;
	return output.flat();
}

/** An operation without a Plaid request: no credential read, no request options; same pairing and continue-on-fail. */
async function runLocally(
	context: IExecuteFunctions,
	operation: LocalOperation,
	itemCount: number,
	output: INodeExecutionData[][],
	fail: (itemIndex: number, error: unknown) => void,
): Promise<void> {
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			output[itemIndex] = [{ ...(await operation.run(context, itemIndex)), pairedItem: { item: itemIndex } }];
		} catch (error) {
			fail(itemIndex, error);
		}
	}
}
