import { NodeApiError } from 'n8n-workflow';

import { startFakeAkool, type FakeAkool } from '../../../../fake-akool/server';
import { byId } from '../../../../harness/parameters';
import { credentialsFor, runNode } from '../../../../harness/runNode';

const QUOTA = 'GET /api/open/v3/faceswap/quota/info';
const getCreditBalance = { resource: 'account', operation: 'getCreditBalance' };

describe('Account → Get Credit Balance', () => {
	let fake: FakeAkool;
	beforeAll(async () => {
		fake = await startFakeAkool();
	});
	beforeEach(() => fake.reset());
	afterAll(async () => await fake.close());

	const run = (parameters: Record<string, unknown>, items?: Array<Record<string, unknown>>) =>
		runNode({ parameters: parameters as never, items: items as never, credentials: credentialsFor.apiKey(fake) });

	it("asks Akool's quota endpoint, without parameters, and outputs { credit }", async () => {
		const { items } = await run(getCreditBalance);

		expect(fake.requestsTo(QUOTA).map((r) => r.query)).toEqual([{}]);
		expect(items).toEqual([{ json: { credit: 1000 }, pairedItem: { item: 0 } }]);
	});

	it('shows the credits that creating a session reserved', async () => {
		await run({ resource: 'session', operation: 'create', avatarId: byId('dvp_Tristan_cloth2_1080P'), duration: 600 });

		const { items } = await run(getCreditBalance);

		expect(items[0].json).toEqual({ credit: fake.state.credit });
		expect(fake.state.credit).toBeLessThan(1000);
	});

	it('outputs one balance per input item, each paired with it', async () => {
		const { items } = await run(getCreditBalance, [{}, {}]);

		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(fake.requestsTo(QUOTA)).toHaveLength(2);
	});

	it('reports a rejected credential (1101) as an API error that says what to check', async () => {
		const error = await runNode({
			parameters: getCreditBalance,
			credentials: credentialsFor.apiKey(fake, 'wrong-key'),
		}).then(
			() => Promise.reject(new Error('expected the node to fail')),
			(e: unknown) => e as NodeApiError,
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Akool returned code 1101: Invalid authorization or The request token has expired [item 0]');
		expect(error.description).toContain('API key');
	});
});
