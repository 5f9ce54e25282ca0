'use strict';
// `npm run fake-akool [-- --port 3900 --latency 20 --rate-limit 50 --rate-limit-answer 429]`
// Runs the fake Akool server on 127.0.0.1 until Ctrl-C, and prints how to reach it.
const { startFakeAkool } = require('./server');

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}

async function main() {
	const rate = Number(option('rate-limit', 0));
	const server = await startFakeAkool({
		port: Number(option('port', process.env.FAKE_AKOOL_PORT ?? 0)),
		latencyMs: Number(option('latency', 0)),
		rateLimit: rate > 0 ? { perSecond: rate, answer: option('rate-limit-answer', '1005') } : undefined,
		recordRequests: option('record', 'true') !== 'false',
	});
	const { clientId, clientSecret } = server.config.clients[0];
	process.stdout.write(
		[
			`Fake Akool API listening on ${server.url}`,
			`  API key (x-api-key):    ${server.config.apiKeys[0]}`,
			`  client ID / secret:     ${clientId} / ${clientSecret}`,
			`  state:                  GET ${server.url}/__fake/state`,
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	const stop = () => server.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});
