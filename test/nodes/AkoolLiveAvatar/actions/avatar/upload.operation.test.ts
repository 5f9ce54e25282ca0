import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';

const UPLOAD = 'POST /api/open/v3/avatar/create';
const STATUS = 'GET /api/open/v3/avatar/detail';
const VIDEO = 'https://cdn.example/videos/anna.mp4';

const valid = { videoUrl: VIDEO, newAvatarId: 'anna01', name: 'Anna' };
/** Waiting with short intervals, so that the tests take milliseconds. */
const waitQuickly = { waitForReady: true, pollInterval: 0.05, waitTimeout: 5 };

const fake = useFakeAkool();
const run = operationRunner(fake, 'avatar', 'upload', valid);

describe('Avatar → Upload', () => {
	it('sends the documented body once and returns the queued avatar without waiting', async () => {
		const { items } = await run({});

		expect(
			fake()
				.requestsTo(UPLOAD)
				.map((r) => r.body),
		).toEqual([{ url: VIDEO, avatar_id: 'anna01', name: 'Anna', type: 2, url_from: 1 }]);
		expect(fake().requestsTo(STATUS)).toHaveLength(0);
		expect(items).toEqual([
			{
				json: {
					_id: expect.stringMatching(/^[0-9a-f]{24}$/),
					avatar_id: 'anna01',
					name: 'Anna',
					status: 1,
					statusName: 'queueing',
					gender: '',
					url: VIDEO,
					thumbnailUrl: '',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends url_from 2 for third-party platforms, and every field when Simplify is off', async () => {
		const { items } = await run({
			urlSource: 2,
			videoUrl: 'https://www.youtube.com/watch?v=abc',
			simplify: false,
		});
		expect(fake().requestsTo(UPLOAD)[0].body).toMatchObject({
			url_from: 2,
			url: 'https://www.youtube.com/watch?v=abc',
		});
		expect(items[0].json).toMatchObject({
			uid: 100010,
			type: 2,
			from: 3,
			disabled: false,
			crop_arr: [],
		});
	});

	it('waits until the avatar is ready (status 3) and returns it', async () => {
		fake().config.avatarReadyAfterPolls = 3;
		const { items } = await run(waitQuickly);

		const uploaded = fake().requestsTo(UPLOAD);
		expect(uploaded).toHaveLength(1);
		const polls = fake().requestsTo(STATUS);
		expect(polls).toHaveLength(3);
		expect(new Set(polls.map((r) => JSON.stringify(r.query)))).toEqual(
			new Set([JSON.stringify({ id: items[0].json._id })]),
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({ avatar_id: 'anna01', name: 'Anna', status: 3, url: VIDEO }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('fails clearly when Akool cannot process the video (status 4), without uploading again', async () => {
		const error = await run({ ...waitQuickly, videoUrl: 'https://cdn.example/fail.mp4' }).catch(
			(e: Error) => e,
		);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(
			/^Akool could not process the video of avatar "Anna" \(avatar_id anna01, _id [0-9a-f]{24}\)/,
		);
		expect((error as { description?: string }).description).toMatch(/publicly reachable/);
		expect(fake().requestsTo(UPLOAD)).toHaveLength(1);
		expect(fake().requestsTo(STATUS)).toHaveLength(2);
	});

	it('gives up after the wait timeout, saying the avatar may still become ready', async () => {
		fake().config.avatarReadyAfterPolls = 1_000_000;
		const started = Date.now();
		const error = await run({ ...waitQuickly, waitTimeout: 0.3 }).catch((e: Error) => e);
		const elapsed = Date.now() - started;

		const id = fake().requestsTo(STATUS)[0]?.query.id;
		expect(id).toMatch(/^[0-9a-f]{24}$/);
		expect((error as Error).message).toBe(
			`Avatar "Anna" (avatar_id anna01, _id ${id}) is still processing after 0.3 seconds (status 2)`,
		);
		expect((error as { description?: string }).description).toMatch(
			/may still become ready: check later with Avatar → Get/,
		);
		expect(elapsed).toBeGreaterThanOrEqual(300);
		expect(elapsed).toBeLessThan(3000);
		expect(fake().requestsTo(UPLOAD)).toHaveLength(1);
		expect(fake().requestsTo(STATUS).length).toBeGreaterThanOrEqual(3);
	});

	it('says the upload succeeded when checking its status fails', async () => {
		fake().addFault({ kind: 'code', code: 1009, route: 'v3/avatar/detail' });
		const error = await run(waitQuickly).catch((e: Error) => e);

		expect((error as Error).message).toMatch(
			/^Could not check whether avatar "Anna" .* is ready: The credential has no permission for this resource/,
		);
		expect((error as { description?: string }).description).toMatch(
			/^The upload itself succeeded: do not upload it again/,
		);
		expect(fake().requestsTo(UPLOAD)).toHaveLength(1);
	});

	it("reports Akool's refusal of the upload and does not wait", async () => {
		const error = await run({ ...waitQuickly, newAvatarId: 'aigcOlivia01' }).catch((e: Error) => e);
		expect((error as Error).message).toBe('The resource already exists');
		expect(fake().requestsTo(UPLOAD)).toHaveLength(1);
		expect(fake().requestsTo(STATUS)).toHaveLength(0);
	});

	it.each([
		['the answer is lost', { kind: 'dropAfter' as const }],
		['Akool reports a server error', { kind: 'code' as const, code: 2001 }],
	])('never sends the upload twice when %s', async (_case, fault) => {
		fake().addFault({ ...fault, route: 'v3/avatar/create' });
		await expect(run(waitQuickly)).rejects.toThrow();
		expect(fake().requestsTo(UPLOAD)).toHaveLength(1);
		expect(fake().requestsTo(STATUS)).toHaveLength(0);
	});

	it.each([
		[
			{ newAvatarId: 'anna-01' },
			'New Avatar ID may contain only letters and digits (no spaces, dashes or underscores)',
		],
		[{ newAvatarId: '' }, 'New Avatar ID is empty'],
		[
			{ videoUrl: 'ftp://cdn.example/anna.mp4' },
			'Video URL is not an http(s) URL: "ftp://cdn.example/anna.mp4"',
		],
		[{ name: '   ' }, 'Name is empty'],
		[{ urlSource: 3 }, 'URL Source must be one of 1, 2, not "3"'],
		[
			{ ...waitQuickly, pollInterval: 0.01 },
			'Poll Interval must be a number from 0.05 up to 300, not 0.01',
		],
		[
			{ ...waitQuickly, waitTimeout: 0 },
			'Wait Timeout must be a number from 0.1 up to 3600, not 0',
		],
		[
			{ ...waitQuickly, waitTimeout: 7200 },
			'Wait Timeout must be a number from 0.1 up to 3600, not 7200',
		],
	])('rejects %j before sending anything', async (parameters, message) => {
		await expect(run(parameters)).rejects.toThrow(message);
		expect(fake().requests).toHaveLength(0);
	});

	it('handles each item on its own under Continue On Fail', async () => {
		const { items } = await run(
			{ newAvatarId: '={{ $json.id }}', name: '={{ $json.name }}' },
			{
				items: [
					{ id: 'bad id', name: 'A' },
					{ id: 'good1', name: 'B' },
				],
				continueOnFail: true,
			},
		);
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: expect.stringContaining('New Avatar ID may contain only letters and digits'),
				}),
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({ avatar_id: 'good1', name: 'B', status: 1 }),
				pairedItem: { item: 1 },
			},
		]);
		expect(
			fake()
				.requestsTo(UPLOAD)
				.map((r) => r.body.avatar_id),
		).toEqual(['good1']);
	});

	describe('workflows saved before New Avatar ID (0.1: the field was named avatarId)', () => {
		const saved = { videoUrl: VIDEO, name: 'Anna', newAvatarId: undefined };

		it('still upload with the ID saved under the old name', async () => {
			const { items } = await run({ ...saved, avatarId: 'anna01' });
			expect(fake().requestsTo(UPLOAD)[0].body).toMatchObject({ avatar_id: 'anna01' });
			expect(items[0].json).toMatchObject({ avatar_id: 'anna01' });
		});

		it('prefer New Avatar ID once it is filled in', async () => {
			await run({ ...saved, avatarId: 'old01', newAvatarId: 'new01' });
			expect(fake().requestsTo(UPLOAD)[0].body).toMatchObject({ avatar_id: 'new01' });
		});

		it("ignore a picker's value carried over from Avatar → Get, and say New Avatar ID is empty", async () => {
			await expect(
				run({ ...saved, avatarId: { __rl: true, mode: 'list', value: 'dvp_Sean_agent_20241224' } }),
			).rejects.toThrow('New Avatar ID is empty');
			expect(fake().requests).toHaveLength(0);
		});
	});
});
