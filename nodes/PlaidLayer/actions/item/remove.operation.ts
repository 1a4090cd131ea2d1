import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlaidEnvironment } from '../../../../credentials/PlaidLayerApi.credentials';
import { onceOnly } from '../../transport/retry';
import { accessTokenProperty, readAccessTokenInput } from '../itemData';
import { additionalFieldsProperty, invalidParameter, isEmailAddress, type ItemContext, itemContext, readChoice, readText } from '../parameters';
import { ITEM_REMOVE_REASONS } from '../plaidValues';
import type { PlaidOperation } from '../types';
import { buildAccessTokenRequest } from './get.operation';

const showOnlyHere = { show: { resource: ['item'], operation: ['remove'] } };

const REASON_NOTE_MAX = 512;

const properties: INodeProperties[] = [
	accessTokenProperty(showOnlyHere),
	additionalFieldsProperty(showOnlyHere, [
		{
			displayName: 'Reason Code',
			name: 'reasonCode',
			type: 'options',
			options: ITEM_REMOVE_REASONS,
			default: 'OTHER',
			description: 'Why the Item is removed, for Plaid',
		},
		{
			displayName: 'Reason Note',
			name: 'reasonNote',
			type: 'string',
			default: '',
			description: 'More about the reason, at most 512 characters, with no personal information such as an email address or phone number',
		},
	]),
];

export interface ItemRemoveInput {
	accessToken: unknown;
	reasonCode?: unknown;
	reasonNote?: unknown;
}

/** A run of 10 or more digits, possibly with the separators people type: a phone number. */
const PHONE_LIKE = /\+?\d(?:[\s\-().]*\d){9,}/;

export function buildItemRemoveRequest(at: ItemContext, input: ItemRemoveInput, environment: PlaidEnvironment): IDataObject {
	const body = buildAccessTokenRequest(at, input.accessToken, environment);
	if (readText(at, input.reasonCode, 'Reason Code') !== '') body.reason_code = readChoice(at, input.reasonCode, 'Reason Code', ITEM_REMOVE_REASONS);
	const note = readText(at, input.reasonNote, 'Reason Note');
	if (note !== '') {
		if (note.length > REASON_NOTE_MAX) {
			throw invalidParameter(at, 'Reason Note', `is ${note.length} characters long; Plaid allows at most ${REASON_NOTE_MAX}`, 'Shorten it.');
		}
		// Plaid: "Personally identifiable information, such as an email address or phone number, should not be included."
		if (note.split(/\s+/).some(isEmailAddress) || PHONE_LIKE.test(note)) {
			throw invalidParameter(
				at,
				'Reason Note',
				'seems to hold an email address or phone number',
				'Plaid asks for no personal information in the note: describe the reason without contact details.',
			);
		}
		body.reason_note = note;
	}
	return body;
}

/** A removed Item's access token is refused with INVALID_ACCESS_TOKEN, so a retry after a lost answer meets that. */
export const REMOVE_ITEM_RETRY = onceOnly({
	refusal: 'INVALID_ACCESS_TOKEN',
	probablyDone: 'the first attempt probably removed the Item already',
	afterLostAnswer:
		'An earlier attempt got no answer ({lost}). Plaid most likely removed the Item then, and refused the retry because a removed Item’s access token no longer exists. Nothing more to do if the Item was to be removed: Get Item with this access token answers INVALID_ACCESS_TOKEN once it is gone.',
	ifDone: 'An attempt may have reached Plaid and removed the Item: Get Item with this access token answers INVALID_ACCESS_TOKEN if so.',
});

export const removeItem: PlaidOperation = {
	endpoint: '/item/remove',
	properties,
	retryPolicy: REMOVE_ITEM_RETRY,
	buildRequest(context: IExecuteFunctions, itemIndex: number, environment: PlaidEnvironment) {
		return buildItemRemoveRequest(itemContext(context, itemIndex), readAccessTokenInput(context, itemIndex), environment);
	},
	// Plaid answers only a request_id; `removed` is the flag its older API versions returned.
	toOutput: (response: IDataObject) => ({ removed: true, request_id: response.request_id }),
};
