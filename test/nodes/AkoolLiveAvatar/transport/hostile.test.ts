import { sleep } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { MAX_PAGES } from '../../../../nodes/AkoolLiveAvatar/transport';
import { ROUTES, SESSION_STATUS } from '../../../fake-akool/server';
import { failureOf } from '../../../harness/failureOf';
import { nodeRunner, useFakeAkool } from '../../../harness/fakeAkool';
import { byId, closeSession } from '../../../harness/parameters';
import { CredentialStore } from '../../../harness/credentials';
import { credentialsFor } from '../../../harness/runNode';

/**
 * Bounded under every hostile answer (issue 17): each case here once hung, looped, lost a paid session or
 * leaked a secret. Every spec ends by itself, because the node must.
 */
const createSession = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'session',
	operation: 'create',
	avatarId: byId('dvp_Tristan_cloth2_1080P'),
	...parameters,
});
const getManySessions: INodeParameters = {
	resource: 'session',
	operation: 'getAll',
	returnAll: true,
};

describe('hostile answers and settings', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);

	describe('Request Options are checked before any request', () => {
		it.each([
			[
				'a concurrency that is not a number',
				{ concurrency: '={{ Number("ten") }}' },
				/Concurrency must be a whole number from 1 to 50, not NaN/,
			],
			[
				'a timeout of 0',
				{ timeout: 0 },
				/Timeout \(ms\) must be a whole number from 1 to 600000, not 0/,
			],
			[
				'a timeout of 2³¹ ms',
				{ timeout: 2 ** 31 },
				/Timeout \(ms\) must be a whole number from 1 to 600000, not 2147483648/,
			],
			[
				'max attempts of 0',
				{ maxAttempts: 0 },
				/Max Attempts must be a whole number from 1 to 20, not 0/,
			],
			[
				'a retry delay as text',
				{ retryDelay: 'soon' },
				/Retry Delay \(ms\) must be a whole number from 0 to 600000, not "soon"/,
			],
			[
				'a fractional max retry time',
				{ maxRetryTime: 1.5 },
				/Max Retry Time \(Seconds\) must be a whole number/,
			],
		])(
			'fails the node naming the field and the value for %s',
			async (_case, requestOptions, message) => {
				const [session] = fake().addSessions(1);

				const error = await failureOf(run({ ...closeSession(session._id), requestOptions }));

				expect(error.message).toMatch(message);
				expect(fake().requests).toHaveLength(0);
			},
		);
	});

	it('fails at once, saying how long Akool asked to wait, when Retry-After is longer than Max Retry Time leaves', async () => {
		const sessions = fake().addSessions(3);
		fake().addFault({
			route: ROUTES.closeSession,
			kind: 'http',
			status: 429,
			retryAfter: 999999,
			times: Infinity,
		});

		// One item at a time: a later item must not wait out the first one's Retry-After.
		const { items } = await run(
			{ ...closeSession('={{ $json._id }}'), requestOptions: { maxRetryTime: 60, concurrency: 1 } },
			{ items: sessions.map((s) => ({ _id: s._id })), continueOnFail: true },
		);

		expect(items.map((i) => i.json.error)).toEqual(
			Array(3).fill('Akool answered HTTP 429 (too many requests)'),
		);
		expect(items[0].json.description).toMatch(
			/Akool asked to wait 999999 s .*longer than the .* left of Request Options → Max Retry Time/,
		);
		// Each item tried once: the shared pause never outlasts what the budget allows.
		expect(fake().requestsTo(ROUTES.closeSession)).toHaveLength(3);
	});

	describe('lists that never end', () => {
		it('stops with a clear error when Akool ignores the page number', async () => {
			fake().addSessions(100);
			fake().configure({ ignorePage: true, countMode: 'endless' });

			const error = await failureOf(run(getManySessions));

			expect(error.message).toBe(
				"Stopped reading Akool's list: page 2 repeats page 1, as if Akool ignored the page number",
			);
			expect(fake().requestsTo(ROUTES.listSessions)).toHaveLength(2);
		});

		it(`stops after ${MAX_PAGES} pages when every page is new and the count never ends`, async () => {
			let n = 0;
			// Every page holds one session never seen before, and the count promises a billion.
			const fault = fake().addFault({
				route: ROUTES.listSessions,
				kind: 'reply',
				times: Infinity,
				when: () => {
					n += 1;
					fault.body = {
						code: 1000,
						msg: 'OK',
						data: { count: 1e9, result: [{ _id: `s${n}`, status: 2 }] },
					};
					return true;
				},
			});

			const error = await failureOf(run(getManySessions));

			expect(error.message).toBe(
				`Stopped reading Akool's list: it has more than ${MAX_PAGES} pages`,
			);
			expect(fake().requestsTo(ROUTES.listSessions)).toHaveLength(MAX_PAGES);
		});
	});

	describe('the Timeout covers the whole attempt, body included', () => {
		it('fails an answer dripped a byte at a time once the Timeout has passed', async () => {
			const [session] = fake().addSessions(1);
			fake().addFault({ route: ROUTES.getSession, kind: 'drip', ms: 100, endless: true });

			const started = Date.now();
			const error = await failureOf(
				run({
					resource: 'session',
					operation: 'get',
					sessionId: byId(session._id),
					requestOptions: { timeout: 500, maxAttempts: 1 },
				}),
			);

			expect(error.message).toMatch(/^Could not reach Akool at .*: the request timed out$/);
			expect(error.description).toContain('No complete answer within 500 ms');
			expect(Date.now() - started).toBeLessThan(20_000); // a hang would end only at jest's timeout
		});

		it('stops waiting for a hanging token exchange when the execution is cancelled', async () => {
			fake().addFault({ route: ROUTES.getToken, kind: 'hang', times: Infinity });
			const cancel = new AbortController();
			const running = failureOf(
				run(closeSession('abc'), {
					credentials: credentialsFor.clientCredentials(fake()),
					abortSignal: cancel.signal,
				}),
			);
			while (fake().requestsTo(ROUTES.getToken).length === 0) await sleep(10);
			cancel.abort();

			const error = await running;

			expect(error.message).toBe('The execution was cancelled');
		});
	});

	describe('nothing paid is lost', () => {
		it('names every session created before an item failed when the node stops', async () => {
			let creates = 0;
			fake().addFault({
				route: ROUTES.createSession,
				kind: 'code',
				code: 1104,
				when: () => ++creates === 3,
			});

			const error = await failureOf(
				run(createSession({ requestOptions: { concurrency: 1 } }), {
					items: Array.from({ length: 10 }, () => ({})),
				}),
			);

			const created = [...fake().state.sessions.values()].map((s) => s._id);
			expect(error.message).toBe('The Akool account has too few credits');
			expect(created).toHaveLength(2); // concurrency 1: no item starts after the failure
			for (const id of created) expect(error.description).toContain(id);
			expect(error.description).toMatch(/^Before this failure, this execution created 2 sessions/);
		});

		it.each([
			['a corrupt gzip body', { kind: 'badGzip' as const }],
			['a malformed HTTP answer', { kind: 'badHttp' as const }],
		])(
			'says the session may have been created after %s, and does not send it again',
			async (_case, fault) => {
				fake().addFault({ route: ROUTES.createSession, ...fault });

				const error = await failureOf(run(createSession({ requestOptions: { timeout: 5000 } })));

				expect(error.message).toBe(
					'No clear answer from Akool, which may have created the session (and pre-charged its credits)',
				);
				expect(error.description).not.toContain('Check the Akool API credential');
				expect(fake().requestsTo(ROUTES.createSession)).toHaveLength(1);
			},
		);

		it.each([
			['no data', null],
			['text instead of the session', 'queued'],
		])('fails a create answered with %s, saying the session may exist', async (_case, data) => {
			fake().addFault({
				route: ROUTES.createSession,
				kind: 'reply',
				body: { code: 1000, msg: 'OK', data },
			});

			const error = await failureOf(run(createSession()));

			expect(error.message).toBe('Akool reported success but returned no session ID');
			expect(error.description).toContain('may exist (and be charged)');
		});

		it('counts a knowledge base deleted by an attempt whose answer was lost as deleted', async () => {
			const id = '64f8a1b2c3d4e5f6a7b8c9d0';
			fake().addFault({ route: ROUTES.deleteKnowledgeBase, kind: 'dropAfter' });

			const { items } = await run({
				resource: 'knowledgeBase',
				operation: 'delete',
				knowledgeBaseId: byId(id),
				requestOptions: { retryDelay: 1 },
			});

			expect(items[0].json).toEqual({ deleted: true, id });
			expect(fake().state.knowledge.has(id)).toBe(false);
		});
	});

	describe('the Base URL', () => {
		it.each([
			['without a scheme', 'openapi.akool.com', /is not an http\(s\) address: "openapi.akool.com"/],
			['with a space', 'https://open api.akool.com', /is not an http\(s\) address/],
			['with a query', 'https://openapi.akool.com?x=1', /has a query or fragment/],
			['with a fragment', 'https://openapi.akool.com/#top', /has a query or fragment/],
		])('is refused %s, before any request', async (_case, baseUrl, message) => {
			const store = new CredentialStore({ ...credentialsFor.apiKey(fake()), baseUrl });

			const error = await failureOf(run(closeSession('abc'), { credentials: store }));

			expect(error.message).toMatch(message);
			expect(fake().requests).toHaveLength(0);
		});
	});

	it('lists open sessions under a page cap with and without a count', async () => {
		fake().addSessions(45, SESSION_STATUS.processing);
		for (const countMode of ['exact', 'absent'] as const) {
			fake().configure({ maxPageSize: 20, countMode });
			const { items } = await run(getManySessions);
			expect(items).toHaveLength(45);
		}
	});
});
