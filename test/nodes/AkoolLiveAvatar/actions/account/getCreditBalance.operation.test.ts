import { NodeApiError } from 'n8n-workflow';

import { failureOf } from '../../../../harness/failureOf';
import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';
import { credentialsFor } from '../../../../harness/runNode';

const QUOTA = 'GET /api/open/v3/faceswap/quota/info';

describe('Account → Get Credit Balance', () => {
	const fake = useFakeAkool();
	const run = operationRunner(fake, 'account', 'getCreditBalance');
	const createSession = operationRunner(fake, 'session', 'create');

	it("asks Akool's quota endpoint, without parameters, and outputs { credit }", async () => {
		const { items } = await run();

		expect(
			fake()
				.requestsTo(QUOTA)
				.map((r) => r.query),
		).toEqual([{}]);
		expect(items).toEqual([{ json: { credit: 1000 }, pairedItem: { item: 0 } }]);
	});

	it('shows the credits that creating a session reserved', async () => {
		await createSession({ avatarId: byId('dvp_Tristan_cloth2_1080P'), duration: 600 });

		const { items } = await run();

		expect(items[0].json).toEqual({ credit: fake().state.credit });
		expect(fake().state.credit).toBeLessThan(1000);
	});

	it('outputs one balance per input item, each paired with it', async () => {
		const { items } = await run({}, { items: [{}, {}] });

		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(fake().requestsTo(QUOTA)).toHaveLength(2);
	});

	it('reports a rejected credential (1101) as an API error that says what to check', async () => {
		const error = await failureOf<NodeApiError>(
			run({}, { credentials: credentialsFor.apiKey(fake(), 'wrong-key') }),
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Akool rejected the credential');
		expect(error.description).toContain('API key');
	});
});
