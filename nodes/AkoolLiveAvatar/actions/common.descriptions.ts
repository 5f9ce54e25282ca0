import type { INodeProperties } from 'n8n-workflow';

import type { IdParameter } from '../helpers/validation';

/** A resource locator with a "From List" mode (backed by `searchListMethod`) and a "By ID" mode. */
function idLocator(
	parameter: IdParameter,
	details: {
		displayName: string;
		description: string;
		searchListMethod: string;
		placeholder: string;
	},
): INodeProperties {
	return {
		displayName: details.displayName,
		name: parameter.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: details.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: details.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: details.placeholder,
			},
		],
	};
}

export const SESSION_ID: IdParameter = {
	name: 'sessionId',
	label: 'Session ID',
	hint: 'Pick an open session From List, or map the _id that Session → Create returned, e.g. {{ $json._id }} By ID (or {{ $json.data._id }} when that step returned the full response).',
};

/** From List comes first, as in n8n's own pickers; workflows that map the _id of a created session keep By ID. */
export const sessionIdLocator = idLocator(SESSION_ID, {
	displayName: 'Session',
	description:
		'The live avatar session: pick an open one From List, or give the _id that Session → Create returned By ID',
	searchListMethod: 'searchOpenSessions',
	placeholder: 'e.g. 6698c9d69cf7b0d61d1b6420',
});

export const AVATAR_ID: IdParameter = {
	name: 'avatarId',
	label: 'Avatar ID',
	hint: 'Use the avatar_id of a streaming avatar (e.g. dvp_Tristan_cloth2_1080P), as listed by Avatar → Get Many; not its _id.',
};

export const avatarIdLocator = idLocator(AVATAR_ID, {
	displayName: 'Avatar',
	description: 'The streaming avatar, by its avatar_id',
	searchListMethod: 'searchAvatars',
	placeholder: 'e.g. dvp_Tristan_cloth2_1080P',
});

export const VOICE_ID: IdParameter = {
	name: 'voiceId',
	label: 'Voice ID',
	hint: 'Use the voice_id of a voice that supports streaming, as listed by Voice → Get Many.',
};

export const voiceIdLocator = idLocator(VOICE_ID, {
	displayName: 'Voice',
	description: 'The voice, by its voice_id. Only voices that support streaming work in sessions.',
	searchListMethod: 'searchVoices',
	placeholder: 'e.g. iP95p4xoKVk53GoZ742B',
});

export const KNOWLEDGE_BASE_ID: IdParameter = {
	name: 'knowledgeBaseId',
	label: 'Knowledge Base ID',
	hint: 'Use the _id of a knowledge base, as returned by Knowledge Base → Create or Get Many.',
};

export const knowledgeBaseIdLocator = idLocator(KNOWLEDGE_BASE_ID, {
	displayName: 'Knowledge Base',
	description: 'The knowledge base, by its _id',
	searchListMethod: 'searchKnowledgeBases',
	placeholder: 'e.g. 64f8a1b2c3d4e5f6a7b8c9d0',
});

/** "Return All" and "Limit" of every Get Many operation. */
export function returnAllOrLimit(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The "Simplify" toggle of operations whose answer has more than ten fields. */
export function simplifyProperty(
	show: Record<string, string[]>,
	fields: readonly string[],
): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return only the main fields (${fields.join(', ')}) in readable form (status codes with their word, times as ISO dates) instead of everything Akool returns as it is`,
		displayOptions: { show },
	};
}
