import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, readPages, SESSION_STATUS } from '../../transport';
import { checkNumber, compact, getLimitParameters } from '../../helpers/validation';
import { returnAllOrLimit } from '../common.descriptions';

const show = { resource: ['session'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				// The values are Akool's SESSION_STATUS codes.
				options: [
					{
						name: 'Completed',
						value: 3,
						description: 'Closed, or ended when its duration ran out',
					},
					{ name: 'Failed', value: 4, description: 'Could not run' },
					{
						name: 'Processing',
						value: 2,
						description: 'Running: the avatar is live and using credits',
					},
					{ name: 'Queueing', value: 1, description: 'Created, waiting for the avatar to start' },
				],
				default: 2,
				description: 'Only sessions in this status',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

/** Lists sessions, in the order Akool returns them; one output item per session. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { returnAll, limit } = getLimitParameters.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const statuses: number[] = Object.values(SESSION_STATUS);
	const status = checkNumber(filters.status, {
		label: 'Status',
		fix: `Use one of ${statuses.join(', ')} (${Object.keys(SESSION_STATUS).join(', ')}).`,
		integer: true,
		min: Math.min(...statuses),
		max: Math.max(...statuses),
	});
	return await readPages.call(this, {
		endpoint: AKOOL_ENDPOINTS.listSessions,
		qs: compact({ status }),
		limit: returnAll ? undefined : limit,
		itemIndex,
	});
}
