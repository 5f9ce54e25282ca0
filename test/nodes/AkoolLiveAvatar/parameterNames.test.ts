import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { AkoolLiveAvatar } from '../../../nodes/AkoolLiveAvatar/AkoolLiveAvatar.node';

/**
 * The editor keeps a parameter's value when the operation changes and the new operation has a parameter of
 * the same name. When the two differ in type, the value lands in the wrong kind of field: a resource
 * locator's object in a text field shows "[object Object]". So one name (at any depth: inside collections
 * too) means one type everywhere in the node. Hidden parameters are never shown, so they are left out: one
 * keeps the text of workflows saved under an old name (Avatar → Upload's `avatarId`).
 */
interface Occurrence {
	path: string;
	type: string;
	shownFor: string;
}

/** Every parameter of `properties`, nested ones by their dotted path. */
function occurrencesOf(properties: INodeProperties[], prefix = ''): Occurrence[] {
	return properties.flatMap((property) => {
		if (property.type === 'hidden') return [];
		const path = `${prefix}${property.name}`;
		const show = property.displayOptions?.show ?? {};
		const shownFor = `${String(show.resource ?? '*')} → ${String(show.operation ?? '*')}`;
		const own: Occurrence = { path, type: property.type, shownFor };
		const children = (property.options ?? []).flatMap((option) => {
			if ('values' in option) {
				// A fixedCollection group: its fields are nested one level deeper, under the group's name.
				const group = option as INodePropertyCollection;
				return occurrencesOf(group.values, `${path}.${group.name}.`);
			}
			return 'type' in option ? occurrencesOf([option as INodeProperties], `${path}.`) : [];
		});
		return [own, ...children];
	});
}

/** Paths that occur with more than one type, with where each type is shown. */
function conflictsIn(properties: INodeProperties[]): Record<string, string[]> {
	const typesByPath = new Map<string, Map<string, Set<string>>>();
	for (const { path, type, shownFor } of occurrencesOf(properties)) {
		const types = typesByPath.get(path) ?? new Map<string, Set<string>>();
		types.set(type, (types.get(type) ?? new Set()).add(shownFor));
		typesByPath.set(path, types);
	}
	return Object.fromEntries(
		[...typesByPath]
			.filter(([, types]) => types.size > 1)
			.map(([path, types]) => [
				path,
				[...types].map(([type, where]) => `${type} (${[...where].join(', ')})`),
			]),
	);
}

describe('parameter names', () => {
	it('finds a name used with two types (the rule itself)', () => {
		const text: INodeProperties = { displayName: 'A', name: 'id', type: 'string', default: '' };
		const locator: INodeProperties = { ...text, type: 'resourceLocator', default: {} };
		const nested: INodeProperties = {
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [text],
		};
		expect(conflictsIn([text, locator])).toEqual({
			id: ['string (* → *)', 'resourceLocator (* → *)'],
		});
		expect(conflictsIn([nested, { ...nested, options: [locator] }])).toEqual({
			'options.id': ['string (* → *)', 'resourceLocator (* → *)'],
		});
		expect(conflictsIn([text, { ...text, displayName: 'B' }])).toEqual({});
		expect(conflictsIn([locator, { ...text, type: 'hidden' }])).toEqual({});
	});

	it('mean one type each across every resource and operation of the node', () => {
		expect(conflictsIn(new AkoolLiveAvatar().description.properties)).toEqual({});
	});
});
