import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../credentials/PlaidLayerApi.credentials';
import type { RetryPolicy } from '../transport/retry';

/** One node operation: its fields, the Plaid endpoint it calls, and how items map to and from it. */
export interface PlaidOperation {
	/** The Plaid endpoint, e.g. `/session/token/create`. */
	endpoint: string;
	/** Node fields shown for this operation (already scoped to it with displayOptions). */
	properties: INodeProperties[];
	/**
	 * How failed attempts are sent again and read: REPEATABLE (the default) when doing it twice is
	 * harmless, `onceOnly(…)` for a call Plaid does once and refuses after (see transport/retry.ts).
	 */
	retryPolicy?: RetryPolicy;
	/** Reads one item's parameters and returns the request body; refuses bad ones with NodeOperationError. */
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment): IDataObject;
	/**
	 * Shapes Plaid's answer into what later nodes read with expressions: one output item, or a list
	 * (e.g. one per account), every one paired with the input item.
	 */
	toOutput(response: IDataObject, context: IExecuteFunctions, itemIndex: number): IDataObject | IDataObject[];
}

/** An operation that sends no request (e.g. Render Layer Onboarding Page): each output item is built locally. */
export interface LocalOperation {
	/** Node fields shown for this operation (already scoped to it with displayOptions). */
	properties: INodeProperties[];
	/** Builds one item's output (json, and binary when it makes a file) from its parameters; refuses bad ones with NodeOperationError. */
	run(context: IExecuteFunctions, itemIndex: number): Promise<{ json: IDataObject; binary?: IBinaryKeyData }>;
}

export type NodeOperation = PlaidOperation | LocalOperation;
