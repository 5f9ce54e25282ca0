import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	AKOOL_ENDPOINTS,
	readPages,
	SESSION_STATUS,
	SESSION_STATUSES,
	sessionStatusName,
} from '../../transport';
import { simplify } from '../../helpers/simplify';
import { checkNumber, compact, getLimitParameters } from '../../helpers/validation';
import { returnAllOrLimit, simplifyProperty } from '../common.descriptions';

const show = { resource: ['session'], operation: ['getAll'] };

/** What "Simplify" keeps of a session: which one it is and how it stands, not how to join its stream. */
const SESSION_FIELDS = ['_id', 'status', 'avatar_id', 'stream_type', 'duration', 'create_time'];

const properties: INodeProperties[] = [
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				// From the status table, sorted by name as n8n's lint wants.
				options: SESSION_STATUSES.map(({ label, code, description }) => ({
					name: label,
					value: code,
					description,
				})).sort((a, b) => a.name.localeCompare(b.name)),
				// SESSION_STATUS.processing, as a literal: n8n's lint reads defaults without running the code.
				default: 2,
				description: 'Only sessions in this status',
			},
		],
	},
	simplifyProperty(show, SESSION_FIELDS),
];

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List sessions, optionally only those in one status',
	action: 'Get many sessions',
};

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
	const sessions = await readPages.call(this, {
		endpoint: AKOOL_ENDPOINTS.listSessions,
		qs: compact({ status }),
		limit: returnAll ? undefined : limit,
		itemIndex,
	});
	const simplified = this.getNodeParameter('simplify', itemIndex, true) === true;
	return simplified
		? sessions.map((session) => simplify(session, SESSION_FIELDS, sessionStatusName))
		: sessions;
}
