import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { AkoolOperation, AkoolResource } from './types';

/** What an operation file exports: its entry in the Operation list, its parameters and what it does. */
export interface OperationModule extends AkoolOperation {
	option: INodePropertyOptions;
	description: INodeProperties[];
}

/**
 * A resource from its operation files, listed once: the router's table, the Operation dropdown (options in
 * alphabetical order, as n8n's guidelines ask) and every operation's parameters all come from that list.
 */
export function defineResource(
	option: INodePropertyOptions,
	operations: Record<string, OperationModule>,
	defaultOperation: string,
): { resource: AkoolResource; description: INodeProperties[] } {
	const modules = Object.values(operations);
	const operationProperty: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [option.value as string] } },
		options: modules.map((m) => m.option).sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
	return {
		resource: { option, operations },
		description: [operationProperty, ...modules.flatMap((m) => m.description)],
	};
}
