import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { findOperation, nodeProperties } from './actions';
import { openPlaidConnection, plaidRequest, type PlaidConnection } from './transport';
import { errorToJson, toNodeError } from './transport/errors';

export class PlaidLayer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plaid Layer',
		name: 'plaidLayer',
		icon: { light: 'file:plaid.svg', dark: 'file:plaid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Onboard users with Plaid Layer: create users and session tokens, fetch what they shared',
		defaults: { name: 'Plaid Layer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plaidLayerApi', required: true }],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = findOperation(resource, operationName);
		if (!operation) {
			throw new NodeOperationError(this.getNode(), `Unknown operation "${operationName}" on "${resource}"`);
		}

		// One credential read per execution; a credential problem is reported on every item.
		let connection: PlaidConnection | undefined;
		let connectionProblem: unknown;
		try {
			connection = await openPlaidConnection.call(this);
		} catch (error) {
			connectionProblem = error;
		}

		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				if (!connection) throw connectionProblem;
				const body = operation.buildRequest(this, itemIndex, connection.environment);
				const response = await plaidRequest.call(this, connection, operation.endpoint, body, itemIndex);
				output.push({ json: operation.toOutput(response, this, itemIndex), pairedItem: { item: itemIndex } });
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw nodeError;
				output.push({ json: { error: errorToJson(nodeError) }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
