import { Throttle } from '../../../../nodes/AkoolLiveAvatar/transport/throttle';

describe('Throttle: how many items may be in flight', () => {
	it('starts at the configured concurrency', () => {
		expect(new Throttle(10).slots).toBe(10);
	});

	it('halves once for a burst of refusals, not once per refused request', () => {
		const throttle = new Throttle(10);

		for (let i = 0; i < 8; i++) throttle.onRefused();

		expect(throttle.slots).toBe(5);
	});

	it('halves again for a refusal after the pause has passed, down to 1 at the least', () => {
		const throttle = new Throttle(4);

		for (let burst = 0; burst < 5; burst++) throttle.onRefused(0);

		expect(throttle.slots).toBe(1);
	});

	it('wins concurrency back gradually with each success, up to the configured maximum', () => {
		const throttle = new Throttle(8);
		throttle.onRefused(0);

		let successes = 0;
		while (throttle.slots < 8 && successes < 1000) {
			throttle.onSuccess();
			successes++;
		}
		for (let i = 0; i < 100; i++) throttle.onSuccess();

		// From 4 back to 8 takes more than one success per slot (additive increase of 1/limit each).
		expect(successes).toBeGreaterThan(4);
		expect(throttle.slots).toBe(8);
	});

	it('queues acquirers beyond the slots and lets them in as others release', async () => {
		const throttle = new Throttle(2);
		const order: string[] = [];
		await throttle.acquire();
		await throttle.acquire();
		const third = throttle.acquire().then(() => order.push('third in'));

		order.push('release');
		throttle.release();
		await third;

		expect(order).toEqual(['release', 'third in']);
	});
});
