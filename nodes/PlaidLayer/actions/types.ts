import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../credentials/PlaidLayerApi.credentials';
import type { RetryPolicy } from '../transport/retry';

/**
 * A request an item needs answered before the operation's own (Create Layer Session Token's Create
 * User First: `/user/create`); its answer completes the operation's body.
 */
export interface PlaidPrerequisite {
	endpoint: string;
	body: IDataObject;
	complete(body: IDataObject, answer: IDataObject): IDataObject;
}

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
	 * Optional: the request to send first for this item, built (and so validated) with the item's
	 * body, before anything is sent. None when it returns undefined.
	 */
	prerequisite?(context: IExecuteFunctions, itemIndex: number, body: IDataObject): PlaidPrerequisite | undefined;
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
