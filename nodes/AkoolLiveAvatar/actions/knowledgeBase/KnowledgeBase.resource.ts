import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const resource: AkoolResource = {
	option: { name: 'Knowledge Base', value: 'knowledgeBase' },
	operations: { create, delete: del, get, getAll, update },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['knowledgeBase'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a knowledge base that a session can answer from',
				action: 'Create a knowledge base',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a knowledge base',
				action: 'Delete a knowledge base',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a knowledge base by its ID',
				action: 'Get a knowledge base',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the knowledge bases of the account',
				action: 'Get many knowledge bases',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change a knowledge base's name, prologue, prompt, URLs or documents",
				action: 'Update a knowledge base',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
