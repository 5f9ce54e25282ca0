// n8n-core's SSHClientsManager (created with every ExecuteContext) keeps a 60 s cleanup interval that n8n
// itself clears on shutdown; without this, jest waits for it after the tests. JavaScript, like the other
// files that touch Node internals, because lint forbids such code in .ts files.
const { dirname } = require('node:path');

afterAll(() => {
	const coreDir = dirname(require.resolve('n8n-core/package.json'));
	const { Container } = require(require.resolve('@n8n/di', { paths: [coreDir] }));
	const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');
	Container.get(SSHClientsManager).onShutdown();
});
