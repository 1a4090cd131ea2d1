import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { type ItemContext, itemContext, readParameter, requireToken } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['linkToken'], operation: ['get'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Link Token',
		name: 'linkToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '={{ $json.link_token }}',
		placeholder: 'e.g. link-sandbox-af1a0311-da53-4636-b754-dd15cc058176',
		description: 'The link_token from Create Link Token whose sessions to read',
		displayOptions: showOnlyHere,
	},
];

export function buildLinkTokenGetRequest(at: ItemContext, linkToken: unknown, environment: PlaidEnvironment): IDataObject {
	return { link_token: requireToken(at, linkToken, 'Link Token', 'link', environment) };
}

type LinkSession = {
	link_session_id?: string;
	results?: { item_add_results?: Array<{ public_token?: string }> } | null;
	on_success?: { public_token?: string } | null;
	exit?: unknown;
	on_exit?: unknown;
};

/** The public tokens of one session: `results.item_add_results`, or the deprecated `on_success` of legacy integrations. */
function publicTokensOf(session: LinkSession): string[] {
	const results = session.results?.item_add_results ?? [];
	const tokens = results.map((result) => result.public_token).filter((token): token is string => typeof token === 'string');
	if (tokens.length === 0 && typeof session.on_success?.public_token === 'string') tokens.push(session.on_success.public_token);
	return tokens;
}

/**
 * Plaid's answer, with what a workflow needs to finish the session up front, in the names of the
 * SESSION_FINISHED webhook: `status` (SUCCESS, EXITED, or null while no session has finished) and
 * `link_session_id` of the latest session, and `public_tokens` of every session.
 */
export function linkTokenOutput(response: IDataObject): IDataObject {
	const sessions = (response.link_sessions ?? []) as LinkSession[];
	const latest = sessions.at(-1);
	const publicTokens = sessions.flatMap(publicTokensOf);
	let status: string | null = null;
	if (latest) status = publicTokensOf(latest).length > 0 ? 'SUCCESS' : latest.exit || latest.on_exit ? 'EXITED' : null;
	return {
		status,
		public_tokens: publicTokens,
		link_session_id: latest?.link_session_id ?? null,
		...response,
	};
}

export const getLinkToken: PlaidOperation = {
	endpoint: '/link/token/get',
	properties,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildLinkTokenGetRequest(itemContext(context, itemIndex), readParameter(context, 'linkToken', itemIndex, ''), environment);
	},
	toOutput: linkTokenOutput,
};
