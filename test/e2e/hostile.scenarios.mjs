// Scenarios where Akool (or what stands at its address) answers in ways our fake never used to: short pages,
// redirects to another host, huge Retry-After, lists that ignore `page`, bodies that drip. Each one proved a
// hang, a loop, a lost session or a leaked key once (issues 11, 15, 17); each has a hard time limit, so a
// regression fails in a minute instead of holding CI. Same shape as scenarios.mjs, which includes this table.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { ROUTES, SESSION_STATUS: STATUS } = createRequire(import.meta.url)('../fake-akool/server.js');

/** A hang shows as a failure within this time, not as a CI run that never ends. */
const HOSTILE_TIMEOUT_MS = 90_000;

const openSessions = (fake) =>
	[...fake.state.sessions.values()].filter((s) => s.status === STATUS.queueing || s.status === STATUS.processing);

/** Sets Request Options (and other parameters) on every Akool node of a prepared workflow. */
const withParameters = (parameters) => (workflow) => {
	for (const node of workflow.nodes) if (node.type.endsWith('akoolLiveAvatar')) Object.assign(node.parameters, parameters);
	return workflow;
};

/** A second host on 127.0.0.1 that records every request: where a redirect points. */
async function startForeignHost() {
	const requests = [];
	const server = createServer((req, res) => {
		requests.push({ method: req.method, url: req.url, headers: req.headers });
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":1000,"msg":"OK"}');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

/** The secrets of this run that must never show (set by scenarios.mjs, which owns them). */
let DEBUG_SECRETS = () => ({});
export const useSecrets = (secrets) => {
	DEBUG_SECRETS = () => Object.fromEntries(Object.entries(secrets).filter(([name]) => name !== 'clientId'));
};

export const HOSTILE_SCENARIOS = [
	{
		id: 'e2eCloseAllOpenCapped',
		title: '11. Close All Open leaves none of 85 open sessions open when Akool serves at most 20 per page',
		workflow: 'workflows/close-all-open.json',
		timeoutMs: HOSTILE_TIMEOUT_MS,
		before(fake) {
			fake.configure({ maxPageSize: 20 });
			fake.addSessions(40, STATUS.queueing);
			fake.addSessions(45, STATUS.processing);
		},
		check(t, run) {
			const [summary] = run.items('Close All Open Sessions') ?? [];
			t.equal(openSessions(run.fake).length, 0, 'sessions the fake still has open');
			t.equal(summary?.json.closed, 85, 'closed, as Close All Open reports it', 'Close All Open Sessions');
			t.equal(run.fake.requestsTo(ROUTES.closeSession).length, 85, 'close requests');
		},
	},
	{
		id: 'e2eRedirectForeign',
		title: '15. a 307 from the Base URL to another host: not followed, the API key never reaches that host',
		workflow: 'workflows/close-one-session.json',
		exitCode: 1,
		timeoutMs: HOSTILE_TIMEOUT_MS,
		async before(fake, ctx) {
			ctx.foreign = await startForeignHost();
			fake.addSessions(1, STATUS.processing);
			fake.addFault({ route: ROUTES.closeSession, kind: 'redirect', status: 307, location: `${ctx.foreign.url}/steal`, times: Infinity });
		},
		async check(t, run) {
			const { foreign } = run.ctx;
			t.equal(foreign.requests.length, 0, 'requests that reached the foreign host');
			t.contains(run.runError?.message ?? '', 'answered with a redirect (HTTP 307)', 'error message', 'Close Session');
			await foreign.close();
		},
	},
	{
		id: 'e2eConcurrencyNaN',
		title: '17.1 Concurrency that evaluates to NaN fails the node at once, naming the field, with no request',
		workflow: 'workflows/close-one-session.json',
		exitCode: 1,
		timeoutMs: HOSTILE_TIMEOUT_MS,
		prepare: withParameters({ requestOptions: { concurrency: '={{ Number("ten") }}' } }),
		check(t, run) {
			t.contains(run.runError?.message ?? '', 'Concurrency must be a whole number from 1 to 50, not NaN', 'error message', 'Close Session');
			t.equal(run.fake.requests.length, 0, 'requests to Akool');
		},
	},
	{
		id: 'e2eRetryAfterHuge',
		title: '17.2 Retry-After 999999 on every close: Close All Open fails at once, saying how long Akool asked to wait',
		workflow: 'workflows/close-all-open.json',
		exitCode: 1,
		timeoutMs: HOSTILE_TIMEOUT_MS,
		before(fake) {
			fake.addSessions(3, STATUS.processing);
			fake.addFault({ route: ROUTES.closeSession, kind: 'http', status: 429, retryAfter: 999999, times: Infinity });
		},
		check(t, run) {
			t.contains(run.runError?.message ?? '', 'Could not close 3 open sessions', 'error message', 'Close All Open Sessions');
			t.contains(run.runError?.description ?? '', 'Akool answered HTTP 429', 'error description', 'Close All Open Sessions');
			t.equal(run.fake.requestsTo(ROUTES.closeSession).length, 3, 'close requests (one each: no stall, no retry past the budget)');
		},
	},
	{
		id: 'e2eListIgnoresPage',
		title: '17.3 a list that ignores page with an endless count: Get Many stops with a clear error after 2 requests',
		workflow: 'workflows/close-all-open.json',
		exitCode: 1,
		timeoutMs: HOSTILE_TIMEOUT_MS,
		before(fake) {
			fake.configure({ ignorePage: true, countMode: 'endless' });
			fake.addSessions(100, STATUS.processing);
		},
		check(t, run) {
			t.contains(run.runError?.message ?? '', 'page 2 repeats page 1', 'error message', 'Close All Open Sessions');
			t.ok(run.fake.requestsTo(ROUTES.listSessions).length <= 4, 'list requests (bounded)', {
				expected: 'at most 4 (2 per status)',
				actual: run.fake.requestsTo(ROUTES.listSessions).length,
			});
			t.equal(run.fake.requestsTo(ROUTES.closeSession).length, 0, 'close requests');
		},
	},
	{
		id: 'e2eDripBody',
		title: '17.4 a body dripped one byte at a time: the 1,000 ms Timeout covers the whole answer',
		workflow: 'workflows/close-one-session.json',
		exitCode: 1,
		timeoutMs: HOSTILE_TIMEOUT_MS,
		prepare: withParameters({ requestOptions: { timeout: 1000, maxAttempts: 1 } }),
		before(fake) {
			fake.addFault({ route: ROUTES.closeSession, kind: 'drip', ms: 400, endless: true, times: Infinity });
		},
		check(t, run) {
			t.contains(run.runError?.message ?? '', 'the request timed out', 'error message', 'Close Session');
			t.contains(run.runError?.description ?? '', 'No complete answer within 1000 ms', 'error description', 'Close Session');
		},
	},
	{
		id: 'debugLogNoSecrets',
		title: '15. n8n at debug log level (console and file): the wrong-key and client-secret runs print no secret',
		async command(ctx) {
			const logFile = join(ctx.userFolder, '.n8n', 'logs', 'debug.log');
			const extraEnv = { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile };
			const runs = [];
			for (const id of ['e2eWrongKey', 'e2eAuthClient', 'e2eRedirectForeign']) {
				const result = await ctx.n8n.cli(['execute', `--id=${id}`, '--rawOutput'], {
					timeoutMs: HOSTILE_TIMEOUT_MS,
					extraEnv,
					label: `debug ${id}`,
				});
				runs.push({ id, text: `${result.stdout}\n${result.stderr}` });
			}
			const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
			return { runs, log };
		},
		check(t, { runs, log }) {
			t.ok(log.includes('debug'), 'debug lines in the log file', { expected: 'some', actual: log.length });
			for (const [name, secret] of Object.entries(DEBUG_SECRETS())) {
				for (const { id, text } of runs) t.notContains(text, secret, `what n8n printed at debug level running ${id} (${name})`);
				t.notContains(log, secret, `n8n's debug log file (${name})`);
			}
		},
	},
];
