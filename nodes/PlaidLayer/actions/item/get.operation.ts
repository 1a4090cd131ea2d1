import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { accessTokenProperty } from '../itemData';
import { type ItemContext, itemContext, readParameter, requireToken } from '../parameters';
import type { PlaidOperation } from '../types';

const showOnlyHere = { show: { resource: ['item'], operation: ['get'] } };

export function buildAccessTokenRequest(at: ItemContext, accessToken: unknown, environment: PlaidEnvironment): IDataObject {
	return { access_token: requireToken(at, accessToken, 'Access Token', 'access', environment) };
}

export const getItem: PlaidOperation = {
	endpoint: '/item/get',
	properties: [accessTokenProperty(showOnlyHere)],
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildAccessTokenRequest(itemContext(context, itemIndex), readParameter(context, 'accessToken', itemIndex, ''), environment);
	},
	toOutput(response: IDataObject) {
		const { item, status = null, request_id, ...rest } = response;
		return { item, status, ...rest, request_id };
	},
};
