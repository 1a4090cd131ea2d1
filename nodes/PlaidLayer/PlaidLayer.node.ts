import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { findOperation, nodeProperties } from './actions';
import { executeOperation } from './actions/execute';

export class PlaidLayer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plaid Layer',
		name: 'plaidLayer',
		icon: { light: 'file:plaid.svg', dark: 'file:plaid.dark.svg' },
		group: ['transform'],
		// 1.1: Render Layer Onboarding Page falls back to standard Link by default (1 shows a message).
		version: [1, 1.1],
		defaultVersion: 1.1,
		// Each resource has one operation: show its name, as the operation list does.
		subtitle:
			'={{ { user: "Create User", sessionToken: "Create Layer Session Token", userAccountSession: "Get User Account Session", onboardingPage: "Render Layer Onboarding Page" }[$parameter["resource"]] }}',
		description: 'Onboard users with Plaid Layer: create users and session tokens, fetch what they shared',
		defaults: { name: 'Plaid Layer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Render Layer Onboarding Page sends nothing to Plaid, so it needs no credential.
		credentials: [{ name: 'plaidLayerApi', required: true, displayOptions: { hide: { resource: ['onboardingPage'] } } }],
		hints: [
			{
				message:
					'Redirect URIs must be listed under Allowed redirect URIs in the Plaid Dashboard, and use https:// with a Production credential',
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ $parameter["resource"] === "sessionToken" && !!$parameter["additionalFields"]?.redirectUri }}',
			},
			{
				message:
					"To get this session's webhooks, use the Production URL of an active Plaid Trigger as Webhook URL (or set one in the Layer template); test URLs stop working when the editor closes",
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ $parameter["resource"] === "sessionToken" && String($parameter["additionalFields"]?.webhook ?? "").includes("/webhook-test/") }}',
			},
			{
				message: 'This identity is what the user submitted in Layer. Plaid has not verified it.',
				type: 'warning',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
				displayCondition: '={{ $parameter["resource"] === "userAccountSession" }}',
			},
		],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = findOperation(resource, operationName);
		if (!operation) {
			throw new NodeOperationError(this.getNode(), `Unknown operation "${operationName}" on "${resource}"`);
		}
		return [await executeOperation.call(this, operation)];
	}
}
