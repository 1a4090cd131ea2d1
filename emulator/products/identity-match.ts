/**
 * Identity Match scores, computed the same way every time from the owner on file and what the
 * request gives, in the ranges Plaid documents for `/identity/match`
 * (https://plaid.com/docs/api/products/identity/#identitymatch, spec `NameMatchScore`,
 * `PhoneNumberMatchScore`, `EmailAddressMatchScore`, `AddressMatchScore`): 0–100, 70 or more a
 * match. Each score is the best over the account's owners (and their names, numbers, addresses);
 * a field the request leaves out gets `null`.
 *
 * - Legal name: 100 when the words are the same; 99 when first and last names are the same and
 *   the middle names differ only by being left out or initialled ("Alberta Charleson",
 *   "ALBERTA B CHARLESON" for "Alberta Bobbeth Charleson"); otherwise 40 % first name + 60 % last
 *   name, each by edit-distance similarity, a known nickname counting as 0.9 of the first name
 *   ("Alberta Charlson": 93). A business name ("… LLC", "INC", "CORP", "LTD") against a person's
 *   scores 0. These reproduce what Plaid Sandbox returns for its test owner.
 * - Phone: digits compared with the country code (a US number on file has none): 100 when equal,
 *   90 when one is the other plus an extension, else 0.
 * - E-mail: case-insensitive; 100 when equal, 90 when equal but for a `+tag`, else 0.
 * - Address: 60 % street (edit-distance similarity after Plaid-style abbreviations: Road → rd,
 *   Street → st …), 15 % city, 10 % region, 15 % postal code (its first five characters), over the
 *   parts both sides have. `is_postal_code_match` when both have one.
 */

/** Levenshtein distance. */
function distance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = row;
	}
	return previous[b.length];
}

function similarity(a: string, b: string): number {
	const longest = Math.max(a.length, b.length);
	return longest === 0 ? 1 : 1 - distance(a, b) / longest;
}

const words = (text: string) =>
	text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s]/gu, ' ')
		.split(/\s+/)
		.filter(Boolean);

const BUSINESS_WORDS = new Set(['llc', 'inc', 'corp', 'corporation', 'ltd', 'limited', 'llp', 'plc', 'co', 'company']);
const isBusiness = (name: string[]) => name.some((word) => BUSINESS_WORDS.has(word));

/** A few common first-name nicknames, enough to show `is_nickname_match`. */
const NICKNAMES: Record<string, string[]> = {
	alberta: ['bertie', 'berta', 'allie'],
	elizabeth: ['liz', 'beth', 'betty', 'eliza', 'lizzie'],
	jennifer: ['jen', 'jenn', 'jenny'],
	katherine: ['kate', 'kathy', 'katie'],
	leslie: ['les'],
	margaret: ['maggie', 'meg', 'peggy'],
	robert: ['rob', 'bob', 'bobby', 'robbie'],
	william: ['will', 'bill', 'billy', 'liam'],
};

const isNickname = (given: string, onFile: string) => NICKNAMES[onFile]?.includes(given) ?? false;

export interface NameScore {
	score: number;
	is_first_name_or_last_name_match: boolean;
	is_nickname_match: boolean;
	is_business_name_detected: boolean;
}

export function scoreName(given: string, onFile: string): NameScore {
	const a = words(given);
	const b = words(onFile);
	const business = isBusiness(a) || isBusiness(b);
	if (a.length === 0 || b.length === 0) return { score: 0, is_first_name_or_last_name_match: false, is_nickname_match: false, is_business_name_detected: business };
	const nickname = isNickname(a[0], b[0]);
	const result = (score: number): NameScore => ({
		score,
		is_first_name_or_last_name_match: a[0] === b[0] || nickname || a.at(-1) === b.at(-1),
		is_nickname_match: nickname,
		is_business_name_detected: business,
	});
	if (isBusiness(a) !== isBusiness(b)) return result(0);
	if (a.join(' ') === b.join(' ')) return result(100);
	if (a[0] === b[0] && a.at(-1) === b.at(-1) && a.length > 1 && b.length > 1) {
		const [shorter, longer] = a.length <= b.length ? [a.slice(1, -1), b.slice(1, -1)] : [b.slice(1, -1), a.slice(1, -1)];
		// Left out, or initials of the other's middle names in order.
		const compatible = shorter.every((word, i) => longer[i] !== undefined && (word === longer[i] || (word.length === 1 && longer[i].startsWith(word))));
		if (compatible) return result(99);
	}
	const first = nickname ? 0.9 : similarity(a[0], b[0]);
	const last = similarity(a.at(-1)!, b.at(-1)!);
	return result(Math.round(100 * (0.4 * first + 0.6 * last)));
}

const digits = (phone: string) => phone.replace(/\D/g, '');

export function scorePhone(given: string, onFile: string): number {
	const a = digits(given);
	// Banks keep US numbers as 10 digits; the request is E.164 with its country code.
	const b = digits(onFile).length === 10 ? `1${digits(onFile)}` : digits(onFile);
	if (a === b) return 100;
	if (a.length > 0 && b.length > 0 && (a.startsWith(b) || b.startsWith(a))) return 90;
	return 0;
}

export function scoreEmail(given: string, onFile: string): number {
	const a = given.trim().toLowerCase();
	const b = onFile.trim().toLowerCase();
	if (a === b) return 100;
	const untagged = (email: string) => email.replace(/\+[^@]*@/, '@');
	return untagged(a) === untagged(b) ? 90 : 0;
}

const STREET_ABBREVIATIONS: Record<string, string> = {
	street: 'st',
	road: 'rd',
	avenue: 'ave',
	boulevard: 'blvd',
	drive: 'dr',
	lane: 'ln',
	court: 'ct',
	place: 'pl',
	apartment: 'apt',
	suite: 'ste',
	north: 'n',
	south: 's',
	east: 'e',
	west: 'w',
};

const street = (text: string) => words(text).map((word) => STREET_ABBREVIATIONS[word] ?? word).join(' ');

export interface AddressParts {
	street?: string | null;
	city?: string | null;
	region?: string | null;
	postal_code?: string | null;
}

export interface AddressScore {
	score: number;
	is_postal_code_match: boolean | null;
}

export function scoreAddress(given: AddressParts, onFile: AddressParts): AddressScore {
	const present = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';
	const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
	const postal = (code: string) => code.replace(/\s/g, '').slice(0, 5).toLowerCase();
	const parts: Array<[number, (a: string, b: string) => number, string | null | undefined, string | null | undefined]> = [
		[60, (a, b) => similarity(street(a), street(b)), given.street, onFile.street],
		[15, (a, b) => Number(same(a, b)), given.city, onFile.city],
		[10, (a, b) => Number(same(a, b)), given.region, onFile.region],
		[15, (a, b) => Number(postal(a) === postal(b)), given.postal_code, onFile.postal_code],
	];
	let weight = 0;
	let total = 0;
	for (const [partWeight, compare, a, b] of parts) {
		if (!present(a) || !present(b)) continue;
		weight += partWeight;
		total += partWeight * compare(a, b);
	}
	const postalMatch = present(given.postal_code) && present(onFile.postal_code) ? postal(given.postal_code) === postal(onFile.postal_code) : null;
	return { score: weight === 0 ? 0 : Math.round((100 * total) / weight), is_postal_code_match: postalMatch };
}

/** The best of several candidate scores (Plaid: "If the account contains multiple owners, the maximum match score is filled"). */
export function best<T extends { score: number }>(scores: T[]): T | undefined {
	return scores.reduce<T | undefined>((top, next) => (top === undefined || next.score > top.score ? next : top), undefined);
}
