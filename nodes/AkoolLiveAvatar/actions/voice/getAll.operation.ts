import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, readPages } from '../../transport';
import { simplify } from '../../helpers/simplify';
import { checkOption, checkText, compact, getLimitParameters } from '../../helpers/validation';
import { returnAllOrLimit, simplifyProperty } from '../common.descriptions';

const show = { resource: ['voice'], operation: ['getAll'] };

/** What "Simplify" keeps of a voice: what picking one for a session needs. */
const VOICE_FIELDS = [
	'voice_id',
	'name',
	'gender',
	'language',
	'locale',
	'voice_model_name',
	'support_stream',
	'status',
	'preview',
	'style',
] as const;

const VOICE_TYPES = [1, 2] as const;

/** Free-text filters that go to Akool as they are, under the same name (style, age and scenario are comma-separated lists). */
const TEXT_FILTERS = { name: 'Name', style: 'Style', age: 'Age', scenario: 'Scenario' } as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Voice Type',
		name: 'voiceType',
		type: 'options',
		options: [
			{
				name: 'Voice Clone (Your Voices)',
				value: 1,
				description: 'Voices cloned in your Akool account',
			},
			{ name: 'Akool Voices', value: 2, description: "Akool's library of voices" },
		],
		default: 2,
		description: 'Which voices to list',
	},
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Age',
				name: 'age',
				type: 'string',
				default: '',
				placeholder: 'e.g. Young,Middle Aged',
				description:
					"Only voices of these ages (comma-separated, as Akool's voice library names them)",
			},
			{
				displayName: 'Gender',
				name: 'gender',
				type: 'options',
				options: [
					{ name: 'Female', value: 'female' },
					{ name: 'Male', value: 'male' },
				],
				default: 'female',
				description: 'Only voices of this gender',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Chris',
				description: 'Only voices whose name contains this text',
			},
			{
				displayName: 'Scenario',
				name: 'scenario',
				type: 'string',
				default: '',
				placeholder: 'e.g. Advertisement',
				description: 'Only voices for these scenarios (comma-separated)',
			},
			{
				displayName: 'Streaming Voices Only',
				name: 'supportStreamOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to list only voices that work in live avatar sessions. This applies even when the filter is not added; add it and turn it off to list every voice.',
			},
			{
				displayName: 'Style',
				name: 'style',
				type: 'string',
				default: '',
				placeholder: 'e.g. Calm,Friendly',
				description: 'Only voices of these styles (comma-separated)',
			},
		],
	},
	simplifyProperty(show, VOICE_FIELDS),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const type = checkOption(this.getNodeParameter('voiceType', itemIndex), {
		label: 'Voice Type',
		allowed: VOICE_TYPES,
		fix: 'Choose 1 (your cloned voices) or 2 (Akool voices).',
	});
	const { returnAll, limit } = getLimitParameters.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs = compact({
		type,
		// Sessions can only use streaming voices, so those are all a user of this node usually wants.
		support_stream: filters.supportStreamOnly === false ? undefined : 1,
		gender:
			filters.gender === undefined
				? undefined
				: checkOption(filters.gender, {
						label: 'Gender',
						allowed: ['female', 'male'] as const,
					}),
		...Object.fromEntries(
			Object.entries(TEXT_FILTERS).map(([name, label]) => [
				name,
				checkText(filters[name], {
					label,
					maxLength: 200,
					fix: `Enter the ${label.toLowerCase()} to filter by, or remove the filter.`,
				}),
			]),
		),
	});

	const voices = await readPages.call(this, {
		endpoint: AKOOL_ENDPOINTS.listVoices,
		qs,
		limit: returnAll ? undefined : limit,
		pageSize: 100,
		itemIndex,
	});
	const simplified = this.getNodeParameter('simplify', itemIndex, true) === true;
	return simplified ? voices.map((voice) => simplify(voice, VOICE_FIELDS)) : voices;
}
