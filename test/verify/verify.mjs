// `npm run verify`: the package checked before it is published, the way n8n's verification scanner
// (@n8n/scan-community-package) checks it, section by section below (packed into a temporary folder). ESLint lints
// the sources too: the scanner lints the source commit of the npm provenance, and most node rules only see .ts.
//   npm run verify [-- --skip-build] [-- --keep]   pack dist/ as it is; keep the temporary folder (printed)
//   npm run verify -- --dir <folder>               check a copy of an extracted package folder; no build, no pack
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';

import { REPO as ROOT, buildAndPack, onStop, readJson, runOrThrow } from '../lib/n8n.mjs';
import { reporter, say, show } from '../lib/report.mjs';

const MAX_TARBALL_BYTES = 60_000;
/** What `files: ["dist"]` plus npm's always-included files may put in the tarball. */
const ALLOWED_TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md']);
/** Scripts npm runs when the package is installed (list of @n8n/community-nodes/no-forbidden-lifecycle-scripts). */
const FORBIDDEN_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare', 'prepublish'];
const RUNTIME_DEPENDENCIES = ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies'];
/** Credential fields whose value is a secret and must be masked. */
const SECRET_FIELD = /secret|key|token|password|passwd/i;
const NAME_AND_EMAIL = /^\s*[^<\s][^<]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>/;
/** Comments the scanner ignores (it runs with --no-inline-config). */
const INLINE_ESLINT = /eslint-disable|eslint-enable|\/\*\s*eslint\s/;

const { values: opt } = parseArgs({ options: { 'skip-build': { type: 'boolean' }, keep: { type: 'boolean' }, dir: { type: 'string' } } });
const verify = reporter('verify');
const { check } = verify;
const tmp = mkdtempSync(join(tmpdir(), 'akool-verify-'));
const pkgDir = join(tmp, 'package');
const requireFromRepo = createRequire(join(ROOT, 'package.json'));
let warnings = 0;
/** Worth knowing, not a failure. */
function warn(label, details) {
	warnings += 1;
	say(`! ${label} — ${details}`);
}

const stop = onStop(() =>
	opt.keep ? say(`\n(kept ${tmp}; the extracted package is ${pkgDir})`) : rmSync(tmp, { recursive: true, force: true }),
);
function finish() {
	stop();
	process.exit(verify.finish(warnings ? `${warnings} warning(s), not counted as failures` : '') ? 1 : 0);
}

/** A check the rest needs: when it fails, the report ends there. A `quiet` one is printed only when it fails. */
async function must(label, action, quiet = false) {
	try {
		const result = await action();
		if (!quiet) check(true, label);
		return result;
	} catch (error) {
		check(false, label, error.message);
		finish();
	}
}

/** Builds (unless --skip-build), packs and extracts the package into pkgDir; returns [tarball bytes, which tarball]. */
async function packAndExtract() {
	if (opt.dir) {
		const copy = () => cpSync(resolve(opt.dir), pkgDir, { recursive: true, filter: (src) => basename(src) !== 'node_modules' });
		await must(`using extracted package ${resolve(opt.dir)} (no build, no pack)`, copy);
		// Re-packed only to measure it as npm would ship it.
		await runOrThrow('tar', ['-czf', join(tmp, 'repacked.tgz'), '-C', tmp, 'package']);
		return [statSync(join(tmp, 'repacked.tgz')).size, 'folder re-packed with tar -czf'];
	}
	if (opt['skip-build']) check(existsSync(join(ROOT, 'dist')), 'npm run build skipped (--skip-build): packing the current dist/');
	else await must('npm run build', () => runOrThrow('npm', ['run', 'build']));
	const { tarball, info } = await must('npm pack', () => buildAndPack(tmp, { skipBuild: true }));
	mkdirSync(pkgDir);
	await must('tarball extracts', () => runOrThrow('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']));
	return [statSync(tarball).size, info.filename];
}

/** Checks as [label, (...args) => actual, expected]: a pattern the actual value matches, a predicate, or the value. */
const PACKAGE_CHECKS = [
	['name is n8n-nodes-*', (p) => p.name, /^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/],
	['keywords include n8n-community-node-package', (p) => p.keywords, (k) => Array.isArray(k) && k.includes('n8n-community-node-package')],
	['version is semver', (p) => p.version, /^\d+\.\d+\.\d+/],
	['description present', (p) => typeof p.description === 'string' && p.description.trim() !== '', true],
	['files is exactly ["dist"]', (p) => p.files, ['dist']],
	['no runtime dependencies', (p) => RUNTIME_DEPENDENCIES.filter((key) => Object.keys(p[key] ?? {}).length), []],
	['peerDependencies is exactly {"n8n-workflow":"*"}', (p) => p.peerDependencies, { 'n8n-workflow': '*' }],
	['no install-time lifecycle scripts', (p) => FORBIDDEN_SCRIPTS.filter((script) => script in (p.scripts ?? {})), []],
	['no overrides', (p) => p.overrides, undefined],
	// "Name <email>", whether package.json gives the author as a string or as {name, email}.
	['author has name and email', ({ author: a }) => (typeof a === 'string' ? a : `${a?.name} <${a?.email}>`), NAME_AND_EMAIL],
	['homepage', (p) => p.homepage, /^https?:\/\/\S+$/],
	['license is MIT', (p) => p.license, 'MIT'],
	['n8n.n8nNodesApiVersion is 1', (p) => p.n8n?.n8nNodesApiVersion, 1],
	['n8n.strict is true', (p) => p.n8n?.strict, true],
];
const credentialNames = new Set();
const shipped = (name) => credentialNames.has(name);
/** The same for each credential and node: (description, its .js file, package.json) => actual. */
const DESCRIPTION_CHECKS = {
	credentials: [
		['icons light and dark', (c, file) => badIcons(c.icon, file), []],
		['has a test request', (c) => c.test?.request?.url, /\S/],
		['secret fields have typeOptions.password', (c) => unmaskedSecrets(c.properties ?? []), []],
	],
	node: [
		['icons light and dark', (d, file) => badIcons(d.icon, file), []],
		[
			(d, file) => `codex ${basename(file, '.js')}.json`,
			(d, file) => readJson(file.replace(/\.js$/, '.json')).node,
			(node, d, file, pkg) => node === `${pkg.name}.${d.name}`,
		],
		['usableAsTool is true', (d) => d.usableAsTool, true],
		['its credentials ship in the package', (d) => (d.credentials ?? []).map((c) => c.name), (names) => names.every(shipped)],
	],
};
/** The light and dark icons that are not `file:` references to files next to the description's .js file. */
const badIcons = (icon, file) =>
	['light', 'dark']
		.filter((v) => !(icon?.[v]?.startsWith?.('file:') && existsSync(join(dirname(file), icon[v].slice(5)))))
		.map((v) => `${v}: ${icon?.[v]}`);
const unmaskedSecrets = (properties) =>
	properties
		.filter((p) => SECRET_FIELD.test(p.name ?? '') && ['string', 'hidden'].includes(p.type) && p.typeOptions?.password !== true)
		.map((p) => p.name);

/** Runs checks; a label may be built from `args`, a throw fails its check. */
function runChecks(checks, args, prefix = '') {
	for (const [label, actualOf, expected] of checks) {
		let actual;
		let ok;
		try {
			actual = actualOf(...args);
			if (expected instanceof RegExp) ok = expected.test(String(actual ?? ''));
			else ok = typeof expected === 'function' ? expected(actual, ...args) : isDeepStrictEqual(actual, expected);
		} catch (error) {
			[ok, actual] = [false, error.message];
		}
		check(ok, `${prefix}${typeof label === 'function' ? label(...args) : label}`, show(actual));
	}
}

/** Loads `dist/…/X.<kind>.js` from the package: its description (a node's `description`), or why it does not load. */
function load(path, kind, requireFromPkg) {
	const className = basename(path, `.${kind}.js`);
	try {
		const Class = requireFromPkg(join(pkgDir, path))[className];
		if (typeof Class !== 'function') return { error: `does not export a class named ${className}` };
		const description = kind === 'node' ? new Class().description : new Class();
		return description?.name ? { description, details: `${className}, name ${description.name}` } : { error: 'it has no name' };
	} catch (error) {
		return { error: error.message.split('\n')[0] };
	}
}

function checkDescriptions(pkg) {
	// n8n provides n8n-workflow to community packages: link it (and only it) where the package can resolve it, so a
	// require() of anything else (a devDependency, say) fails here as it would in n8n.
	mkdirSync(join(tmp, 'node_modules'));
	symlinkSync(join(ROOT, 'node_modules', 'n8n-workflow'), join(tmp, 'node_modules', 'n8n-workflow'), 'dir');
	const requireFromPkg = createRequire(join(pkgDir, 'package.json'));
	const paths = { credentials: pkg.n8n?.credentials ?? [], node: pkg.n8n?.nodes ?? [] };
	const counts = `${paths.node.length} node(s), ${paths.credentials.length} credential(s)`;
	check(paths.node.length > 0, 'n8n.nodes lists at least one node', counts);
	for (const [kind, checks] of Object.entries(DESCRIPTION_CHECKS)) {
		for (const path of paths[kind]) {
			const { description, details, error } = load(path, kind, requireFromPkg);
			const label = `${kind === 'node' ? 'node' : 'credential'} ${path}`;
			if (!check(!error, `${label}: loads`, error ?? details)) continue;
			if (kind === 'credentials') credentialNames.add(description.name);
			runChecks(checks, [description, join(pkgDir, path), pkg], `${label}: `);
		}
	}
}
/** The scanner's ESLint configs, from the very plugins `n8n-node lint` uses (resolved from @n8n/node-cli). */
async function scannerConfigs() {
	const requireCli = createRequire(requireFromRepo.resolve('@n8n/node-cli/eslint'));
	const importFrom = (require, name) => import(pathToFileURL(require.resolve(name)).href);
	const { n8nCommunityNodesPlugin } = await importFrom(requireCli, '@n8n/eslint-plugin-community-nodes');
	const base = (await importFrom(requireCli, 'eslint-plugin-n8n-nodes-base')).default;
	const { parser } = (await importFrom(requireCli, 'typescript-eslint')).default;
	const off = (...rules) => Object.fromEntries(rules.map((rule) => [`n8n-nodes-base/${rule}`, 'off']));
	// Switched off exactly as n8n-node lint and the scanner switch them off.
	const credentials = { ...base.configs.credentials.rules, ...off('cred-class-field-documentation-url-miscased') };
	Object.assign(credentials, off('cred-class-field-type-options-password-missing'));
	const nodes = { ...base.configs.nodes.rules, ...off('node-class-description-inputs-wrong-regular-node') };
	Object.assign(nodes, off('node-class-description-outputs-wrong', 'node-param-type-options-max-value-present'));
	const config = (extension, credentialRules, nodeRules) => [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': base } },
		{ files: ['package.json'], rules: { ...base.configs.community.rules } },
		{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser } },
		{ files: [`**/credentials/**/*.${extension}`], rules: credentialRules },
		{ files: [`**/nodes/**/*.${extension}`], rules: nodeRules },
	];
	// On compiled JS, minus the rules that judge a `.ts` file name (compiled output can never satisfy them). Rules that
	// recognise a node by `implements INodeType` see nothing in JS; the source pass covers them.
	const packedCredentials = { ...credentials, ...off('cred-filename-against-convention') };
	const packedNodes = { ...nodes, ...off('node-filename-against-convention', 'node-resource-description-filename-against-convention') };
	return { source: config('ts', credentials, nodes), packed: config('js', packedCredentials, packedNodes) };
}

async function lint(label, cwd, files, overrideConfig) {
	const eslint = new (requireFromRepo('eslint').ESLint)({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig });
	const results = await eslint.lintFiles(files);
	const count = (key) => results.reduce((n, result) => n + result[key], 0);
	const errors = count('errorCount') + count('fatalErrorCount');
	const messages = results.flatMap((r) =>
		r.messages.map((m) => `${relative(cwd, r.filePath)}:${m.line ?? 0}:${m.column ?? 0}  ${m.ruleId ?? 'parse'}  ${m.message}`),
	);
	const summary = `${results.length} files, ${errors} errors, ${count('warningCount')} warnings`;
	check(!errors, label, errors ? [summary, ...messages].join('\n') : summary);
	if (!errors && messages.length) warn(label, messages.join('\n'));
}

/** Checks that no line of the `extension` files among `files` (paths under `base`) holds an inline ESLint comment. */
function noInlineComments(label, base, files, extension) {
	const lines = (file) => readFileSync(join(base, file), 'utf8').split('\n');
	const hitsIn = (file) => lines(file).flatMap((line, i) => (INLINE_ESLINT.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
	const checked = files.filter((file) => file.endsWith(extension));
	const hits = checked.flatMap(hitsIn);
	check(!hits.length, label, hits.length ? hits.join('\n') : `${checked.length} files, none`);
}

say('Build and pack');
const [tarballBytes, tarballName] = await packAndExtract();
const pkg = await must('package.json parses', () => readJson(join(pkgDir, 'package.json')), true);

say('\npackage.json (as packed)');
runChecks(PACKAGE_CHECKS, [pkg]);

say('\nTarball');
const packedFiles = readdirSync(pkgDir, { recursive: true })
	.filter((file) => statSync(join(pkgDir, file)).isFile())
	.sort();
const stray = packedFiles.filter((file) => !file.startsWith('dist/') && !ALLOWED_TOP_LEVEL.has(file));
const strayDetails = stray.length ? `unexpected: ${stray.join(', ')}` : `${packedFiles.length} files`;
check(!stray.length, 'only dist/**, package.json, README.md, LICENSE, CHANGELOG.md are packed', strayDetails);
const unbuilt = packedFiles.filter((file) => /\.(ts|map)$/.test(file) && !file.endsWith('.d.ts'));
if (unbuilt.length) warn('TypeScript sources or source maps are packed', unbuilt.join(', '));
const size = `${(tarballBytes / 1000).toFixed(1)} kB (${tarballBytes} bytes), ${tarballName}`;
check(tarballBytes < MAX_TARBALL_BYTES, `tarball size under ${MAX_TARBALL_BYTES / 1000} kB`, size);
for (const file of ['README.md', 'LICENSE'])
	if (!packedFiles.includes(file)) warn(`${file} is not in the package`, 'npm and the n8n community listing show the README');

say('\nNodes and credentials (loaded from the extracted package)');
checkDescriptions(pkg);

say('\nESLint (scanner rules, inline config ignored)');
// The repo's files as its next commit would hold them (the scanner lints the commit): tracked, or new and not ignored.
const repoFiles = (await runOrThrow('git', ['ls-files', '--cached', '--others', '--exclude-standard'])).stdout.trim().split('\n');
try {
	const configs = await scannerConfigs();
	await lint('packed JS and package.json', pkgDir, [...packedFiles.filter((file) => file.endsWith('.js')), 'package.json'], configs.packed);
	const sources = repoFiles.filter((file) => file === 'package.json' || /^(nodes|credentials)\/.*\.(js|ts|json)$/.test(file));
	await lint('source nodes/, credentials/ and package.json', ROOT, sources, configs.source);
} catch (error) {
	check(false, "ESLint runs with the scanner's configuration", error.stack ?? error.message);
}

say('\nNo inline ESLint comments (the scanner ignores them)');
noInlineComments('repo .ts files', ROOT, repoFiles, '.ts');
noInlineComments('packed .js files', pkgDir, packedFiles, '.js');
finish();
