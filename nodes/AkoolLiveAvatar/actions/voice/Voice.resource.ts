import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from '../types';
import * as getAll from './getAll.operation';

export const resource: AkoolResource = {
	option: { name: 'Voice', value: 'voice' },
	operations: { getAll },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['voice'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List voices, by default those that work in live avatar sessions',
				action: 'Get many voices',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
