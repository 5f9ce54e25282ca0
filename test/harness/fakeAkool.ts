import type { IDataObject } from 'n8n-workflow';

import { startFakeAkool, type FakeAkool, type FakeAkoolConfig } from '../fake-akool/server';
import { credentialsFor, runNode, type RunOptions } from './runNode';

/**
 * One fake Akool server for the spec file: started before its tests, reset (state, faults, requests) before
 * each, closed after. Returns a getter, since the server exists only once `beforeAll` has run.
 */
export function useFakeAkool(options?: FakeAkoolConfig): () => FakeAkool {
	let fake: FakeAkool | undefined;
	beforeAll(async () => {
		fake = await startFakeAkool(options);
	});
	beforeEach(() => fake!.reset());
	afterAll(async () => await fake?.close());
	return () => fake!;
}

/** What a runner takes besides the parameters; input items may be any JSON objects (sessions, say). */
export type RunnerOptions = Partial<Omit<RunOptions, 'parameters' | 'items'>> & {
	items?: Array<Record<string, unknown>>;
};

/**
 * A runner for whole parameter sets (resource and operation included): `run(closeSession(id))` executes the
 * node against the fake server, with an API-key credential unless told otherwise.
 */
export function nodeRunner(fake: () => FakeAkool) {
	return async (parameters: RunOptions['parameters'], options: RunnerOptions = {}) =>
		await runNode({
			credentials: credentialsFor.apiKey(fake()),
			...options,
			items: options.items as IDataObject[] | undefined,
			parameters,
		});
}

/**
 * A runner for one operation: `run({ ...its parameters })` executes the node with that resource and
 * operation against the fake server, with an API-key credential unless told otherwise. `defaults` are
 * parameters every run starts from (a valid ID, say), which the ones given to `run` override.
 */
export function operationRunner(
	fake: () => FakeAkool,
	resource: string,
	operation: string,
	defaults: RunOptions['parameters'] = {},
) {
	const run = nodeRunner(fake);
	return async (parameters: RunOptions['parameters'] = {}, options: RunnerOptions = {}) =>
		await run({ resource, operation, ...defaults, ...parameters }, options);
}

/** The `[page, size]` of every request to a list route, in order: how a spec reads the paging the node did. */
export const pagesRequested = (fake: FakeAkool, route: string) =>
	fake.requestsTo(route).map((r) => [r.query.page, r.query.size]);

/** Adds `count` ready streaming avatars of the open platform: avatar_id `extra<i>`, name `extra <i>`. */
export function addOpenAvatars(fake: FakeAkool, count: number) {
	for (let i = 0; i < count; i++) {
		const _id = `675${String(i).padStart(21, '0')}`;
		const avatar = {
			_id,
			uid: 1,
			type: 2,
			from: 3,
			status: 3,
			platform: 'open',
			url: '',
			thumbnailUrl: '',
		};
		fake.state.avatars.set(_id, { ...avatar, avatar_id: `extra${i}`, name: `extra ${i}` });
	}
}
