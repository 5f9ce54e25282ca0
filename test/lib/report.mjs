// The one logger and the one reporter of the harness programs (e2e, browser, scale, verify). A reporter counts
// checks; its last line is `N passed, M failed`, alone, which .ci/run reads.
import { isDeepStrictEqual } from 'node:util';

export const say = (line = '') => process.stdout.write(`${line}\n`);
/** A logger for progress on stderr, e.g. log('bench')('built') prints "[bench] built". */
export const logger = (prefix) => (line) => process.stderr.write(`[${prefix}] ${line}\n`);

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
export const show = (value) => (value === undefined ? 'undefined' : JSON.stringify(value));
export const indent = (text, prefix = '      ') => String(text).trimEnd().replace(/^/gm, prefix);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records checks without stopping at the first failure (t.equal, t.ok, t.contains) in `t.failures`. */
export function checker() {
	const failures = [];
	const fail = (what, expected, actual, node) => failures.push({ what, expected, actual, node });
	return {
		failures,
		fail,
		equal: (actual, expected, what, node) => isDeepStrictEqual(actual, expected) || fail(what, show(expected), show(actual), node),
		ok: (condition, what, { expected = 'true', actual = condition, node } = {}) =>
			condition || fail(what, typeof expected === 'string' ? expected : show(expected), show(actual), node),
		contains(text, part, what, node) {
			const whole = String(text);
			if (!whole.includes(part))
				fail(what, `to contain ${show(part)}`, whole.length > 300 ? `${whole.length} characters without it` : show(whole), node);
		},
	};
}

export const failureLine = (f) => `${f.node ? `node "${f.node}": ` : ''}${f.what}: expected ${f.expected}, actual ${f.actual}`;

/** Counts a suite's checks: check(ok, label, details) prints one line; finish() prints `N passed, M failed`, sets the exit code. */
export function reporter(suite) {
	const started = Date.now();
	const counts = { passed: 0, failed: 0 };
	const self = {
		failed: () => counts.failed,
		check(ok, label, details) {
			counts[ok ? 'passed' : 'failed'] += 1;
			const text = details === undefined ? '' : String(details);
			const short = text && !text.includes('\n') && text.length <= 100;
			say(`${ok ? '✓' : '✗'} ${label}${short ? ` — ${text}` : ''}`);
			if (text && !short) say(indent(text));
			return Boolean(ok);
		},
		/** Runs `fn` as one check named `label` and its time: true when it did not throw. */
		async step(label, fn) {
			const t0 = Date.now();
			const timed = () => `${label} (${seconds(Date.now() - t0)})`;
			try {
				await fn();
				return self.check(true, timed());
			} catch (error) {
				// A plain Error is ours and says it all; anything else (Playwright's, a TypeError) needs its stack.
				return self.check(false, timed(), error?.constructor === Error ? error.message : (error?.stack ?? String(error)));
			}
		},
		finish(extra = '') {
			say(`\n${suite}: took ${seconds(Date.now() - started)}${extra ? `; ${extra}` : ''}`);
			say(`${counts.passed} passed, ${counts.failed} failed`);
			process.exitCode = counts.failed ? 1 : 0;
			return counts.failed;
		},
	};
	return self;
}

/** A paragraph written over several source lines: each line break and the indentation after it become one space. */
export const prose = (strings, ...values) =>
	strings.reduce((out, s, i) => out + s.replace(/\n\t+/g, ' ') + (i < values.length ? values[i] : ''), '');
