import { SESSION_STATUS } from '../../../../fake-akool/server';
import { nodeRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { closeSession } from '../../../../harness/parameters';

// Where Akool's docs are silent, the fake can give each plausible answer (test/fake-akool/README.md, "guess").
// The node must end right under every one of them.

describe('Session → Close and Get Many where Akool is undocumented', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);
	const statusOf = (id: string) => fake().state.sessions.get(id)?.status;

	describe.each([1219, 1000] as const)(
		'closing an already-closed session answers %s',
		(closeClosedAnswer) => {
			beforeEach(() => fake().configure({ closeClosedAnswer }));

			it('with Succeed If Already Closed, a second close ends as closed, without error', async () => {
				const [session] = fake().addSessions(1);
				await run(closeSession(session._id));

				const { items } = await run(closeSession(session._id, { succeedIfAlreadyClosed: true }));

				expect(items).toEqual([
					{ json: expect.objectContaining({ sessionId: session._id }), pairedItem: { item: 0 } },
				]);
				expect(items[0].json).not.toHaveProperty('error');
				expect(statusOf(session._id)).toBe(SESSION_STATUS.completed);
				expect(fake().state.sessions.get(session._id)?.closeCalls).toBe(2);
			});

			it('Close All Open closes every open session and leaves none open', async () => {
				const open = fake().addSessions(3);
				const closed = fake().addSessions(2, SESSION_STATUS.completed);

				await run({ resource: 'session', operation: 'closeAllOpen' });

				expect(open.map((s) => statusOf(s._id))).toEqual(open.map(() => SESSION_STATUS.completed));
				expect(closed.map((s) => fake().state.sessions.get(s._id)?.closeCalls)).toEqual([0, 0]);
			});
		},
	);

	describe.each(['id', 'session_id', 'either'] as const)(
		'the server reads the session ID from `%s`',
		(closeReads) => {
			beforeEach(() => fake().configure({ closeReads }));

			it('Close closes the session', async () => {
				const [session] = fake().addSessions(1);

				const { items } = await run(closeSession(session._id));

				expect(items[0].json).toEqual({ sessionId: session._id, alreadyClosed: false });
				expect(statusOf(session._id)).toBe(SESSION_STATUS.completed);
			});

			it('Close All Open leaves none open', async () => {
				const open = fake().addSessions(4);

				await run({ resource: 'session', operation: 'closeAllOpen' });

				expect(open.map((s) => statusOf(s._id))).toEqual(open.map(() => SESSION_STATUS.completed));
			});
		},
	);

	describe.each([
		['status3', true],
		['gone', false],
	] as const)('a closed session in the list: %s', (closedSessions, listed) => {
		beforeEach(() => fake().configure({ closedSessions }));

		it('Get Many outputs what Akool lists, the closed session included only while Akool lists it', async () => {
			const [closing, staying] = fake().addSessions(2);
			await run(closeSession(closing._id));

			const { items } = await run({ resource: 'session', operation: 'getAll', returnAll: true });

			expect(items.map((i) => [i.json._id, i.json.status])).toEqual([
				...(listed ? [[closing._id, SESSION_STATUS.completed]] : []),
				[staying._id, SESSION_STATUS.processing],
			]);
		});

		it('Get Many filtered on Processing lists only the sessions still open', async () => {
			const [closing, staying] = fake().addSessions(2);
			await run(closeSession(closing._id));

			const { items } = await run({
				resource: 'session',
				operation: 'getAll',
				returnAll: true,
				filters: { status: SESSION_STATUS.processing },
			});

			expect(items.map((i) => i.json._id)).toEqual([staying._id]);
		});

		it('a session missing from the list can still be closed again with Succeed If Already Closed', async () => {
			const [session] = fake().addSessions(1);
			await run(closeSession(session._id));

			const { items } = await run(closeSession(session._id, { succeedIfAlreadyClosed: true }));

			expect(items[0].json).toEqual(expect.objectContaining({ sessionId: session._id }));
			expect(statusOf(session._id)).toBe(SESSION_STATUS.completed);
		});
	});
});
