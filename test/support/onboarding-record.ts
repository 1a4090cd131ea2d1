/**
 * The example onboarding's fallback visitor, and the record "Onboarding: finish" makes for either
 * path (for the sign-up `exampleSignUp`): the tests through n8n-core and in a real n8n expect the same.
 */

/** What the visitor Layer does not know types on the page. */
export const LINK_VISITOR = { phone_number: '+14155550000', date_of_birth: '1975-01-18' };

const IDENTITY = {
	layer: {
		legal_name: 'Leslie Knope',
		phone_number: '+14155550011',
		email_address: 'leslie@example.com',
		address: { street: '123 Main St', city: 'Pawnee', region: 'IN', postal_code: '46001', country: 'US' },
	},
	link: {
		legal_name: 'Alberta Charleson',
		phone_number: '+14155550000',
		email_address: 'accountholder0@example.com',
		address: { street: '2992 Cameron Road', city: 'Malakoff', region: 'NY', postal_code: '14236', country: 'US' },
	},
};

const score = expect.any(Number);

/** An account of the record: Sandbox's depository accounts with ACH numbers, the number masked. */
const account = (name: string, subtype: string, mask: string) => ({
	account_id: expect.any(String),
	name,
	mask,
	subtype,
	routing_number: expect.stringMatching(/^\d{9}$/),
	account_number: `••••${mask}`,
	match_scores: { legal_name: score, phone_number: score, email_address: score, address: score },
});

/** The onboarding record, the same shape whichever way the visitor came. */
export function expectedRecord(flow: 'layer' | 'link', userId: unknown, clientUserId: string) {
	return {
		flow,
		user_id: userId,
		client_user_id: clientUserId,
		identity: IDENTITY[flow],
		accounts: [account('Plaid Checking', 'checking', '0000'), account('Plaid Saving', 'savings', '1111')],
		verified: {
			phone: flow === 'layer',
			bank_account: true,
			legal_name: expect.any(Boolean),
			phone_number: expect.any(Boolean),
			email_address: expect.any(Boolean),
			address: expect.any(Boolean),
		},
		item_id: expect.any(String),
	};
}
