import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from '../types';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

export const resource: AkoolResource = {
	option: { name: 'Avatar', value: 'avatar' },
	operations: { get, getAll, upload },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['avatar'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a streaming avatar by its avatar ID',
				action: 'Get an avatar',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the streaming avatars that sessions can use',
				action: 'Get many avatars',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Create a streaming avatar of your own from a video',
				action: 'Upload an avatar',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...upload.description,
];
