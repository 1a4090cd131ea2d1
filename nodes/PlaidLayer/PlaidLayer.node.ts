import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { findOperation, nodeProperties, operationNames } from './actions';
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
		// The chosen operation's name, as the operation list shows it (built from that list).
		subtitle: `={{ ${JSON.stringify(operationNames)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`,
		description:
			'Onboard users with Plaid: Layer and Link tokens, token exchange, accounts, balances, Auth numbers, Identity and Identity Match, users and Items',
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
			{
				message:
					"This output holds access tokens: each opens a user's bank connection. Store them like passwords (encrypted, never in logs or webhook answers). n8n keeps them in the execution data unless Leave Out drops them.",
				type: 'warning',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
				displayCondition:
					'={{ (($parameter["resource"] === "item" && $parameter["operation"] === "exchangePublicToken") || $parameter["resource"] === "userAccountSession") && !($parameter["leaveOut"] ?? []).includes("access_token") }}',
			},
			{
				message:
					'A public token can be exchanged only once. If an exchange loses its answer (a timeout), the retry reports that the first attempt probably succeeded, and what to do.',
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ $parameter["resource"] === "item" && $parameter["operation"] === "exchangePublicToken" }}',
			},
			{
				message: 'Create Sandbox Public Token works only with a Sandbox credential: Plaid has no such endpoint in Production.',
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ $parameter["resource"] === "sandbox" }}',
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
