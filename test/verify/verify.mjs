// `npm run verify`: checks the package the way n8n's verification scanner (@n8n/scan-community-package) does,
// before it is published. It builds, `npm pack`s into a temp folder, extracts the tarball and checks what
// would actually reach npm:
//   - ESLint with the scanner's rules and inline config ignored (`eslint-disable` comments do not count),
//     over the packed JS + package.json, and over the repo's nodes/, credentials/ and package.json (the
//     scanner lints the source commit named in the npm provenance too: most node rules only see .ts);
//   - package.json rules (name, keyword, files, no runtime dependencies, peer deps, lifecycle scripts...);
//   - tarball contents and size;
//   - every node and credential listed in package.json loads with require() from the extracted package and has
//     its icons, codex file, usableAsTool, credential test and password fields.
//
//   npm run verify                         build, pack, check
//   npm run verify -- --skip-build         pack the current dist/ as is
//   npm run verify -- --keep               keep the temp folder (its path is printed) to poke at the extraction
//   npm run verify -- --dir <folder>       check an already extracted package folder (a copy is checked, the
//                                          folder itself is left alone); no build, no pack
//
// Prints one line per check and `verify: N passed, M failed` last; exits 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { REPO as ROOT } from '../lib/n8n.mjs';
import { reporter, say, prose } from '../lib/report.mjs';

const MAX_TARBALL_BYTES = 60_000;
/** What `files: ["dist"]` plus npm's always-included files may put in the tarball. */
const ALLOWED_TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md']);
/** Scripts npm runs when the package is installed (list of @n8n/community-nodes/no-forbidden-lifecycle-scripts). */
const FORBIDDEN_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare', 'prepublish'];
/** Credential fields whose value is a secret and must be masked. */
const SECRET_FIELD = /secret|key|token|password|passwd/i;
/** Comments the scanner ignores (it runs with --no-inline-config). */
const INLINE_ESLINT = /eslint-disable|eslint-enable|\/\*\s*eslint\s/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage', '.n8n-playground']);

// ---------- arguments ----------
const { values: opt } = parseArgs({ options: { 'skip-build': { type: 'boolean' }, keep: { type: 'boolean' }, dir: { type: 'string' } } });
opt.skipBuild = opt['skip-build'];
if (opt.dir && !existsSync(join(opt.dir, 'package.json'))) {
	process.stderr.write(`verify: ${opt.dir} has no package.json\n`);
	process.exit(2);
}

// ---------- report ----------
const verify = reporter('verify');
const check = verify.check;
let warnings = 0;
/** Worth knowing, not a failure. */
function warn(label, details) {
	warnings++;
	say(`! ${label}${details ? ` — ${details}` : ''}`);
}
const section = (title) => say(`\n${title}`);

function run(cmd, cmdArgs, cwd) {
	const r = spawnSync(cmd, cmdArgs, { cwd, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
	return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, stdout: r.stdout ?? '' };
}

function walk(dir, { skip = new Set() } = {}) {
	const out = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (skip.has(entry.name)) continue;
		const full = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...walk(full, { skip }));
		else if (entry.isFile()) out.push(full);
	}
	return out;
}
const posix = (p) => p.split(sep).join('/');
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB (${bytes} bytes)`;

function finish(tmp) {
	if (tmp && opt.keep) say(`\n(kept ${tmp}; the extracted package is ${join(tmp, 'package')})`);
	else if (tmp) rmSync(tmp, { recursive: true, force: true });
	process.exit(verify.finish(warnings ? `${warnings} warning(s), not counted as failures` : '') ? 1 : 0);
}

// ---------- 1. build, pack, extract ----------
const tmp = mkdtempSync(join(tmpdir(), 'akool-verify-'));
const pkgDir = join(tmp, 'package');
let tarballBytes;
let tarballLabel;

section('Build and pack');
if (opt.dir) {
	cpSync(resolve(opt.dir), pkgDir, { recursive: true, filter: (src) => basename(src) !== 'node_modules' });
	check(true, `using extracted package ${resolve(opt.dir)} (no build, no pack)`);
	// Re-pack the folder only to measure it as npm would ship it.
	const r = run('tar', ['-czf', join(tmp, 'repacked.tgz'), '-C', tmp, 'package']);
	if (r.ok) {
		tarballBytes = statSync(join(tmp, 'repacked.tgz')).size;
		tarballLabel = 'folder re-packed with tar -czf';
	}
	rmSync(join(tmp, 'repacked.tgz'), { force: true });
} else {
	if (opt.skipBuild) {
		check(existsSync(join(ROOT, 'dist')), 'npm run build skipped (--skip-build): packing the current dist/');
	} else {
		const b = run('npm', ['run', 'build'], ROOT);
		if (!check(b.ok, 'npm run build', b.ok ? undefined : b.out.slice(-4000))) finish(tmp);
	}
	const p = run('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
	let info;
	try {
		info = JSON.parse(p.stdout.slice(p.stdout.indexOf('[')))[0];
	} catch {
		info = undefined;
	}
	if (!check(p.ok && !!info, 'npm pack', p.ok && info ? info.filename : p.out.slice(-4000))) finish(tmp);
	tarballBytes = statSync(join(tmp, info.filename)).size;
	tarballLabel = info.filename;
	mkdirSync(pkgDir);
	const x = run('tar', ['-xzf', join(tmp, info.filename), '-C', pkgDir, '--strip-components=1']);
	if (!check(x.ok, 'tarball extracts', x.ok ? pkgDir : x.out)) finish(tmp);
}

let pkg;
try {
	pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
} catch (error) {
	check(false, 'package.json parses', error.message);
	finish(tmp);
}

// ---------- 2. package.json ----------
section('package.json (as packed)');
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v) => v === undefined || (isObject(v) && Object.keys(v).length === 0);
const isUrl = (v) => typeof v === 'string' && /^https?:\/\/\S+$/.test(v);

check(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/.test(pkg.name ?? ''), 'name is n8n-nodes-*', pkg.name);
check(Array.isArray(pkg.keywords) && pkg.keywords.includes('n8n-community-node-package'), 'keywords include n8n-community-node-package');
check(typeof pkg.version === 'string' && /^\d+\.\d+\.\d+/.test(pkg.version), 'version is semver', pkg.version);
check(typeof pkg.description === 'string' && pkg.description.trim() !== '', 'description present');
check(
	Array.isArray(pkg.files) && pkg.files.length === 1 && pkg.files[0] === 'dist',
	'files is exactly ["dist"]',
	JSON.stringify(pkg.files),
);
{
	const runtime = ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies'].filter(
		(k) => !isEmpty(pkg[k]) && !(Array.isArray(pkg[k]) && pkg[k].length === 0),
	);
	check(
		runtime.length === 0,
		'no runtime dependencies',
		runtime.length ? runtime.map((k) => `${k}: ${JSON.stringify(pkg[k])}`).join('; ') : '0 dependencies',
	);
}
check(
	isObject(pkg.peerDependencies) && Object.keys(pkg.peerDependencies).length === 1 && pkg.peerDependencies['n8n-workflow'] === '*',
	'peerDependencies is exactly {"n8n-workflow":"*"}',
	JSON.stringify(pkg.peerDependencies),
);
{
	const bad = FORBIDDEN_SCRIPTS.filter((s) => isObject(pkg.scripts) && s in pkg.scripts);
	check(bad.length === 0, 'no install-time lifecycle scripts', bad.length ? bad.join(', ') : FORBIDDEN_SCRIPTS.join('/') + ': none');
}
check(pkg.overrides === undefined, 'no overrides', pkg.overrides === undefined ? undefined : JSON.stringify(pkg.overrides));
{
	const a = pkg.author;
	const name = isObject(a) ? a.name : typeof a === 'string' ? a.replace(/<.*?>|\(.*?\)/g, '').trim() : '';
	const email = isObject(a) ? a.email : typeof a === 'string' ? (/<([^>]+)>/.exec(a) ?? [])[1] : '';
	check(
		typeof name === 'string' && name.trim() !== '' && typeof email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email),
		'author has name and email',
		name && email ? `${name} <${email}>` : JSON.stringify(a),
	);
}
check(isUrl(pkg.homepage), 'homepage', pkg.homepage);
check(pkg.license === 'MIT', 'license is MIT', pkg.license);
check(pkg.n8n?.n8nNodesApiVersion === 1, 'n8n.n8nNodesApiVersion is 1', String(pkg.n8n?.n8nNodesApiVersion));
check(pkg.n8n?.strict === true, 'n8n.strict is true', String(pkg.n8n?.strict));

// ---------- 3. tarball contents ----------
section('Tarball');
const packedFiles = walk(pkgDir)
	.map((f) => posix(relative(pkgDir, f)))
	.sort();
{
	const stray = packedFiles.filter((f) => !f.startsWith('dist/') && !ALLOWED_TOP_LEVEL.has(f));
	check(
		stray.length === 0,
		'only dist/**, package.json, README.md, LICENSE, CHANGELOG.md are packed',
		stray.length ? `unexpected: ${stray.join(', ')}` : `${packedFiles.length} files`,
	);
	const unbuilt = packedFiles.filter((f) => /\.(ts|map)$/.test(f) && !f.endsWith('.d.ts'));
	if (unbuilt.length) warn('TypeScript sources or source maps are packed', unbuilt.join(', '));
}
if (tarballBytes === undefined) check(false, 'tarball size', 'could not be measured');
else check(tarballBytes < MAX_TARBALL_BYTES, `tarball size under ${MAX_TARBALL_BYTES / 1000} kB`, `${kB(tarballBytes)}, ${tarballLabel}`);
for (const f of ['README.md', 'LICENSE']) {
	if (!packedFiles.includes(f)) warn(`${f} is not in the package`, 'npm and the n8n community listing show the README');
}

// ---------- 4. nodes and credentials ----------
section('Nodes and credentials (loaded from the extracted package)');
// n8n provides n8n-workflow to community packages: link it (and only it) where the package can resolve it, so a
// require() of anything else (a devDependency, say) fails here as it would in n8n.
mkdirSync(join(tmp, 'node_modules'), { recursive: true });
symlinkSync(join(ROOT, 'node_modules', 'n8n-workflow'), join(tmp, 'node_modules', 'n8n-workflow'), 'dir');
const requireFromPkg = createRequire(join(pkgDir, 'package.json'));

/** Loads `dist/…/X.<kind>.js` and returns an instance of its exported class `X`, or a failure message. */
function load(path, kind) {
	const file = join(pkgDir, path);
	if (!existsSync(file)) return { error: 'file missing from the package' };
	const className = basename(path).replace(new RegExp(`\\.${kind}\\.js$`), '');
	let mod;
	try {
		mod = requireFromPkg(file);
	} catch (error) {
		return { error: `require() failed: ${error.message.split('\n')[0]}` };
	}
	const Cls = mod?.[className];
	if (typeof Cls !== 'function') {
		return { error: `does not export a class named ${className} (exports: ${Object.keys(mod ?? {}).join(', ') || 'none'})` };
	}
	try {
		return { instance: new Cls(), className, file };
	} catch (error) {
		return { error: `new ${className}() threw: ${error.message}` };
	}
}

/** `file:` icon references of a description, checked against the folder of its .js file. */
function checkIcons(label, icon, file) {
	if (!isObject(icon) || !icon.light || !icon.dark) {
		return check(false, `${label}: icons light and dark`, `icon is ${JSON.stringify(icon)}: needs { light: 'file:…', dark: 'file:…' }`);
	}
	const problems = [];
	for (const variant of ['light', 'dark']) {
		const ref = icon[variant];
		if (typeof ref !== 'string' || !ref.startsWith('file:')) problems.push(`${variant} is not a file: reference (${ref})`);
		else if (!existsSync(join(dirname(file), ref.slice(5)))) problems.push(`${variant} ${ref.slice(5)} missing`);
	}
	return check(
		problems.length === 0,
		`${label}: icons light and dark`,
		problems.length ? problems.join('; ') : `${icon.light.slice(5)}, ${icon.dark.slice(5)}`,
	);
}

const credentialPaths = Array.isArray(pkg.n8n?.credentials) ? pkg.n8n.credentials : [];
const nodePaths = Array.isArray(pkg.n8n?.nodes) ? pkg.n8n.nodes : [];
check(nodePaths.length > 0, 'n8n.nodes lists at least one node', `${nodePaths.length} node(s), ${credentialPaths.length} credential(s)`);
const credentialNames = new Set();

for (const path of credentialPaths) {
	const label = `credential ${path}`;
	const { instance, error, className, file } = load(path, 'credentials');
	if (
		!check(
			!error && typeof instance?.name === 'string' && instance.name !== '',
			`${label}: loads`,
			error ?? `${className}, name ${instance?.name}`,
		)
	)
		continue;
	credentialNames.add(instance.name);
	checkIcons(label, instance.icon, file);
	check(
		isObject(instance.test) && isObject(instance.test.request),
		`${label}: has a test request`,
		instance.test?.request ? `${instance.test.request.method ?? 'GET'} ${instance.test.request.url ?? ''}` : 'no test',
	);
	const props = Array.isArray(instance.properties) ? instance.properties : [];
	const secrets = props.filter((p) => SECRET_FIELD.test(p.name ?? '') && ['string', 'hidden'].includes(p.type));
	const unmasked = secrets.filter((p) => p.typeOptions?.password !== true);
	check(
		unmasked.length === 0,
		`${label}: secret fields have typeOptions.password`,
		unmasked.length ? `not masked: ${unmasked.map((p) => p.name).join(', ')}` : secrets.map((p) => p.name).join(', '),
	);
}

for (const path of nodePaths) {
	const label = `node ${path}`;
	const { instance, error, className, file } = load(path, 'node');
	const d = instance?.description;
	if (
		!check(
			!error && isObject(d) && typeof d.name === 'string' && d.name !== '',
			`${label}: loads`,
			error ?? `${className}, name ${d?.name}`,
		)
	)
		continue;
	checkIcons(label, d.icon, file);
	{
		const codexFile = file.replace(/\.js$/, '.json');
		let problem;
		let codex;
		if (!existsSync(codexFile)) problem = `${basename(codexFile)} missing`;
		else {
			try {
				codex = JSON.parse(readFileSync(codexFile, 'utf8'));
			} catch (e) {
				problem = `${basename(codexFile)} is not JSON: ${e.message}`;
			}
		}
		if (codex && codex.node !== `${pkg.name}.${d.name}`) problem = `codex "node" is ${codex.node}, expected ${pkg.name}.${d.name}`;
		check(!problem, `${label}: codex ${basename(codexFile)}`, problem ?? `node ${codex.node}`);
	}
	check(d.usableAsTool === true, `${label}: usableAsTool is true`, String(d.usableAsTool));
	const used = (Array.isArray(d.credentials) ? d.credentials : []).map((c) => c.name);
	const unknown = used.filter((n) => !credentialNames.has(n));
	check(
		unknown.length === 0,
		`${label}: its credentials ship in the package`,
		unknown.length ? `not found: ${unknown.join(', ')}` : used.join(', ') || 'none',
	);
}

// ---------- 5. ESLint, the scanner's way ----------
section('ESLint (scanner rules, inline config ignored)');
async function lintConfigs() {
	// The very plugins `n8n-node lint` uses, resolved from @n8n/node-cli so the versions match.
	const requireCli = createRequire(createRequire(join(ROOT, 'package.json')).resolve('@n8n/node-cli/eslint'));
	const importCli = (name) => import(pathToFileURL(requireCli.resolve(name)).href);
	const { n8nCommunityNodesPlugin } = await importCli('@n8n/eslint-plugin-community-nodes');
	const n8nNodesBase = (await importCli('eslint-plugin-n8n-nodes-base')).default;
	const tseslint = (await importCli('typescript-eslint')).default;
	const { defineConfig } = await import(pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('eslint/config')).href);
	// Switched off exactly as n8n-node lint and the scanner switch them off.
	const credentialRules = {
		...n8nNodesBase.configs.credentials.rules,
		'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
	};
	const nodeRules = {
		...n8nNodesBase.configs.nodes.rules,
		'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
		'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
	};
	const common = [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
		{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
		{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },
		{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
	];
	return {
		// The scanner's config for the attested source.
		source: defineConfig(
			...common,
			{ files: ['**/credentials/**/*.ts'], rules: credentialRules },
			{ files: ['**/nodes/**/*.ts'], rules: nodeRules },
		),
		// The same rule sets on the compiled JS, minus the rules that only judge a `.ts` file name (compiled
		// output can never satisfy them). Rules that recognise a node by `implements INodeType` see nothing in
		// JS; the source pass above covers them.
		packed: defineConfig(
			...common,
			{
				files: ['**/credentials/**/*.js'],
				rules: { ...credentialRules, 'n8n-nodes-base/cred-filename-against-convention': 'off' },
			},
			{
				files: ['**/nodes/**/*.js'],
				rules: {
					...nodeRules,
					'n8n-nodes-base/node-filename-against-convention': 'off',
					'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
				},
			},
		),
	};
}

async function lint(label, cwd, files, overrideConfig) {
	const { ESLint } = createRequire(join(ROOT, 'package.json'))('eslint');
	const eslint = new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig });
	try {
		const lintResults = await eslint.lintFiles(files);
		const errors = lintResults.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
		const warningCount = lintResults.reduce((n, r) => n + r.warningCount, 0);
		const summary = `${lintResults.length} files, ${errors} errors, ${warningCount} warnings`;
		if (errors === 0) {
			check(true, label, summary);
			for (const r of lintResults)
				for (const m of r.messages) warn(`${label}: ${posix(relative(cwd, r.filePath))}:${m.line}`, `${m.message} (${m.ruleId})`);
			return;
		}
		const lines = [];
		for (const r of lintResults)
			for (const m of r.messages)
				lines.push(
					prose`${posix(relative(cwd, r.filePath))}:${m.line ?? 0}:${m.column ?? 0}  ${m.severity === 2 ? 'error' : 'warning'} 
						${m.ruleId ?? 'parse'}  ${m.message}`,
				);
		check(false, label, `${summary}\n${lines.join('\n')}`);
	} catch (error) {
		check(false, label, `ESLint could not run: ${error.message}`);
	}
}

try {
	const configs = await lintConfigs();
	const packedJs = packedFiles.filter((f) => f.endsWith('.js'));
	await lint('packed JS and package.json', pkgDir, [...packedJs, 'package.json'], configs.packed);
	const sourceFiles = walk(ROOT, { skip: SKIP_DIRS })
		.map((f) => posix(relative(ROOT, f)))
		.filter((f) => f === 'package.json' || /^(nodes|credentials)\/.*\.(js|ts|json)$/.test(f));
	await lint('source nodes/, credentials/ and package.json', ROOT, sourceFiles, configs.source);
} catch (error) {
	check(false, 'ESLint configuration loads', error.stack ?? error.message);
}

// ---------- 6. inline ESLint comments ----------
section('No inline ESLint comments (the scanner ignores them)');
function findInline(files, base) {
	const hits = [];
	for (const f of files) {
		readFileSync(f, 'utf8')
			.split('\n')
			.forEach((line, i) => {
				if (INLINE_ESLINT.test(line)) hits.push(`${posix(relative(base, f))}:${i + 1}: ${line.trim()}`);
			});
	}
	return hits;
}
{
	const tsFiles = walk(ROOT, { skip: SKIP_DIRS }).filter((f) => f.endsWith('.ts'));
	const hits = findInline(tsFiles, ROOT);
	check(hits.length === 0, 'repo .ts files', hits.length ? hits.join('\n') : `${tsFiles.length} files, none`);
	const jsFiles = packedFiles.filter((f) => f.endsWith('.js')).map((f) => join(pkgDir, f));
	const packedHits = findInline(jsFiles, pkgDir);
	check(packedHits.length === 0, 'packed .js files', packedHits.length ? packedHits.join('\n') : `${jsFiles.length} files, none`);
}

finish(tmp);
