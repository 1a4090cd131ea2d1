/**
 * The least a node can do inside n8n for the same call: per item, the same `getNodeParameter` calls
 * as Create Layer Session Token (Template ID, User ID, Client User ID, Additional Fields), then one
 * `httpRequestWithAuthentication` with the same credential (plaidLayerApi, read once per execution
 * and handed over decrypted, as our transport does). No validation, retries, concurrency or error
 * mapping: what our node costs beyond this is what its own code adds. Only the benchmark loads it.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const MINIMAL_NODE_TYPE = 'n8n-nodes-plaid-layer-bench.minimal';

export class BenchMinimalNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Minimal Session Token',
		name: 'minimal',
		group: ['transform'],
		version: 1,
		description: 'Benchmark baseline: the same parameters and request as Create Layer Session Token, nothing else',
		defaults: { name: 'Minimal Session Token' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plaidLayerApi', required: true }],
		properties: [
			{ displayName: 'Template ID', name: 'templateId', type: 'string', default: '' },
			{ displayName: 'User ID', name: 'userId', type: 'string', default: '' },
			{ displayName: 'Client User ID', name: 'clientUserId', type: 'string', default: '' },
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const data = await this.getCredentials('plaidLayerApi');
		const reference = this.getNode().credentials?.plaidLayerApi;
		const credentialsDecrypted = { id: reference?.id ?? '', name: reference?.name ?? '', type: 'plaidLayerApi', data };
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const body: IDataObject = { template_id: this.getNodeParameter('templateId', itemIndex, '') };
			const userId = this.getNodeParameter('userId', itemIndex, '') as string;
			const clientUserId = this.getNodeParameter('clientUserId', itemIndex, '') as string;
			const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			if (userId) body.user_id = userId;
			if (clientUserId) body.user = { client_user_id: clientUserId };
			Object.assign(body, additionalFields);
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				'plaidLayerApi',
				{ method: 'POST', url: `${String(data.baseUrl)}/session/token/create`, body, json: true },
				{ credentialsDecrypted },
			)) as { link: IDataObject; request_id: string };
			output.push({
				json: { link_token: response.link.link_token, expiration: response.link.expiration, request_id: response.request_id },
				pairedItem: { item: itemIndex },
			});
		}
		return [output];
	}
}
