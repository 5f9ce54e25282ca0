import type { INodeProperties } from 'n8n-workflow';

import * as session from './session/Session.resource';

/** Every resource of the node, in the order the editor lists them. The node and the router read this. */
const modules = [session];

export const RESOURCES = Object.fromEntries(modules.map((m) => [m.resource.option.value, m.resource]));

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: modules.map((m) => m.resource.option),
	default: 'session',
};

export const properties: INodeProperties[] = [resourceProperty, ...modules.flatMap((m) => m.description)];
