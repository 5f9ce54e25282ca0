// Loads the node and the credential from their TypeScript sources (no build, no dist/ that others may be
// rebuilding): each .ts file is transpiled on require with the repo's own TypeScript, type checks skipped.
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from '../lib/n8n.mjs';

const require = createRequire(join(REPO, 'package.json'));
const ts = require('typescript');

let hooked = false;
function hookTypeScript() {
	if (hooked) return;
	hooked = true;
	Module._extensions['.ts'] = (module, filename) => {
		const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: filename,
		});
		module._compile(outputText, filename);
	};
}

/** A module of the repository, by its path from the repository's root (a .ts file is transpiled). */
export function requireSource(path) {
	hookTypeScript();
	return require(join(REPO, path));
}

/** The node's and the credential's descriptions, as n8n reads them. */
export function loadDescriptions() {
	const { AkoolLiveAvatar } = requireSource('nodes/AkoolLiveAvatar/AkoolLiveAvatar.node.ts');
	const { AkoolApi } = requireSource('credentials/AkoolApi.credentials.ts');
	return { node: new AkoolLiveAvatar().description, credential: new AkoolApi() };
}
