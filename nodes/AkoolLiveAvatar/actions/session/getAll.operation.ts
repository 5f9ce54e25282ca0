import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { akoolGetMany } from '../../helpers/pagination';
import { simplify, SESSION_STATUS_NAMES } from '../../helpers/simplify';
import { checkNumber, compact, getLimitParameters } from '../../helpers/validation';
import { AKOOL_ENDPOINTS, SESSION_STATUS } from '../../transport/endpoints';
import { returnAllOrLimit, simplifyProperty } from '../common.descriptions';

const show = { resource: ['session'], operation: ['getAll'] };

/** What "Simplify" keeps of a session: which one it is and how it stands, not how to join its stream. */
const SESSION_FIELDS = [
	'_id',
	'status',
	'avatar_id',
	'stream_type',
	'duration',
	'create_time',
] as const;

/** What each status means to a user, by SESSION_STATUS name; the filter's options are built from both. */
const STATUS_MEANING: Record<keyof typeof SESSION_STATUS, string> = {
	queueing: 'Created, waiting for the avatar to start',
	processing: 'Running: the avatar is live and using credits',
	completed: 'Closed, or ended when its duration ran out',
	failed: 'Could not run',
};
const capitalized = (word: string) => word[0].toUpperCase() + word.slice(1);

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
				// Sorted by name, as n8n's lint wants.
				options: Object.entries(SESSION_STATUS)
					.map(([word, code]) => ({
						name: capitalized(word),
						value: code,
						description: STATUS_MEANING[word as keyof typeof SESSION_STATUS],
					}))
					.sort((a, b) => a.name.localeCompare(b.name)),
				// SESSION_STATUS.processing, as a literal: n8n's lint reads defaults without running the code.
				default: 2,
				description: 'Only sessions in this status',
			},
		],
	},
	simplifyProperty(show, SESSION_FIELDS),
];

export const description = updateDisplayOptions({ show }, properties);

/** Lists sessions, in the order Akool returns them; one output item per session. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { returnAll, limit } = getLimitParameters.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const statuses = Object.values(SESSION_STATUS);
	const status = checkNumber(this, itemIndex, filters.status, {
		label: 'Status',
		fix: `Use one of ${statuses.join(', ')} (${Object.keys(SESSION_STATUS).join(', ')}).`,
		integer: true,
		min: Math.min(...statuses),
		max: Math.max(...statuses),
	});
	const sessions = await akoolGetMany.call(this, {
		endpoint: AKOOL_ENDPOINTS.listSessions,
		qs: compact({ status }),
		returnAll,
		limit,
		itemIndex,
	});
	const simplified = this.getNodeParameter('simplify', itemIndex, true) === true;
	return simplified
		? sessions.map((session) => simplify(session, SESSION_FIELDS, SESSION_STATUS_NAMES))
		: sessions;
}
