import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../credentials/PlaidLayerApi.credentials';

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
	/** Reads one item's parameters and returns the request body; refuses bad ones with NodeOperationError. */
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment): IDataObject;
	/**
	 * Optional: the request to send first for this item, built (and so validated) with the item's
	 * body, before anything is sent. None when it returns undefined.
	 */
	prerequisite?(context: IExecuteFunctions, itemIndex: number, body: IDataObject): PlaidPrerequisite | undefined;
	/** Shapes Plaid's answer into the item later nodes read with expressions. */
	toOutput(response: IDataObject, context: IExecuteFunctions, itemIndex: number): IDataObject;
}

/** An operation that sends no request (e.g. Render Layer Onboarding Page): each output item is built locally. */
export interface LocalOperation {
	/** Node fields shown for this operation (already scoped to it with displayOptions). */
	properties: INodeProperties[];
	/** Builds one item's output from its parameters; refuses bad ones with NodeOperationError. */
	run(context: IExecuteFunctions, itemIndex: number): IDataObject;
}

export type NodeOperation = PlaidOperation | LocalOperation;
