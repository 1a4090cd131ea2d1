/**
 * The node types a locally run workflow may use: this package's nodes (from source) and the
 * n8n-nodes-base nodes our examples and tests put around them.
 */
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { PlaidLayer } from '../nodes/PlaidLayer/PlaidLayer.node';
import { PlaidTrigger } from '../nodes/PlaidTrigger/PlaidTrigger.node';

export const PACKAGE_NAME = 'n8n-nodes-plaid-layer';

type NodeClass = new () => INodeType | IVersionedNodeType;

/** n8n-nodes-base nodes by type name → their compiled module and class. */
const BASE_NODES: Record<string, [modulePath: string, className: string]> = {
	'n8n-nodes-base.manualTrigger': ['ManualTrigger/ManualTrigger.node', 'ManualTrigger'],
	'n8n-nodes-base.webhook': ['Webhook/Webhook.node', 'Webhook'],
	'n8n-nodes-base.respondToWebhook': ['RespondToWebhook/RespondToWebhook.node', 'RespondToWebhook'],
	'n8n-nodes-base.set': ['Set/Set.node', 'Set'],
	'n8n-nodes-base.if': ['If/If.node', 'If'],
	'n8n-nodes-base.noOp': ['NoOp/NoOp.node', 'NoOp'],
	'n8n-nodes-base.httpRequest': ['HttpRequest/HttpRequest.node', 'HttpRequest'],
};

const OWN_NODES: Record<string, NodeClass> = {
	[`${PACKAGE_NAME}.plaidLayer`]: PlaidLayer,
	[`${PACKAGE_NAME}.plaidTrigger`]: PlaidTrigger,
};

/** Adds a node type the runner can load like its own, e.g. the benchmark's minimal node. */
export function registerNodeType(type: string, nodeClass: NodeClass): void {
	OWN_NODES[type] = nodeClass;
}

export class LocalNodeTypes implements INodeTypes {
	private readonly loaded = new Map<string, INodeType | IVersionedNodeType>();

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		let instance = this.loaded.get(nodeType);
		if (!instance) {
			instance = new (this.nodeClass(nodeType))();
			this.loaded.set(nodeType, instance);
		}
		return instance;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	private nodeClass(nodeType: string): NodeClass {
		const own = OWN_NODES[nodeType];
		if (own) return own;
		const base = BASE_NODES[nodeType];
		if (!base) throw new Error(`Node type ${nodeType} is not available to the local runner`);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require(`n8n-nodes-base/dist/nodes/${base[0]}`) as Record<string, NodeClass>;
		return module[base[1]];
	}
}
