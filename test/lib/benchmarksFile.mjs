// BENCHMARKS.md holds one section per benchmark (`npm run bench`, the queue-mode test). Each writer replaces only its
// own section, from its "## " heading to the next one, in place, or appends it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from './n8n.mjs';

/** Writes `markdown` as the section whose first line starts with `heading`; returns the file. */
export function writeSection(heading, markdown, file = join(REPO, 'BENCHMARKS.md')) {
	const lines = (existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n').trimEnd().split('\n');
	let start = lines.findIndex((line) => line.startsWith(heading));
	if (start === -1) start = lines.push('');
	const next = lines.findIndex((line, i) => i > start && line.startsWith('## '));
	const end = next === -1 ? lines.length : next;
	lines.splice(start, end - start, ...markdown.trimEnd().split('\n'), ...(next === -1 ? [] : ['']));
	writeFileSync(file, `${lines.join('\n')}\n`);
	return file;
}
