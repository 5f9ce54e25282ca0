// `npm run test:e2e [-- --n8n 2.8.4,1.123.81] [--only e2eCloseFour,…] [--serial] [--keep]`: on every supported n8n
// version (in parallel unless --serial), installs the packed package with README's command, imports the scenarios'
// credentials and workflows, runs each with `n8n execute` (time-limited) against the fakes and checks the outcome.
// A scenario whose `n8n execute` died natively (SIGSEGV, SIGILL: n8n 2.41.1 on Node 24, now and then) runs once more.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startFakeOpenAi } from '../lib/fakeOpenAi.mjs';
import { SUPPORTED_N8N, ensureN8n } from '../lib/install.mjs';
import { REPO, buildAndPack, installPackage, onStop, outputOf, tail, userFolder } from '../lib/n8n.mjs';
import { checker, failureLine, reporter, say, seconds } from '../lib/report.mjs';
import { CREDENTIALS, FAKE_AKOOL_OPTIONS, OPENAI_CREDENTIAL, SECRETS, arrange, checkExpected, rememberIssuedTokens } from './checks.mjs';
import { SCENARIOS, missingNodeFeatures, workflowOf } from './scenarios.mjs';

const { startFakeAkool } = createRequire(import.meta.url)('../fake-akool/server.js');
const options = { n8n: { type: 'string' }, only: { type: 'string' }, serial: { type: 'boolean' }, keep: { type: 'boolean' } };
const { values: opts } = parseArgs({ options });
const listOf = (value) => value?.split(',').map((s) => s.trim());
const CRASH = /^killed by SIG(SEGV|ILL|BUS|ABRT)$/;

/** A scenario with `workflow`: arranges the fakes, runs `n8n execute`, checks. Returns output to show on failure. */
async function runWorkflowScenario(scenario, ctx, t) {
	const missing = missingNodeFeatures(ctx.workflows.get(scenario.id), ctx.nodeTypes);
	if (missing.length) return void t.failures.push(...missing);
	await arrange(scenario, ctx);
	const result = await ctx.n8n.execute(scenario.id, { timeoutMs: scenario.timeoutMs });
	if (opts.keep) writeFileSync(join(ctx.tmp, `${scenario.id}.out.txt`), `${result.stdout}\n----- stderr\n${result.stderr}`);
	if (CRASH.test(String(result.code))) t.crashed = result.code;
	const { execution } = result;
	const error = execution?.data?.resultData?.error;
	// n8n 2.41 on Node 24 sometimes dies natively while shutting down, after it printed the whole execution:
	// then the execution's own outcome stands in for the exit code it never reached (and the note says so).
	t.crashedAfterOutput = Boolean(t.crashed && execution);
	t.equal(t.crashedAfterOutput ? Number(Boolean(error)) : result.code, scenario.error ? 1 : 0, 'exit code of n8n execute');
	if (execution) {
		const run = { execution, result, fake: ctx.fake, ctx, error, items: (node, output) => outputOf(execution, node, output) };
		rememberIssuedTokens(ctx.fake, ctx.issuedTokens); // before the checks: a scenario may search for them
		checkExpected(t, run, scenario);
		await scenario.check?.(t, run);
	} else t.fail('execution JSON in the stdout of n8n execute', 'a JSON document', 'none');
	if (!t.failures.length) return undefined;
	const lines = error ? [`execution error in node "${error.node?.name}": ${error.message}`, error.description] : [tail(result)];
	return lines.filter(Boolean).join('\n');
}

/** Runs one scenario on a fresh fake state (twice when n8n crashed natively); returns its line of the report. */
async function runScenario(scenario, ctx) {
	const started = Date.now();
	let t, detail, note;
	for (let attempt = 1; attempt <= 2; attempt += 1) {
		t = checker();
		ctx.fake.reset();
		try {
			if (ctx.importError) t.fail('import', 'to succeed', ctx.importError.message);
			else if (scenario.command) scenario.check(t, await scenario.command(ctx));
			else detail = await runWorkflowScenario(scenario, ctx, t);
		} catch (error) {
			t.fail('scenario', 'to run', `threw ${error.stack}`);
		}
		// Such a run proves nothing either way: run the scenario once more, and say so.
		if (t.crashedAfterOutput) note = `n8n was ${t.crashed} after printing the execution`;
		if (!t.crashed || !t.failures.length || attempt === 2) break;
		note = `run twice: n8n was ${t.crashed} the first time`;
	}
	const { failures } = t;
	const timing = `(${seconds(Date.now() - started)})${note ? ` [${note}]` : ''}`;
	say(`  [n8n ${ctx.spec.version}] ${failures.length ? 'FAIL' : 'ok  '} ${scenario.id} ${timing}`);
	const where = scenario.workflow ? `workflow ${relative(REPO, resolve(import.meta.dirname, scenario.workflow))}` : `check ${scenario.id}`;
	const more = failures.length > 10 ? [`- … and ${failures.length - 10} more`] : [];
	const lines = [...failures.slice(0, 10).map((f) => `- ${failureLine(f)}`), ...more, ...(detail ? [detail.replace(/^/gm, '  | ')] : [])];
	const details = failures.length ? `${where} (id ${scenario.id})\n${lines.join('\n')}` : undefined;
	return { ok: !failures.length, label: `[n8n ${ctx.spec.version}] ${scenario.title} ${timing}`, details };
}

/** Everything for one n8n version: user folder, package, fake servers, imports, scenarios. */
async function runVersion(spec, tarball, root, scenarios) {
	const started = Date.now();
	const tmp = join(root, `n8n-${spec.version}`);
	const n8n = await userFolder({ install: ensureN8n(spec.version), folder: join(tmp, 'user'), encryptionKey: 'e2e-not-a-secret' });
	const [fake, openAi] = await Promise.all([startFakeAkool(FAKE_AKOOL_OPTIONS), startFakeOpenAi()]);
	const ctx = { spec, n8n, tmp, fake, openAi, issuedTokens: {}, workflows: new Map() };
	const results = [];
	try {
		ctx.packageDir = await installPackage(n8n.folder, tarball);
		const [first, ...rest] = scenarios;
		results.push(await runScenario(first, ctx)); // exportNodes: the others check their workflows against it
		// The credentials, pointed at the fakes, and the workflows: an import that fails fails every scenario after.
		const credentials = Object.values(CREDENTIALS).map(({ id, name, data }) => ({ id, name, data: { ...data, baseUrl: fake.url } }));
		credentials.push({ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: SECRETS.openAiKey, url: openAi.url } });
		for (const scenario of rest.filter((s) => s.workflow)) ctx.workflows.set(scenario.id, workflowOf(scenario));
		ctx.importError = await n8n.importAll({ credentials, workflows: [...ctx.workflows.values()] }).catch((error) => error);
		for (const scenario of rest) results.push(await runScenario(scenario, ctx));
	} finally {
		await Promise.all([fake, openAi, ctx.foreign].map((server) => server?.close()));
	}
	return { spec, results, ms: Date.now() - started };
}

async function main() {
	const e2e = reporter('e2e');
	const versions = SUPPORTED_N8N.filter((s) => !opts.n8n || listOf(opts.n8n).includes(s.version));
	const only = listOf(opts.only);
	const scenarios = SCENARIOS.filter((s, i) => i === 0 || !only || only.includes(s.id));
	const root = mkdtempSync(join(tmpdir(), 'akool-e2e-'));
	const stop = onStop(() => (opts.keep ? say(`\nkept ${root}`) : rmSync(root, { recursive: true, force: true })));
	const t0 = Date.now();
	const { tarball } = await buildAndPack(root);
	for (const spec of versions) ensureN8n(spec.version); // installs on a cold cache (minutes), else instant
	const ready = versions.map((s) => s.version).join(', ');
	say(`packed and n8n ${ready} ready in ${seconds(Date.now() - t0)}; ${scenarios.length} scenarios each`);
	const runOne = (spec) => runVersion(spec, tarball, root, scenarios);
	const outcomes = opts.serial ? [] : await Promise.all(versions.map(runOne));
	for (const spec of opts.serial ? versions : []) outcomes.push(await runOne(spec));
	for (const { spec, results, ms } of outcomes) {
		say(`\n=== n8n ${spec.version} (Node ${spec.node === 'system' ? process.versions.node : spec.node}) — ${seconds(ms)}`);
		for (const { ok, label, details } of results) e2e.check(ok, label, details);
	}
	await stop();
	e2e.finish(outcomes.map((o) => `n8n ${o.spec.version} ${seconds(o.ms)}`).join(', '));
}

main()
	.catch((error) => {
		process.stderr.write(`${error.stack}\n`);
		say('0 passed, 1 failed');
		process.exitCode = 1;
	})
	.finally(() => process.exit()); // whatever a scenario may have left open must not keep the run (and CI) waiting
