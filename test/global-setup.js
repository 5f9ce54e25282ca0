// One temporary n8n user folder for the whole jest run: n8n-core reads its settings from the environment and
// would otherwise write an encryption key into the home folder. Workers inherit the environment set here.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'akool-jest-'));
	process.env.N8N_ENCRYPTION_KEY ??= 'jest-only-encryption-key';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
};
