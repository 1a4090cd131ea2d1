/**
 * What the "Finish Layer onboarding" example's last node makes of the emulator's Sandbox identity
 * (the user who finished Layer with 415-555-0011), for a Plaid user.
 */
export function shapedOnboardingResult(plaidUserId: unknown) {
	return {
		plaid_user_id: plaidUserId,
		full_name: 'Leslie Knope',
		phone_number: '+14155550011',
		email: 'leslie@example.com',
		date_of_birth: '1975-01-18',
		address: expect.objectContaining({ city: 'Pawnee', country: 'US' }),
		item_ids: [expect.any(String)],
		identity_verified: false,
	};
}
