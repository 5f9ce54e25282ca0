import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from '../types';
import * as close from './close.operation';
import * as closeAllOpen from './closeAllOpen.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const resource: AkoolResource = {
	option: { name: 'Session', value: 'session' },
	operations: { close, closeAllOpen, create, get, getAll },
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
			{
				name: 'Close All Open',
				value: 'closeAllOpen',
				description:
					'Close every queueing or processing session, e.g. to make sure nothing keeps consuming credits',
				action: 'Close all open sessions',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'Start a live avatar session; credits for its whole duration are reserved up front',
				action: 'Create a session',
			},
			{
				name: 'Get',
				value: 'get',
				description: "Get a session's status and how to join its stream",
				action: 'Get a session',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List sessions, optionally only those in one status',
				action: 'Get many sessions',
			},
		],
		// Stays "close": workflows saved while Close was the only operation rely on this default.
		default: 'close',
	},
	...close.description,
	...closeAllOpen.description,
	...create.description,
	...get.description,
	...getAll.description,
];
