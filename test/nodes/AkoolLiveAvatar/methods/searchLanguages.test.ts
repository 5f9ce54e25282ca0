import { useFakeAkool } from '../../../harness/fakeAkool';
import { credentialsFor, listSearch } from '../../../harness/runNode';

const LANGUAGES = 'GET /api/open/v3/language/list';

const fake = useFakeAkool();
const search = (filter?: string) =>
	listSearch('searchLanguages', { credentials: credentialsFor.apiKey(fake()), filter });

describe('searchLanguages', () => {
	it("lists Akool's Language List in one request, by name with the code as the value", async () => {
		const { results, paginationToken } = await search();

		expect(fake().requestsTo(LANGUAGES)).toHaveLength(1);
		expect(results).toEqual([
			{ name: 'English (en)', value: 'en' },
			{ name: 'Spanish (es)', value: 'es' },
			{ name: 'Chinese (zh)', value: 'zh' },
		]);
		expect(paginationToken).toBeUndefined();
	});

	it.each([
		['span', ['es']],
		[' ZH ', ['zh']],
		['e', ['en', 'es', 'zh']],
		['klingon', []],
	])('searches names and codes for %j, ignoring case', async (filter, values) => {
		const { results } = await search(filter);
		expect(results.map((r) => r.value)).toEqual(values);
	});

	it('skips entries without a code and lists nothing when Akool sends no list', async () => {
		fake().state.languages.push({ lang_name: 'Nameless' }, { lang_code: 'fr' });
		expect((await search()).results.slice(3)).toEqual([{ name: 'fr', value: 'fr' }]);

		fake().addFault({ kind: 'reply', route: 'language/list', body: { code: 1000, msg: 'OK' } });
		expect((await search()).results).toEqual([]);
	});
});
