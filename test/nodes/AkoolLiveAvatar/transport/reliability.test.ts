import type { INodeParameters } from 'n8n-workflow';

import { requestOptionsProperty } from '../../../../nodes/AkoolLiveAvatar/actions/requestOptions.description';
import {
	DEFAULT_RETRY,
	retrySettingsFrom,
} from '../../../../nodes/AkoolLiveAvatar/transport/retryPolicy';
import { startFakeAkool, SESSION_STATUS, type Fault } from '../../../fake-akool/server';
import { nodeRunner, useFakeAkool } from '../../../harness/fakeAkool';
import { byId, closeSession } from '../../../harness/parameters';
import { credentialsFor } from '../../../harness/runNode';

/**
 * The retry policy and input checks, one row per hostile input or server fault, driven through real node
 * executions against the fake Akool server. Each row says what must happen: the item succeeds after so many
 * attempts, or fails with which message and hint after so many attempts (0: nothing was sent). In every
 * failure, the API key must appear nowhere in the error.
 */

const API_KEY = 'test-api-key';
const ROUTES = {
	close: 'POST /api/open/v4/liveAvatar/session/close',
	create: 'POST /api/open/v4/liveAvatar/session/create',
	list: 'GET /api/open/v4/liveAvatar/session/list',
	get: 'GET /api/open/v4/liveAvatar/session/detail',
} as const;

type Operation = keyof typeof ROUTES;

interface Row {
	name: string;
	operation: Operation;
	/** Faults the server applies, in order; `route` defaults to the operation's. */
	faults?: Fault[];
	/** Overrides of the operation's parameters (hostile inputs). */
	parameters?: INodeParameters;
	requestOptions?: INodeParameters;
	/** Point the credential at a port where nothing listens. */
	serverDown?: boolean;
	expected:
		| { succeeds: true; attempts: number }
		| { message: string | RegExp; hint?: string | RegExp; attempts: number };
}

const html502: Fault = { kind: 'http', status: 502 };
const once = (fault: Fault, times = 1): Fault => ({ ...fault, times });

const rows: Row[] = [
	// ---- Close: idempotent, retried after every transient failure ------------------------------------
	{
		name: 'HTTP 502 HTML page once',
		operation: 'close',
		faults: [html502],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'HTTP 503 twice',
		operation: 'close',
		faults: [once({ kind: 'http', status: 503 }, 2)],
		expected: { succeeds: true, attempts: 3 },
	},
	{
		name: 'HTTP 429 with Retry-After: 0',
		operation: 'close',
		faults: [{ kind: 'http', status: 429, retryAfter: 0 }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'code 1005 (too frequent) once',
		operation: 'close',
		faults: [{ kind: 'code', code: 1005 }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'code 2001 (server error) once',
		operation: 'close',
		faults: [{ kind: 'code', code: 2001 }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'connection dropped before processing',
		operation: 'close',
		faults: [{ kind: 'drop' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'answer lost after the session was closed (the retry hears 1219)',
		operation: 'close',
		faults: [{ kind: 'dropAfter' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'no answer within the timeout',
		operation: 'close',
		faults: [{ kind: 'hang' }],
		requestOptions: { timeout: 300 },
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'truncated JSON once',
		operation: 'close',
		faults: [{ kind: 'malformed' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'empty body once',
		operation: 'close',
		faults: [{ kind: 'empty' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'JSON without code once',
		operation: 'close',
		faults: [{ kind: 'noCode' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'mixed 502, drop and 1005 in a row',
		operation: 'close',
		faults: [html502, { kind: 'drop' }, { kind: 'code', code: 1005 }],
		expected: { succeeds: true, attempts: 4 },
	},
	{
		name: 'HTTP 500 on every attempt',
		operation: 'close',
		faults: [once({ kind: 'http', status: 500 }, Infinity)],
		expected: {
			message: /^Akool answered HTTP 500$/,
			hint: 'Tried 5 times',
			attempts: 5,
		},
	},
	{
		name: 'code 1005 on every attempt, 3 attempts allowed',
		operation: 'close',
		faults: [once({ kind: 'code', code: 1005 }, Infinity)],
		requestOptions: { maxAttempts: 3 },
		expected: {
			message: 'Akool is rate limiting this account (operation too frequent)',
			hint: /Lower Request Options[\s\S]*Tried 3 times/,
			attempts: 3,
		},
	},
	{
		name: 'a retry budget of 0 seconds',
		operation: 'close',
		faults: [html502],
		requestOptions: { maxRetryTime: 0 },
		expected: { message: /^Akool answered HTTP 502/, attempts: 1 },
	},
	{
		name: 'retries turned off (1 attempt)',
		operation: 'close',
		faults: [html502],
		requestOptions: { maxAttempts: 1 },
		expected: { message: /^Akool answered HTTP 502/, attempts: 1 },
	},
	{
		name: 'HTTP 404 HTML page (wrong base URL path): not retried',
		operation: 'close',
		faults: [{ kind: 'reply', status: 404, body: '<html>Not Found</html>' }],
		expected: {
			message: 'Akool answered HTTP 404',
			hint: 'Base URL',
			attempts: 1,
		},
	},
	{
		name: 'unknown session (1216): not retried',
		operation: 'close',
		parameters: { sessionId: byId('000000000000000000000000') },
		expected: {
			message: 'The session does not exist',
			hint: 'Create Session',
			attempts: 1,
		},
	},
	{
		name: 'invalid key (1101): not retried',
		operation: 'close',
		faults: [{ kind: 'code', code: 1101 }],
		expected: { message: 'Akool rejected the credential', hint: 'API key', attempts: 1 },
	},
	{
		name: 'parameter error (1003): not retried',
		operation: 'close',
		faults: [{ kind: 'code', code: 1003 }],
		expected: {
			message: /rejected a parameter/,
			hint: 'IDs mapped from earlier nodes',
			attempts: 1,
		},
	},
	{
		name: 'nothing listening at the base URL',
		operation: 'close',
		serverDown: true,
		requestOptions: { maxAttempts: 3 },
		expected: {
			message: /^Could not reach Akool at http:\/\/127\.0\.0\.1:\d+: the connection was refused$/,
			hint: /ECONNREFUSED[\s\S]*Tried 3 times/,
			attempts: 0,
		},
	},

	// ---- Create Session: costs credits, never sent twice after it may have reached Akool ---------------
	{
		name: 'create: code 1005 once (refused, so retried)',
		operation: 'create',
		faults: [{ kind: 'code', code: 1005 }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'create: HTTP 429 once (refused, so retried)',
		operation: 'create',
		faults: [{ kind: 'http', status: 429, retryAfter: 0 }],
		expected: { succeeds: true, attempts: 2 },
	},
	...(['dropAfter', 'drop', 'malformed', 'empty'] as const).map(
		(kind): Row => ({
			name: `create: ${kind} (may have reached Akool): not retried`,
			operation: 'create',
			faults: [{ kind }],
			expected: {
				message:
					'No clear answer from Akool, which may have created the session (and pre-charged its credits)',
				hint: /not sent again.*Session → Get Many/,
				attempts: 1,
			},
		}),
	),
	{
		name: 'create: HTTP 502 (a proxy may have forwarded it): not retried',
		operation: 'create',
		faults: [html502],
		expected: {
			message: /^No clear answer from Akool, which may have created the session/,
			hint: /^Akool answered HTTP 502/,
			attempts: 1,
		},
	},
	{
		name: 'create: code 2001 (server error): not retried',
		operation: 'create',
		faults: [{ kind: 'code', code: 2001 }],
		expected: {
			message: /^No clear answer from Akool, which may have created the session/,
			attempts: 1,
		},
	},
	{
		name: 'create: no answer within the timeout: not retried',
		operation: 'create',
		faults: [{ kind: 'hang' }],
		requestOptions: { timeout: 300 },
		expected: { message: /^No clear answer from Akool/, hint: /timed out/, attempts: 1 },
	},
	{
		name: 'create: insufficient credit (1104)',
		operation: 'create',
		faults: [{ kind: 'code', code: 1104 }],
		expected: { message: /too few credits/, hint: 'pre-charge credits', attempts: 1 },
	},
	{
		name: 'create: avatar busy (1215)',
		operation: 'create',
		faults: [{ kind: 'code', code: 1215 }],
		expected: { message: /avatar is busy/, hint: 'another avatar', attempts: 1 },
	},
	{
		name: 'create: nothing listening (never reached Akool, so retried)',
		operation: 'create',
		serverDown: true,
		requestOptions: { maxAttempts: 2 },
		expected: {
			message: /the connection was refused$/,
			hint: /Tried 2 times/,
			attempts: 0,
		},
	},

	// ---- Reads ----------------------------------------------------------------------------------------
	{
		name: 'get: HTTP 504 once',
		operation: 'get',
		faults: [{ kind: 'http', status: 504 }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'get: dropped connection once',
		operation: 'get',
		faults: [{ kind: 'drop' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'list: truncated JSON once',
		operation: 'list',
		faults: [{ kind: 'malformed' }],
		expected: { succeeds: true, attempts: 2 },
	},
	{
		name: 'list: code 1005 twice',
		operation: 'list',
		faults: [once({ kind: 'code', code: 1005 }, 2)],
		expected: { succeeds: true, attempts: 3 },
	},

	// ---- Hostile inputs: refused before any request ----------------------------------------------------
	...(
		[
			['a list', ['a', 'b'], 'must be text, but is a list'],
			['a boolean', true, 'must be text, but is a boolean'],
			['a number', 42, 'must be text, but is a number'],
			['an object', { _id: 'x' }, 'must be text, but is an object'],
			['an empty string', '', 'is empty'],
			['only spaces and tabs', ' \t  ', 'is empty'],
		] as const
	).map(
		([what, value, problem]): Row => ({
			name: `close: a session ID that is ${what}`,
			operation: 'close',
			parameters: { sessionId: byId(value) },
			expected: { message: `Session ID ${problem}`, hint: 'Session → Create', attempts: 0 },
		}),
	),
	{
		name: 'create: duration above 3600 s',
		operation: 'create',
		parameters: { duration: 3601 },
		expected: { message: /^Duration.*3600.*$/, attempts: 0 },
	},
	{
		name: 'create: negative duration',
		operation: 'create',
		parameters: { duration: -5 },
		expected: { message: /^Duration.*$/, attempts: 0 },
	},
	{
		name: 'create: duration that is not a number',
		operation: 'create',
		parameters: { duration: 'ten minutes' },
		expected: { message: /^Duration.*$/, attempts: 0 },
	},
	{
		name: 'create: blank avatar ID',
		operation: 'create',
		parameters: { avatarId: byId('  ') },
		expected: { message: 'Avatar ID is empty', hint: 'avatar_id', attempts: 0 },
	},
	{
		name: 'create: background URL that is not http(s)',
		operation: 'create',
		parameters: { additionalFields: { backgroundUrl: 'javascript:alert(1)' } },
		expected: { message: /^Background URL is not an http\(s\) URL/, attempts: 0 },
	},
	{
		name: 'get: a session ID that is an object',
		operation: 'get',
		parameters: { sessionId: byId({ a: 1 }) },
		expected: { message: 'Session ID must be text, but is an object', attempts: 0 },
	},
];

describe('reliability: retries, faults and hostile input, row by row', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);
	let downUrl: string;
	beforeAll(async () => {
		const down = await startFakeAkool();
		downUrl = down.url;
		await down.close();
	});

	function parametersFor(operation: Operation, sessionId: string): INodeParameters {
		switch (operation) {
			case 'close':
				return closeSession(sessionId);
			case 'get':
				return { resource: 'session', operation: 'get', sessionId: byId(sessionId) };
			case 'list':
				return { resource: 'session', operation: 'getAll', returnAll: true, filters: {} };
			case 'create':
				return {
					resource: 'session',
					operation: 'create',
					avatarId: byId('dvp_Tristan_cloth2_1080P'),
					duration: 600,
				};
		}
	}

	it('has at least 40 rows', () => {
		expect(rows.length).toBeGreaterThanOrEqual(40);
	});

	it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
		const [session] = fake().addSessions(1);
		for (const fault of row.faults ?? [])
			fake().addFault({ route: ROUTES[row.operation], ...fault });
		const parameters = {
			...parametersFor(row.operation, session._id),
			...row.parameters,
			requestOptions: { retryDelay: 1, ...row.requestOptions },
		};
		const credentials = {
			...credentialsFor.apiKey(fake()),
			...(row.serverDown ? { baseUrl: downUrl } : {}),
		};

		const outcome = await run(parameters, { credentials }).then(
			(result) => ({ result }),
			(error: Error & { description?: string }) => ({ error }),
		);
		const attempts = fake().requestsTo(ROUTES[row.operation]).length;

		if ('succeeds' in row.expected) {
			expect('error' in outcome ? outcome.error.message : 'succeeded').toBe('succeeded');
			expect(attempts).toBe(row.expected.attempts);
		} else {
			expect('result' in outcome ? 'succeeded' : 'failed').toBe('failed');
			const error = (outcome as { error: Error & { description?: string } }).error;
			expect(error.message).toEqual(
				typeof row.expected.message === 'string'
					? row.expected.message
					: expect.stringMatching(row.expected.message),
			);
			if (row.expected.hint) {
				expect(error.description ?? '').toEqual(
					typeof row.expected.hint === 'string'
						? expect.stringContaining(row.expected.hint)
						: expect.stringMatching(row.expected.hint),
				);
			}
			expect(attempts).toBe(row.expected.attempts);
			expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(API_KEY);
		}
	});

	it('never creates a second session when the answer to Create Session is lost', async () => {
		fake().addFault({ route: ROUTES.create, kind: 'dropAfter' });

		await run({ ...parametersFor('create', ''), requestOptions: { retryDelay: 1 } }).catch(
			() => undefined,
		);

		expect(
			[...fake().state.sessions.values()].filter(
				(s) => s.avatar_id === 'dvp_Tristan_cloth2_1080P' && s.status === SESSION_STATUS.queueing,
			),
		).toHaveLength(1);
	});

	it('closes each session exactly once although answers are lost, and reports all as closed', async () => {
		const sessions = fake().addSessions(10);
		const lostAnswer = new Set([1, 4, 7].map((i) => sessions[i]._id));
		const badGateway = new Set([2, 5, 8].map((i) => sessions[i]._id));
		fake().addFault({
			route: ROUTES.close,
			kind: 'dropAfter',
			times: 3,
			when: (r) => lostAnswer.has(r.body.id as string),
		});
		fake().addFault({
			route: ROUTES.close,
			kind: 'http',
			status: 502,
			times: 3,
			when: (r) => badGateway.has(r.body.id as string),
		});

		const { items } = await run(
			{ ...closeSession('={{ $json._id }}'), requestOptions: { retryDelay: 1 } },
			{ items: sessions.map((s) => ({ _id: s._id })) },
		);

		expect(items.map((i) => i.json)).toEqual(
			sessions.map((s) => ({ sessionId: s._id, alreadyClosed: false })),
		);
		expect(sessions.map((s) => fake().state.sessions.get(s._id)?.status)).toEqual(
			sessions.map(() => SESSION_STATUS.completed),
		);
		// Each lost answer cost one retry, which heard "already closed"; no session was closed twice.
		expect(fake().requestsTo(ROUTES.close)).toHaveLength(16);
	});

	it('honours Retry-After when it asks for longer than the backoff', async () => {
		const [session] = fake().addSessions(1);
		fake().addFault({ route: ROUTES.close, kind: 'http', status: 429, retryAfter: 1 });

		await run({ ...closeSession(session._id), requestOptions: { retryDelay: 1 } });

		const [first, second] = fake().requestsTo(ROUTES.close);
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	it('stops waiting at once when the execution is cancelled', async () => {
		const [session] = fake().addSessions(1);
		const cancel = new AbortController();
		fake().addFault({
			route: ROUTES.close,
			kind: 'code',
			code: 1005,
			times: Infinity,
			when: () => (cancel.abort(), true),
		});

		// With a 10-minute retry delay, only the cancellation can end this within jest's timeout.
		const error = await run(
			{ ...closeSession(session._id), requestOptions: { retryDelay: 600_000, maxRetryTime: 3600 } },
			{ abortSignal: cancel.signal },
		).catch((e: unknown) => e);

		expect(error).toBeDefined();
		expect(fake().requestsTo(ROUTES.close)).toHaveLength(1);
	});
});

describe('Request Options', () => {
	it('shows the defaults the retry policy uses', () => {
		const shown = Object.fromEntries(
			(requestOptionsProperty.options as Array<{ name: string; default: number }>).map((o) => [
				o.name,
				o.default,
			]),
		);

		expect(retrySettingsFrom(shown)).toEqual(DEFAULT_RETRY);
		expect(retrySettingsFrom({})).toEqual(DEFAULT_RETRY);
	});
});
