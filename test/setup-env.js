// Runs in every jest worker before the tests: n8n-core reads its settings from the environment and would
// otherwise write an encryption key into the home folder.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'akool-jest-'));
process.env.N8N_ENCRYPTION_KEY ??= 'jest-only-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
