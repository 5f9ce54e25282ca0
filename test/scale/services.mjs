// PostgreSQL and Redis for the queue-mode test, from Debian's packages (installed with apt-get when missing: CI
// starts from a fresh machine): one throwaway server of each on 127.0.0.1, a child of this process with its data
// in a temporary folder. The system's own clusters and services are never started.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run, runOrThrow, startProcess } from '../lib/n8n.mjs';

const IS_ROOT = process.getuid?.() === 0;

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`), if any. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const complete = (major) => /^\d+$/.test(major) && ['initdb', 'pg_dump'].every((bin) => existsSync(join(root, major, 'bin', bin)));
	const newest = (existsSync(root) ? readdirSync(root).filter(complete) : []).sort((a, b) => b - a)[0];
	return newest && join(root, newest, 'bin');
}

const redisBin = (name) => [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((path) => existsSync(path));

/**
 * Installs what is missing of `postgresql` and `redis-server` with apt-get (as root, or with `sudo -n`); a policy-rc.d
 * keeps the packages' scripts from starting the system services (no cluster left on 5432 or 6379).
 */
export async function ensurePackages(log) {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!redisBin('redis-server') || !redisBin('redis-cli')) missing.push('redis-server');
	if (!missing.length) return;
	const started = Date.now();
	log(`installing ${missing.join(' and ')} with apt-get (missing on this machine)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const apt = (args, timeoutMs) => runOrThrow(...(IS_ROOT ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]]), { env, timeoutMs });
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = IS_ROOT && !existsSync(policy);
	if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# written by test/scale/services.mjs while installing\nexit 101\n', { mode: 0o755 });
	try {
		await apt(['update'], 300_000);
		await apt(['install', '-y', '--no-install-recommends', ...missing], 600_000);
	} finally {
		if (ownPolicy) rmSync(policy, { force: true });
	}
	if (!postgresBin() || !redisBin('redis-server')) throw new Error(`apt-get installed ${missing.join(', ')}, but not their binaries`);
	log(`installed ${missing.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `[command, args]` of a command line, as the `postgres` user when this process is root (PostgreSQL refuses root). */
const asPostgres = ([bin, ...args]) => (IS_ROOT ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);

/** A server in its own process group (`kill()` stops all it started) once ready; `version`: `<bin> --version`, rewritten. */
async function startServer(name, bin, args, logFile, [pattern, replacement]) {
	const [command, commandArgs] = name === 'postgres' ? asPostgres([bin, ...args]) : [bin, args];
	const proc = startProcess({ name, command, args: commandArgs, env: process.env, logFile });
	await proc.waitForLog(/ready to accept connections/i, 60_000, 'start-up ("ready to accept connections")').catch((error) => {
		proc.kill();
		throw error;
	});
	return Object.assign(proc, { version: (await run(bin, ['--version'])).stdout.trim().replace(pattern, replacement) });
}

/** A PostgreSQL server of its own: data in `<dir>/data`, 127.0.0.1:`port`, trust auth for `postgres`, a database `database`. */
export async function startPostgres({ dir, port, logFile, database }) {
	const bin = (name) => join(postgresBin(), name);
	mkdirSync(dir, { recursive: true });
	if (IS_ROOT) chownSync(dir, ...['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString())));
	const data = join(dir, 'data');
	const initdb = [bin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'];
	await runOrThrow(...asPostgres(initdb), { timeoutMs: 120_000 });
	const settings = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
	const server = await startServer('postgres', bin('postgres'), settings, logFile, [/^postgres \(PostgreSQL\) /, 'PostgreSQL ']);
	const connect = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];
	Object.assign(server, {
		/** Runs SQL with psql; resolves with the rows, each an array of column texts. */
		async rows(query, db = database) {
			const psql = [...connect, '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-c', query];
			const { stdout } = await runOrThrow(bin('psql'), psql, { timeoutMs: 60_000 });
			return stdout.match(/[^\n]+/g)?.map((line) => line.split('\t')) ?? [];
		},
		dump: (file) => runOrThrow(bin('pg_dump'), [...connect, '-f', file, database], { timeoutMs: 120_000 }),
	});
	await server.rows(`CREATE DATABASE ${database}`, 'postgres');
	return server;
}

/** A Redis server of its own on 127.0.0.1:`port`, no persistence; RDB dumps uncompressed, to be searched for secrets. */
export async function startRedis({ dir, port, logFile }) {
	mkdirSync(dir, { recursive: true });
	const settings = { port, bind: '127.0.0.1', save: '', appendonly: 'no', dir, rdbcompression: 'no', daemonize: 'no' };
	const args = Object.entries(settings).flatMap(([name, value]) => [`--${name}`, String(value)]);
	const server = await startServer('redis', redisBin('redis-server'), args, logFile, [/^Redis server v=(\S+).*/, 'Redis $1']);
	const cli = ['-h', '127.0.0.1', '-p', String(port)];
	/** An RDB snapshot of everything in Redis, written to `file`. */
	server.dump = (file) => runOrThrow(redisBin('redis-cli'), [...cli, '--rdb', file], { timeoutMs: 60_000 });
	return server;
}
