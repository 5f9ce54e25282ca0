import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from '../types';
import * as getCreditBalance from './getCreditBalance.operation';

export const resource: AkoolResource = {
	option: { name: 'Account', value: 'account' },
	operations: { getCreditBalance },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Credit Balance',
				value: 'getCreditBalance',
				description:
					"Get the account's remaining credits, e.g. to check there is enough before creating a session",
				action: 'Get the credit balance',
			},
		],
		default: 'getCreditBalance',
	},
	...getCreditBalance.description,
];
