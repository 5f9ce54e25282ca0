import {
	namesByCode,
	SESSION_STATUS_NAMES,
	simplify,
	withStatusName,
} from '../../../../nodes/AkoolLiveAvatar/helpers/simplify';

describe('simplify', () => {
	it('keeps only the given fields, in their order, and leaves out missing ones', () => {
		expect(simplify({ b: 2, a: 1, c: 3 }, ['a', 'b', 'z'])).toEqual({ a: 1, b: 2 });
		expect(Object.keys(simplify({ b: 2, a: 1 }, ['a', 'b']))).toEqual(['a', 'b']);
	});

	it('writes *_time fields as ISO dates, from epoch milliseconds or seconds, and leaves other values', () => {
		const ms = Date.UTC(2026, 10, 30, 7, 41);
		expect(
			simplify({ create_time: ms, update_time: ms / 1000, close_time: '', x_time: null }, [
				'create_time',
				'update_time',
				'close_time',
				'x_time',
			]),
		).toEqual({
			create_time: '2026-11-30T07:41:00.000Z',
			update_time: '2026-11-30T07:41:00.000Z',
			close_time: '',
			x_time: null,
		});
	});

	it('puts the word of a known status code right after it, built from the status table', () => {
		expect(SESSION_STATUS_NAMES).toEqual({
			1: 'queueing',
			2: 'processing',
			3: 'completed',
			4: 'failed',
		});
		expect(simplify({ status: 2, _id: 'a' }, ['_id', 'status'], SESSION_STATUS_NAMES)).toEqual({
			_id: 'a',
			status: 2,
			status_name: 'processing',
		});
		expect(simplify({ status: 9 }, ['status'], SESSION_STATUS_NAMES)).toEqual({ status: 9 });
		expect(simplify({ status: 2 }, ['status'])).toEqual({ status: 2 });
	});
});

describe('withStatusName', () => {
	it('adds the word after the code and keeps every other field as it is', () => {
		const names = namesByCode({ ready: 3 });
		expect(Object.entries(withStatusName({ a: 1, status: 3, t_time: 5 }, names))).toEqual([
			['a', 1],
			['status', 3],
			['status_name', 'ready'],
			['t_time', 5],
		]);
		expect(withStatusName({ status: 1 }, names)).toEqual({ status: 1 });
	});
});
