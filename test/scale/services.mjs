// PostgreSQL and Redis for the queue-mode test (run.mjs), from Debian's packages, on 127.0.0.1 only, with
// their data in a temporary folder. Installs the packages with apt-get when they are missing (CI starts from
// a fresh machine), starts one throwaway server of each, and stops them again. Nothing here touches the
// system's own clusters or services: the packages' default cluster is never started.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run, runOrThrow } from '../lib/n8n.mjs';
import { sleep, prose } from '../lib/report.mjs';

const IS_ROOT = process.getuid?.() === 0;

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`), if any. */
export function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_dump')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? join(root, majors[0], 'bin') : undefined;
}

const redisServerBin = () => ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
const redisCliBin = () => ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli'].find((p) => existsSync(p));

/**
 * Installs what is missing of `postgresql` and `redis-server` with apt-get (as root, or with `sudo -n`).
 * Package scripts are kept from starting the system services while installing (policy-rc.d), so that no
 * cluster on 5432 or Redis on 6379 is left running. Returns what was installed and how long it took.
 */
export async function ensurePackages(log) {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisServerBin() || !redisCliBin()) missing.push('redis-server');
	if (!missing.length) return { installed: [], ms: 0 };
	const started = Date.now();
	const sudo = IS_ROOT ? [] : ['sudo', '-n'];
	const exec = (args, timeoutMs) => {
		const [command, ...rest] = [...sudo, ...args];
		return runOrThrow(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs });
	};
	log(`installing ${missing.join(' and ')} with apt-get (missing on this machine)`);
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = IS_ROOT && !existsSync(policy);
	if (ownPolicy)
		writeFileSync(policy, '#!/bin/sh\n# written by test/scale/services.mjs while installing; removed afterwards\nexit 101\n', {
			mode: 0o755,
		});
	try {
		await exec(['apt-get', 'update'], 300_000);
		await exec(['apt-get', 'install', '-y', '--no-install-recommends', ...missing], 600_000);
	} finally {
		if (ownPolicy) rmSync(policy, { force: true });
	}
	if (!postgresBinDir()) throw new Error('apt-get installed postgresql, but no /usr/lib/postgresql/<major>/bin/initdb appeared');
	if (!redisServerBin()) throw new Error('apt-get installed redis-server, but no redis-server binary appeared');
	return { installed: missing, ms: Date.now() - started };
}

/** Runs a PostgreSQL binary as the `postgres` user when this process is root (initdb refuses root). */
function asPostgres(bin, args, options) {
	return IS_ROOT ? run('runuser', ['-u', 'postgres', '--', bin, ...args], options) : run(bin, args, options);
}

async function asPostgresOrThrow(bin, args, options) {
	const result = await asPostgres(bin, args, options);
	if (result.code !== 0)
		throw new Error(
			prose`${bin} ${args.join(' ')} exited with
				${result.code}:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`,
		);
	return result;
}

/**
 * A PostgreSQL server of its own: `initdb` into `<dir>/data`, listening on 127.0.0.1:`port` and a socket in
 * `dir`, trust auth for the `postgres` user, log in `logFile`. Creates the database `database`.
 */
export async function startPostgres({ dir, port, logFile, database }) {
	const bin = postgresBinDir();
	mkdirSync(dir, { recursive: true });
	closeSync(openSync(logFile, 'a'));
	if (IS_ROOT) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, uid, gid);
		chownSync(logFile, uid, gid);
	}
	const data = join(dir, 'data');
	await asPostgresOrThrow(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'], {
		timeoutMs: 120_000,
	});
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
	await asPostgresOrThrow(join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'], {
		timeoutMs: 90_000,
	});
	const server = {
		bin,
		port,
		data,
		version: (await run(join(bin, 'postgres'), ['--version'])).stdout.trim(),
		/** The postmaster's pid (first line of postmaster.pid). */
		pid() {
			try {
				return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
			} catch {
				return undefined;
			}
		},
		/** Runs SQL with psql; returns stdout (unaligned, tuples only). */
		async sql(query, db = database) {
			const result = await run(
				join(bin, 'psql'),
				['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-c', query],
				{ timeoutMs: 60_000 },
			);
			if (result.code !== 0) throw Object.assign(new Error(`psql: ${result.stderr.trim()}`), { process: 'postgres' });
			return result.stdout;
		},
		/** pg_dump of the database into `file`. */
		async dump(file) {
			await runOrThrow(join(bin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-f', file, database], {
				timeoutMs: 120_000,
			});
		},
		async stop() {
			await asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'], { timeoutMs: 60_000 });
		},
		/** Last resort from an exit handler: synchronous, never throws. */
		stopSync() {
			try {
				const args = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
				if (IS_ROOT) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
				else execFileSync(args[0], args.slice(1), { stdio: 'ignore' });
			} catch {
				// already stopped
			}
		},
	};
	await server.sql(`CREATE DATABASE ${database}`, 'postgres');
	return server;
}

/**
 * A Redis server of its own in the foreground (a child of this process): 127.0.0.1:`port`, no persistence,
 * working directory `dir`, log in `logFile`. Strings are stored uncompressed in RDB dumps so that a dump can
 * be searched for secrets.
 */
export async function startRedis({ dir, port, logFile }) {
	mkdirSync(dir, { recursive: true });
	const out = openSync(logFile, 'a');
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir,
		'--rdbcompression',
		'no',
		'--daemonize',
		'no',
	];
	const child = spawn(redisServerBin(), args, { stdio: ['ignore', out, out], detached: true });
	closeSync(out);
	let exited;
	child.on('exit', (code, signal) => (exited = { code, signal }));
	const cli = (...a) => run(redisCliBin(), ['-h', '127.0.0.1', '-p', String(port), ...a], { timeoutMs: 60_000 });
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (exited) throw new Error(`redis-server exited at start (${exited.code ?? exited.signal})`);
		if ((await cli('ping')).stdout.trim() === 'PONG') break;
		if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 20 s');
		await sleep(200);
	}
	return {
		port,
		pid: child.pid,
		version: (await run(redisServerBin(), ['--version'])).stdout.trim(),
		cli,
		/** An RDB snapshot of everything in Redis, written to `file` (redis-cli --rdb). */
		async dump(file) {
			const result = await cli('--rdb', file);
			if (result.code !== 0) throw new Error(`redis-cli --rdb: ${result.stderr.trim() || result.stdout.trim()}`);
		},
		async stop() {
			if (exited) return;
			const gone = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await Promise.race([gone, sleep(10_000)]);
			if (!exited) child.kill('SIGKILL');
		},
		stopSync() {
			if (!exited) {
				try {
					child.kill('SIGKILL');
				} catch {
					// gone
				}
			}
		},
	};
}
