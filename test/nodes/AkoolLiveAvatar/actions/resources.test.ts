import type { INodeProperties } from 'n8n-workflow';

import { properties, RESOURCES } from '../../../../nodes/AkoolLiveAvatar/actions/resources';

/** Every resource lists its operations once: the dropdown, the parameters and the router must agree. */
describe.each(Object.entries(RESOURCES))('resource %s', (resourceName, resource) => {
	const operationProperty = properties.find(
		(p) =>
			p.name === 'operation' &&
			(p.displayOptions?.show?.resource as string[] | undefined)?.includes(resourceName),
	) as INodeProperties;
	const listed = (operationProperty.options as Array<{ value: string; name: string }>) ?? [];

	it('offers exactly the operations the router runs, each with a function', () => {
		expect(listed.map((o) => o.value).sort()).toEqual(Object.keys(resource.operations).sort());
		for (const operation of Object.values(resource.operations)) {
			expect(typeof operation.execute).toBe('function');
		}
	});

	it('lists them alphabetically, each with an action and a description, and defaults to one of them', () => {
		expect(listed.map((o) => o.name)).toEqual(
			[...listed.map((o) => o.name)].sort((a, b) => a.localeCompare(b)),
		);
		for (const option of listed as Array<{ action?: string; description?: string }>) {
			expect(option.action).toBeTruthy();
			expect(option.description).toBeTruthy();
		}
		expect(Object.keys(resource.operations)).toContain(operationProperty.default);
	});

	it.each(Object.keys(resource.operations))(
		'shows the parameters of %s only for that operation',
		(operation) => {
			const own = properties.filter((p) => {
				const show = p.displayOptions?.show;
				return (
					(show?.resource as string[] | undefined)?.includes(resourceName) &&
					(show?.operation as string[] | undefined)?.includes(operation)
				);
			});
			for (const parameter of own) {
				expect(parameter.displayOptions?.show?.operation).toEqual([operation]);
			}
		},
	);
});
