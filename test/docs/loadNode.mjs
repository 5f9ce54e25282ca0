// Loads the node and the credential from their TypeScript sources (no build, no dist/ that others may be
// rebuilding): each .ts file is transpiled on require with the repo's own TypeScript, type checks skipped.
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from '../lib/n8n.mjs';

const require = createRequire(join(REPO, 'package.json'));
const ts = require('typescript');

let hooked = false;
function hookTypeScript() {
	if (hooked) return;
	hooked = true;
	Module._extensions['.ts'] = (module, filename) => {
		const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: filename,
		});
		module._compile(outputText, filename);
	};
}

/** A module of the repository, by its path from the repository's root (a .ts file is transpiled). */
export function requireSource(path) {
	hookTypeScript();
	return require(join(REPO, path));
}

/** The node's and the credential's descriptions, as n8n reads them. */
export function loadDescriptions() {
	const { AkoolLiveAvatar } = requireSource('nodes/AkoolLiveAvatar/AkoolLiveAvatar.node.ts');
	const { AkoolApi } = requireSource('credentials/AkoolApi.credentials.ts');
	return { node: new AkoolLiveAvatar().description, credential: new AkoolApi() };
}

// What a node description offers, whether loaded from the sources (above) or exported by n8n (`n8n export:nodes`).

/** Whether `property` is shown for `resource` and `operation` (a property shown for every one of them when it says nothing). */
export function shownFor(property, resource, operation) {
	const show = property.displayOptions?.show ?? {};
	return (!show.resource || show.resource.includes(resource)) && (!show.operation || show.operation.includes(operation));
}
/** The property `name` shown for `resource` (the Operation property of a resource, say). */
export const propertyOf = (description, name, resource) => description.properties.find((p) => p.name === name && shownFor(p, resource));
/** The operations offered for `resource`: the options of every Operation property shown for it. */
export const operationsOf = (description, resource) =>
	description.properties.filter((p) => p.name === 'operation' && shownFor(p, resource)).flatMap((p) => p.options);
/** The resources in the editor's order: each resource option with its `operations`. */
export const resourcesOf = (description) =>
	propertyOf(description, 'resource').options.map((r) => ({ ...r, operations: operationsOf(description, r.value) }));
/** The parameters of one operation, top level (the Request Options apart: they are everywhere). */
export const parametersOf = (description, resource, operation) =>
	description.properties.filter((p) => !['resource', 'operation', 'requestOptions'].includes(p.name) && shownFor(p, resource, operation));

/** Problems of `value` for `property`: an option it does not offer, or (in a collection) a field it does not have. */
function problemsOfValue(where, property, value) {
	if (typeof value === 'string' && value.startsWith('=')) return []; // an expression: decided at run time
	if (property.type === 'options' && !property.options.some((o) => o.value === value))
		return [`${where}: ${property.displayName} is ${JSON.stringify(value)}, not one of its options`];
	if (property.type !== 'collection' || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, inner]) => {
		const field = property.options.find((o) => o.name === key);
		return field ? problemsOfValue(where, field, inner) : [`${where}: no "${key}" in ${property.displayName}`];
	});
}

/** What a workflow's node (its parameters) asks of `description` that it does not offer: an operation, a parameter, an option. */
export function problemsOfNode(description, { parameters }, where) {
	const resource = parameters.resource ?? propertyOf(description, 'resource').default;
	const operation = parameters.operation ?? propertyOf(description, 'operation', resource)?.default;
	if (!operationsOf(description, resource).some((o) => o.value === operation)) return [`${where}: no operation ${resource}/${operation}`];
	const properties = [...parametersOf(description, resource, operation), propertyOf(description, 'requestOptions')];
	return Object.entries(parameters)
		.filter(([key]) => !['resource', 'operation'].includes(key))
		.flatMap(([key, value]) => {
			const property = properties.find((p) => p.name === key);
			return property ? problemsOfValue(where, property, value) : [`${where}: no parameter "${key}" in ${resource}/${operation}`];
		});
}
