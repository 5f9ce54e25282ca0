// `npm run test:docs`: the documentation cannot drift from the code. Checks, over README.md, docs/*.md and
// examples/README.md:
//   - every `npm run <script>` names a script of package.json, with its flags after `--`;
//   - every link and every code span naming a repository path points at something that exists (anchors too);
//   - README gives the tarball install command the e2e suite runs (test/lib/n8n.mjs INSTALL_COMMAND) and names
//     every n8n version the suites test (test/lib/install.mjs SUPPORTED_N8N);
//   - the operation tables (`| Operation | Parameters (default) | Output |` under `### <Resource>`) name every
//     operation and each one's top-level parameters, and every **Parameter** `default` they quote matches the
//     node's description; `| Request Option | Default | Range |`, `| Credential Field | Default | … |` and
//     `| Voice Parameter | Default | … |` tables likewise, a row for each field (ranges from
//     transport/retryPolicy.ts REQUEST_OPTION_RANGES);
// and over examples/*.json: each has a unique `id` (n8n import:workflow needs one) and its Akool nodes use only
// parameters the node's description has for their resource and operation, with values its options offer.
// The last line is `N passed, M failed`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { SUPPORTED_N8N } from '../lib/install.mjs';
import { INSTALL_COMMAND, PACKAGE_NAME, REPO, jsonFilesIn, readJson } from '../lib/n8n.mjs';
import { reporter } from '../lib/report.mjs';
import {
	loadDescriptions,
	operationsOf,
	parametersOf,
	problemsOfNode,
	propertyOf,
	requireSource,
	resourcesOf,
	shownFor,
} from './loadNode.mjs';

const t = reporter('docs');
const DOCS = [
	'README.md',
	'examples/README.md',
	...readdirSync(join(REPO, 'docs'))
		.filter((f) => f.endsWith('.md'))
		.map((f) => `docs/${f}`),
];
const text = Object.fromEntries(DOCS.map((file) => [file, readFileSync(join(REPO, file), 'utf8')]));
const { node, credential } = loadDescriptions();

/** Checks every element of `list` with `problemOf` (undefined: fine) and reports them as one check. */
function checkAll(label, list, problemOf) {
	const problems = list.map(problemOf).filter(Boolean);
	t.check(problems.length === 0, `${label} (${list.length} checked)`, problems.join('\n') || undefined);
}

// ---- npm scripts ----------------------------------------------------------------------------------------
const { scripts } = readJson(join(REPO, 'package.json'));
const npmRuns = DOCS.flatMap((file) =>
	[...text[file].matchAll(/npm (run [\w:-]+|start|test)([^`\n|]*)/g)].map((m) => ({ file, script: m[1].replace(/^run /, ''), rest: m[2] })),
);
checkAll('every npm run command names a script of package.json', npmRuns, ({ file, script }) =>
	scripts[script] === undefined ? `${file}: npm run ${script}` : undefined,
);
const flagBeforeDashes = (rest) => /^\s+--?[a-z]/i.test(rest) && !/^\s+--(\s|$)/.test(rest);
checkAll('flags of npm run commands follow "--"', npmRuns, ({ file, script, rest }) =>
	flagBeforeDashes(rest) ? `${file}: npm run ${script}${rest} (npm takes the flag for itself: put it after --)` : undefined,
);

// ---- paths and anchors ----------------------------------------------------------------------------------
const TOP_LEVEL = new Set(readdirSync(REPO).filter((name) => !['node_modules', 'dist', '.git'].includes(name)));
const slug = (heading) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
const anchorsOf = (file) =>
	new Set([...readFileSync(file, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1].replace(/[`*]/g, ''))));
const links = DOCS.flatMap((file) =>
	[...text[file].matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ file, target: m[1] })).filter(({ target }) => !/^[a-z]+:/i.test(target)),
);
checkAll('every relative link points at a file (and heading) that exists', links, ({ file, target }) => {
	const [path, anchor] = target.split('#');
	const resolved = path ? join(REPO, dirname(file), path) : join(REPO, file);
	if (!existsSync(resolved)) return `${file}: ${target} (no such file)`;
	if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) return `${file}: ${target} (no such heading)`;
	return undefined;
});
const codePaths = DOCS.flatMap((file) =>
	[...text[file].matchAll(/`([^`\s]+)`/g)]
		.map((m) => m[1].replace(/[:,.]$/, ''))
		.filter((path) => TOP_LEVEL.has(path.split('/')[0]) && !/[*{<>]/.test(path))
		.map((path) => ({ file, path })),
);
checkAll('every repository path in a code span exists', codePaths, ({ file, path }) =>
	existsSync(join(REPO, path)) ? undefined : `${file}: \`${path}\``,
);

// ---- install command and versions -----------------------------------------------------------------------
const install = `${INSTALL_COMMAND.join(' ')} `;
t.check(text['README.md'].includes(install), 'README gives the install command the e2e suite runs', install);
checkAll('README names every n8n version the suites test', SUPPORTED_N8N, ({ version }) =>
	text['README.md'].includes(version) ? undefined : `n8n ${version}`,
);
t.check(text['README.md'].includes(`${PACKAGE_NAME}`), 'README names the package');

// ---- the node's description -----------------------------------------------------------------------------
const resources = resourcesOf(node);
const requestOptions = propertyOf(node, 'requestOptions');
/** A parameter and everything inside it (collection options, fixedCollection values). */
const withNested = (property) => [
	property,
	...(property.options ?? []).flatMap((option) =>
		option.values ? option.values.flatMap(withNested) : option.displayName ? withNested(option) : [],
	),
];
/** What a table may write as a parameter's default: its value, a resource locator's value, or an option's name. */
function defaultsOf(property) {
	const value = property.default;
	const values = [typeof value === 'object' && value !== null && 'value' in value ? value.value : value];
	if (property.type === 'options') values.push(...property.options.filter((o) => o.value === value).map((o) => o.name));
	return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
}
const problemsOfParameter = (where, name, quoted, candidates) => {
	const found = candidates.filter((p) => p.displayName === name);
	if (found.length === 0) return `${where}: **${name}** is no parameter here`;
	if (quoted === undefined || found.some((p) => defaultsOf(p).includes(quoted))) return undefined;
	return `${where}: **${name}** \`${quoted}\`, but the node's default is ${found.map((p) => `\`${defaultsOf(p)[0]}\``).join(' or ')}`;
};

/** Rows of the tables whose header row starts with `header`, with the heading above each table. */
function tableRows(markdown, header) {
	const rows = [];
	let heading = '';
	let inTable = false;
	for (const line of markdown.split('\n')) {
		if (/^#{1,6} /.test(line)) heading = line.replace(/^#+\s*/, '').trim();
		if (line.startsWith(header)) inTable = true;
		else if (!line.startsWith('|')) inTable = false;
		else if (inTable && !/^\|\s*-/.test(line))
			rows.push({
				heading,
				cells: line
					.split('|')
					.slice(1, -1)
					.map((c) => c.trim()),
			});
	}
	return rows;
}
const BOLD_WITH_DEFAULT = /\*\*([^*]+)\*\*(?:\s*`([^`]*)`)?/g;

const operationRows = DOCS.flatMap((file) =>
	tableRows(text[file], '| Operation | Parameters (default) |').map((row) => ({ file, ...row })),
);
t.check(operationRows.length > 0, 'the docs have operation tables', `${operationRows.length} rows`);
const documented = new Set();
checkAll('operation tables: each row names an operation of its resource', operationRows, ({ file, heading, cells }) => {
	const resource = resources.find((r) => r.name === heading)?.value;
	const [, name, value] = /\*\*(.+?)\*\* \(`(\w+)`\)/.exec(cells[0]) ?? [];
	const option = operationsOf(node, resource).find((o) => o.value === value);
	if (!option || option.name !== name) return `${file}: "${cells[0]}" under "### ${heading}"`;
	documented.add(`${resource}/${value}`);
	return undefined;
});
const allOperations = resources.flatMap((r) => r.operations.map((o) => ({ resource: r.value, operation: o.value })));
checkAll('every operation of the node has a row', allOperations, ({ resource, operation }) =>
	documented.has(`${resource}/${operation}`) ? undefined : `${resource}/${operation}`,
);
const quotedParameters = operationRows.flatMap(({ file, heading, cells }) => {
	const resource = resources.find((r) => r.name === heading)?.value;
	const operation = /\(`(\w+)`\)/.exec(cells[0])?.[1];
	const candidates = parametersOf(node, resource, operation).flatMap(withNested);
	const where = `${file} ${heading} → ${operation}`;
	return [...cells[1].matchAll(BOLD_WITH_DEFAULT)].map(([, name, quoted]) => ({ where, name, quoted, candidates, resource, operation }));
});
checkAll(
	'operation tables: every **Parameter** `default` matches the description',
	quotedParameters,
	({ where, name, quoted, candidates }) => problemsOfParameter(where, name, quoted, candidates),
);
const topLevel = allOperations.flatMap(({ resource, operation }) =>
	parametersOf(node, resource, operation)
		.filter((p) => !['notice', 'hidden'].includes(p.type))
		.map((p) => ({ resource, operation, name: p.displayName })),
);
checkAll('operation tables name every top-level parameter of each operation', topLevel, ({ resource, operation, name }) =>
	quotedParameters.some((q) => q.resource === resource && q.operation === operation && q.name === name)
		? undefined
		: `${resource}/${operation}: **${name}**`,
);

const { REQUEST_OPTION_RANGES: ranges } = requireSource('nodes/AkoolLiveAvatar/transport/retryPolicy.ts');
const createOptions = (name) => node.properties.find((p) => p.name === name && shownFor(p, 'session', 'create')).options;
/**
 * Tables of one group of fields: `| <first header> | Default | … |`, a row per field with its name (bold or not)
 * and its default in a code span (or nothing); every field of the group must have a row.
 */
const FIELD_TABLES = [
	{ header: 'Request Option', fields: requestOptions.options, ranges },
	{ header: 'Credential Field', fields: credential.properties.filter((p) => p.type !== 'hidden') },
	{ header: 'Voice Parameter', fields: createOptions('voiceParams') },
];
const unbold = (cell) => cell.replace(/\*/g, '');
for (const { header, fields, ranges: rangeOf } of FIELD_TABLES) {
	const rows = DOCS.flatMap((file) => tableRows(text[file], `| ${header} | Default |`).map((row) => ({ file, ...row })));
	checkAll(`${header} tables: names and defaults${rangeOf ? ' and ranges' : ''} as in the code`, rows, ({ file, cells }) => {
		const name = unbold(cells[0]);
		const problem = problemsOfParameter(file, name, /`([^`]*)`/.exec(cells[1])?.[1], fields);
		const range = rangeOf?.[fields.find((f) => f.displayName === name)?.name];
		if (problem || !range) return problem;
		return cells[2] === `${range.min}–${range.max}`
			? undefined
			: `${file}: ${name} range ${cells[2]}, the code's is ${range.min}–${range.max}`;
	});
	checkAll(`every ${header} has a row`, fields, (field) =>
		rows.some((row) => unbold(row.cells[0]) === field.displayName) ? undefined : field.displayName,
	);
}

// ---- examples -------------------------------------------------------------------------------------------
const examples = jsonFilesIn(join(REPO, 'examples')).map((path) => ({ file: relative(REPO, path), workflow: readJson(path) }));
checkAll('every example has an id for n8n import:workflow', examples, ({ file, workflow }) =>
	typeof workflow.id === 'string' && /^[A-Za-z0-9_-]{1,36}$/.test(workflow.id) ? undefined : `${file}: id ${JSON.stringify(workflow.id)}`,
);
const ids = examples.map((e) => e.workflow.id);
t.check(new Set(ids).size === ids.length, 'example ids are unique', ids.join(', '));
checkAll('examples/README.md describes every example', examples, ({ file }) =>
	text['examples/README.md'].includes(file.replace('examples/', '')) ? undefined : file,
);
const akoolNodes = examples.flatMap(({ file, workflow }) =>
	workflow.nodes.filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`)).map((n) => ({ file, node: n })),
);
checkAll(
	'examples use only parameters and options the node has for their operation',
	akoolNodes,
	({ file, node: n }) => problemsOfNode(node, n, `${file} "${n.name}"`).join('\n') || undefined,
);

t.finish();
