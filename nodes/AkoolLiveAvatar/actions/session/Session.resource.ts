import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from '../types';
import * as close from './close.operation';

export const resource: AkoolResource = {
	option: { name: 'Session', value: 'session' },
	operations: { close },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{
				name: 'Close',
				value: 'close',
				description: 'Close a live avatar session so that it stops consuming credits',
				action: 'Close a session',
			},
		],
		default: 'close',
	},
	...close.description,
];
