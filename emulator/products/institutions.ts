/** `/institutions/get` (https://plaid.com/docs/api/institutions/#institutionsget): Sandbox's test institutions. */
import { INSTITUTIONS } from '../sandbox-data';
import { ok, type EndpointAnswer } from '../state';

export function institutionsGet(body: Record<string, unknown>): EndpointAnswer {
	const countries = body.country_codes as string[];
	const matching = INSTITUTIONS.filter((institution) => institution.country_codes.some((code) => countries.includes(code)));
	const offset = body.offset as number;
	const page = matching.slice(offset, offset + (body.count as number));
	return ok({
		institutions: page.map(({ institution_id, name, country_codes, products, oauth }) => ({ institution_id, name, country_codes, products, routing_numbers: [], oauth })),
		total: matching.length,
	});
}
