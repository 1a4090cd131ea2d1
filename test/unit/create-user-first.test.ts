/** Create Layer Session Token with Create User First: the body it builds and what it refuses. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildSessionTokenRequest, type SessionTokenInput } from '../../nodes/PlaidLayer/actions/sessionToken/create.operation';
import { nodeProperties } from '../../nodes/PlaidLayer/actions';
import { refusalOf } from '../support/refusal';

const node = { name: 'Plaid Layer', type: 'n8n-nodes-plaid-layer.plaidLayer' } as INode;
const base: SessionTokenInput = { templateId: 'template_abc', userId: '', clientUserId: 'user-1', createUser: true };
const build = (overrides: Partial<SessionTokenInput>) => buildSessionTokenRequest({ node, itemIndex: 1 }, { ...base, ...overrides }, 'sandbox');

const refusal = (overrides: Partial<SessionTokenInput>): NodeOperationError => refusalOf(() => build(overrides));

test('the body carries the Client User ID and the optional fields; its user_id comes from /user/create later', () => {
	expect(build({ webhook: 'https://n8n.example.com/webhook/plaid' })).toEqual({
		template_id: 'template_abc',
		user: { client_user_id: 'user-1' },
		webhook: 'https://n8n.example.com/webhook/plaid',
	});
});

test('a User ID is not read with Create User First (its field is hidden then)', () => {
	expect(build({ userId: 'usr_other' })).toEqual({ template_id: 'template_abc', user: { client_user_id: 'user-1' } });
});

test.each<[string, Partial<SessionTokenInput>, string, RegExp]>([
	['an empty Client User ID', { clientUserId: '  ' }, 'Client User ID is empty: Create User First needs it [item 1]', /turn off Create User First/],
	['a Client User ID longer than /user/create takes', { clientUserId: 'x'.repeat(129) }, 'Client User ID is 129 characters long; Plaid allows at most 128 [item 1]', /shorter ID/],
	['an empty Template ID', { templateId: '' }, 'Template ID is empty [item 1]', /Layer → Templates/],
	['a redirect with a query', { redirectUri: 'https://app.example.com/oauth?a=1' }, 'Redirect URI must not contain a query string ("?a=1") [item 1]', /Remove everything/],
])('refuses %s before anything is sent', (_name, overrides, message, fix) => {
	const error = refusal(overrides);
	expect(error.message).toBe(message);
	expect(error.description).toMatch(fix);
	expect(error.context.itemIndex).toBe(1);
});

test('the option is off by default and hides User ID when on, so saved workflows keep their meaning', () => {
	const option = nodeProperties.find((p) => p.name === 'createUser');
	expect(option).toMatchObject({ displayName: 'Create User First', type: 'boolean', default: false });
	const userId = nodeProperties.find((p) => p.name === 'userId' && p.displayOptions?.show?.resource?.includes('sessionToken'));
	expect(userId?.displayOptions?.show).toEqual({ resource: ['sessionToken'], operation: ['create'], createUser: [false] });
});
