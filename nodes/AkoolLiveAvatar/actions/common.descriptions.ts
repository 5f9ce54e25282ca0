import type { INodeProperties } from 'n8n-workflow';

import type { IdParameter } from '../helpers/validation';

export const SESSION_ID: IdParameter = {
	name: 'sessionId',
	label: 'Session ID',
	hint: 'Use the `_id` that Create Session returned, typically mapped from the previous step, e.g. {{ $json._id }} (or {{ $json.data._id }} when that step returned the full response).',
};

export const sessionIdLocator: INodeProperties = {
	displayName: 'Session',
	name: SESSION_ID.name,
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description: 'The live avatar session: the `_id` returned by Create Session',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 6698c9d69cf7b0d61d1b6420',
			hint: 'The `_id` returned by Create Session, e.g. {{ $json._id }}',
		},
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchOpenSessions', searchable: true },
		},
	],
};
