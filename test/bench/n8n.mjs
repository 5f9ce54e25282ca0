// Real n8n for the benchmark: a fresh user folder with the packed package installed the way n8n installs
// community packages (test/e2e/lib.mjs), credentials and workflows imported with the n8n CLI, and
// `n8n execute --rawOutput` runs whose peak memory is sampled from /proc while they run.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CREDENTIAL_TYPE, freePort, installPackage, n8nEnv, parseExecution, runN8n } from '../e2e/lib.mjs';

const ENCRYPTION_KEY = 'bench-encryption-key-not-a-secret';

/** Reads VmHWM/VmRSS (kB) of a process, or undefined once it is gone. */
function memoryOf(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
		return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
	} catch {
		return undefined;
	}
}

export const canMeasureMemory = () => existsSync('/proc/self/status');

/**
 * An n8n user folder ready to run workflows: package installed, `credentials` ([{id, name, data}], type
 * akoolApi) and `workflows` imported. Returns { install, env, userFolder, execute(id) }.
 */
export async function prepareN8n({ install, tarball, root, credentials, workflows }) {
	const userFolder = join(root, 'user');
	const env = n8nEnv({ userFolder, encryptionKey: ENCRYPTION_KEY, brokerPort: await freePort() });
	await installPackage(userFolder, tarball);

	const credentialsFile = join(root, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(credentials.map((c) => ({ ...c, type: CREDENTIAL_TYPE })), null, 2));
	const workflowsFile = join(root, 'workflows.json');
	writeFileSync(workflowsFile, JSON.stringify(workflows, null, 2));
	for (const args of [['import:credentials', `--input=${credentialsFile}`], ['import:workflow', `--input=${workflowsFile}`]]) {
		const result = await runN8n(install, args, env, { timeoutMs: 300_000 });
		if (result.code !== 0) {
			throw new Error(`n8n ${args[0]} exited with ${result.code}:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
		}
	}
	rmSync(credentialsFile);
	return { install, env, userFolder, execute: (id, options) => execute(install, env, id, options) };
}

/**
 * `n8n execute --id=<id> --rawOutput`, sampling the n8n process's peak resident memory (VmHWM) every
 * `pollMs`. `nodeArgs` go to Node before n8n's script (e.g. --cpu-prof, --trace-gc when investigating).
 * Resolves with { code, ms, peakRssKb, execution, stdout, stderr }.
 */
export function execute(install, env, id, { pollMs = 20, timeoutMs = 600_000, nodeArgs = [] } = {}) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const args = [...nodeArgs, install.n8nBin, 'execute', `--id=${id}`, '--rawOutput'];
		const child = spawn(install.nodeBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		let peakRssKb = 0;
		child.stdout.on('data', (chunk) => out.push(chunk));
		child.stderr.on('data', (chunk) => err.push(chunk));
		const sample = () => {
			const m = memoryOf(child.pid);
			if (m) peakRssKb = Math.max(peakRssKb, m.hwm || 0, m.rss || 0);
		};
		const poller = setInterval(sample, pollMs);
		const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('exit', () => sample());
		child.on('close', (code, signal) => {
			clearInterval(poller);
			clearTimeout(killer);
			const stdout = Buffer.concat(out).toString('utf8');
			const stderr = Buffer.concat(err).toString('utf8');
			resolve({
				code: code ?? `killed by ${signal}`,
				ms: Date.now() - started,
				peakRssKb: peakRssKb || undefined,
				execution: parseExecution(stdout),
				stdout,
				stderr,
			});
		});
	});
}

/** What one node did in an execution: wall time (n8n's executionTime), status and output items. */
export function nodeRun(execution, name) {
	const run = execution?.data?.resultData?.runData?.[name]?.[0];
	if (!run) return undefined;
	return {
		ms: run.executionTime,
		startTime: run.startTime,
		status: run.executionStatus,
		items: run.data?.main?.[0] ?? [],
		error: run.error?.message,
	};
}
