// Scenarios where Akool (or what stands at its address) answers in ways our fake never used to: short pages,
// redirects to another host, huge Retry-After, lists that ignore `page`, bodies that drip. Each one proved a
// hang, a loop, a lost session or a leaked key once (issues 11, 15, 17); each has a hard time limit, so a
// regression fails in a minute instead of holding CI. Same shape as scenarios.mjs, which includes this table.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { ROUTES, STATUS, secretsOnly, whereIs } from './checks.mjs';

const { startFakeAkool } = createRequire(import.meta.url)('../fake-akool/server.js');

/** A hang shows as a failure within this time, not as a CI run that never ends. */
const HOSTILE_TIMEOUT_MS = 90_000;
const CLOSE_ONE = 'workflows/close-one-session.json';
const CLOSE_ALL = 'workflows/close-all-open.json';

/** Sets Request Options (and other parameters) on every Akool node of a prepared workflow. */
const withParameters = (parameters) => (workflow) => {
	for (const node of workflow.nodes) if (node.type.endsWith('akoolLiveAvatar')) Object.assign(node.parameters, parameters);
	return workflow;
};

export const HOSTILE_SCENARIOS = [
	{
		id: 'e2eCloseAllOpenCapped',
		title: '11. Close All Open leaves none of 85 open sessions open when Akool serves at most 20 per page',
		workflow: CLOSE_ALL,
		config: { maxPageSize: 20 },
		before(fake) {
			fake.addSessions(40, STATUS.queueing);
			fake.addSessions(45, STATUS.processing);
		},
		items: { 'Close All Open Sessions': [{ closed: 85 }] },
		check(t, run) {
			const open = [...run.fake.state.sessions.values()].filter((s) => s.status === STATUS.queueing || s.status === STATUS.processing);
			t.equal(open.length, 0, 'sessions the fake still has open');
			t.equal(run.fake.requestsTo(ROUTES.closeSession).length, 85, 'close requests');
		},
	},
	{
		id: 'e2eRedirectForeign',
		title: '15. a 307 from the Base URL to another host: not followed, the API key never reaches that host',
		workflow: CLOSE_ONE,
		async before(fake, ctx) {
			ctx.foreign = await startFakeAkool(); // another host, which records every request
			fake.addSessions(1, STATUS.processing);
			fake.addFault({ route: ROUTES.closeSession, kind: 'redirect', status: 307, location: `${ctx.foreign.url}/steal`, times: Infinity });
		},
		error: { node: 'Close Session', message: /answered with a redirect \(HTTP 307\)/ },
		async check(t, run) {
			t.equal(run.ctx.foreign.requests.length, 0, 'requests that reached the foreign host');
			await run.ctx.foreign.close();
		},
	},
	{
		id: 'e2eConcurrencyNaN',
		title: '17.1 Concurrency that evaluates to NaN fails the node at once, naming the field, with no request',
		workflow: CLOSE_ONE,
		prepare: withParameters({ requestOptions: { concurrency: '={{ Number("ten") }}' } }),
		error: { node: 'Close Session', message: /Concurrency must be a whole number from 1 to 50, not NaN/ },
		check: (t, run) => t.equal(run.fake.requests.length, 0, 'requests to Akool'),
	},
	{
		id: 'e2eRetryAfterHuge',
		title: '17.2 Retry-After 999999 on every close: Close All Open fails at once, saying how long Akool asked to wait',
		workflow: CLOSE_ALL,
		before: (fake) => fake.addSessions(3, STATUS.processing),
		faults: [{ route: ROUTES.closeSession, kind: 'http', status: 429, retryAfter: 999999, times: Infinity }],
		error: { node: 'Close All Open Sessions', message: /Could not close 3 open sessions/, description: /Akool answered HTTP 429/ },
		check: (t, run) =>
			t.equal(run.fake.requestsTo(ROUTES.closeSession).length, 3, 'close requests (one each: no stall, no retry past the budget)'),
	},
	{
		id: 'e2eListIgnoresPage',
		title: '17.3 a list that ignores page with an endless count: Get Many stops with a clear error after 2 requests',
		workflow: CLOSE_ALL,
		config: { ignorePage: true, countMode: 'endless' },
		before: (fake) => fake.addSessions(100, STATUS.processing),
		error: { node: 'Close All Open Sessions', message: /page 2 repeats page 1/ },
		check(t, run) {
			const lists = run.fake.requestsTo(ROUTES.listSessions).length;
			t.ok(lists <= 4, 'list requests (bounded)', { expected: 'at most 4 (2 per status)', actual: lists });
			t.equal(run.fake.requestsTo(ROUTES.closeSession).length, 0, 'close requests');
		},
	},
	{
		id: 'e2eDripBody',
		title: '17.4 a body dripped one byte at a time: the 1,000 ms Timeout covers the whole answer',
		workflow: CLOSE_ONE,
		prepare: withParameters({ requestOptions: { timeout: 1000, maxAttempts: 1 } }),
		faults: [{ route: ROUTES.closeSession, kind: 'drip', ms: 400, endless: true, times: Infinity }],
		error: { node: 'Close Session', message: /the request timed out/, description: /No complete answer within 1000 ms/ },
	},
	{
		id: 'debugLogNoSecrets',
		title: '15. n8n at debug log level (console and file): the wrong-key and client-secret runs print no secret',
		async command(ctx) {
			const logFile = join(ctx.n8n.folder, '.n8n', 'logs', 'debug.log');
			const extraEnv = { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile };
			const printed = {};
			for (const id of ['e2eWrongKey', 'e2eAuthClient', 'e2eRedirectForeign']) {
				const options = { timeoutMs: HOSTILE_TIMEOUT_MS, extraEnv, label: `debug ${id}` };
				const result = await ctx.n8n.cli(['execute', `--id=${id}`, '--rawOutput'], options);
				printed[`what n8n printed at debug level running ${id}`] = `${result.stdout}\n${result.stderr}`;
			}
			return { printed, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '' };
		},
		check(t, { printed, log }) {
			t.ok(log.includes('debug'), 'debug lines in the log file', { expected: 'some', actual: log.length });
			const texts = { ...printed, "n8n's debug log file": log };
			for (const [name, secret] of secretsOnly()) t.equal(whereIs(secret, texts), [], `places at debug level where the ${name} appears`);
		},
	},
].map((scenario) => ({ timeoutMs: HOSTILE_TIMEOUT_MS, ...scenario }));
