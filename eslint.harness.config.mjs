// ESLint for the harness programs (test/**/*.mjs and *.js): `npm run lint:harness`. A config of its own, so that
// `n8n-node lint` (strict: eslint.config.mjs may not change) keeps judging the node's TypeScript alone.
import js from '@eslint/js';
import globals from 'globals';

export default [
	// test/fake-akool/ is another owner's and not yet formatted to these rules (its server is one 430-line function).
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fake-akool/**'] },
	{
		files: ['test/**/*.{mjs,js}', 'eslint.harness.config.mjs'],
		...js.configs.recommended,
		languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
	},
	{ files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
	{ files: ['test/*.js'], languageOptions: { globals: { ...globals.jest } } },
	{
		files: ['test/**/*.{mjs,js}', 'eslint.harness.config.mjs'],
		rules: {
			'max-len': ['error', { code: 140, tabWidth: 2, ignoreUrls: true }],
			'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
			'no-unused-vars': ['error', { ignoreRestSiblings: true, caughtErrors: 'none' }],
			'no-shadow': 'error',
		},
	},
];
