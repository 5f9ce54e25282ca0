import { startFakeAkool } from '../../../../fake-akool/server';
import { credentialsFor, runNode } from '../../../../harness/runNode';

it('smoke', async () => {
	const fake = await startFakeAkool();
	const [s] = fake.addSessions(1);
	const r = await runNode({
		parameters: { resource: 'session', operation: 'close', sessionId: { __rl: true, mode: 'id', value: s._id } },
		credentials: credentialsFor.apiKey(fake),
	});
	console.log(JSON.stringify(r.items), JSON.stringify(fake.requests.map((q) => [q.route, q.headers, q.body])));
	await fake.close();
});
