import {
	simplify,
	statusNameFrom,
	withStatusName,
} from '../../../../nodes/AkoolLiveAvatar/helpers/simplify';
import { sessionStatusName } from '../../../../nodes/AkoolLiveAvatar/transport';

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

	it('puts the word of a known status code right after it, from the status table', () => {
		expect(simplify({ status: 2, _id: 'a' }, ['_id', 'status'], sessionStatusName)).toEqual({
			_id: 'a',
			status: 2,
			statusName: 'processing',
		});
		expect(simplify({ status: 9 }, ['status'], sessionStatusName)).toEqual({ status: 9 });
		expect(simplify({ status: 2 }, ['status'])).toEqual({ status: 2 });
	});
});

describe('withStatusName', () => {
	it('adds the word after the code and keeps every other field as it is', () => {
		const names = statusNameFrom({ ready: 3 });
		expect(Object.entries(withStatusName({ a: 1, status: 3, t_time: 5 }, names))).toEqual([
			['a', 1],
			['status', 3],
			['statusName', 'ready'],
			['t_time', 5],
		]);
		expect(withStatusName({ status: 1 }, names)).toEqual({ status: 1 });
	});
});
