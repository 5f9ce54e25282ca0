'use strict';
// `npm run fake-akool [-- --port 3900 --latency 20 --rate-limit 50 --rate-limit-answer 429 --max-page-size 20
//   --count-mode absent --config '{"closeClosedAnswer":1000}']`
// Runs the fake Akool server on 127.0.0.1 until Ctrl-C, and prints how to reach it. Every config key of
// server.js can be given in --config (JSON), or changed later with POST /__fake/config.
const { parseArgs } = require('node:util');
const { startFakeAkool } = require('./server');

const { values: args } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.FAKE_AKOOL_PORT ?? '0' },
		latency: { type: 'string', default: '0' },
		'rate-limit': { type: 'string', default: '0' },
		'rate-limit-answer': { type: 'string', default: '1005' },
		record: { type: 'string', default: 'true' },
		'max-page-size': { type: 'string' },
		'count-mode': { type: 'string' },
		config: { type: 'string', default: '{}' },
	},
});

async function main() {
	const rate = Number(args['rate-limit']);
	const server = await startFakeAkool({
		port: Number(args.port),
		latencyMs: Number(args.latency),
		rateLimit: rate > 0 ? { perSecond: rate, answer: args['rate-limit-answer'] } : undefined,
		recordRequests: args.record !== 'false',
		...(args['max-page-size'] ? { maxPageSize: Number(args['max-page-size']) } : {}),
		...(args['count-mode'] ? { countMode: args['count-mode'] } : {}),
		...JSON.parse(args.config),
	});
	const { clientId, clientSecret } = server.config.clients[0];
	process.stdout.write(
		[
			`Fake Akool API listening on ${server.url}`,
			`  API key (x-api-key):    ${server.config.apiKeys[0]}`,
			`  client ID / secret:     ${clientId} / ${clientSecret}`,
			`  state:                  GET ${server.url}/__fake/state`,
			`  config:                 POST ${server.url}/__fake/config (see test/fake-akool/README.md)`,
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
