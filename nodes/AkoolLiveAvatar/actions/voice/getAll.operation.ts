import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, readPages } from '../../transport';
import { simplify } from '../../helpers/simplify';
import {
	checkOption,
	checkText,
	compact,
	getLimitParameters,
	invalidParameter,
} from '../../helpers/validation';
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

/**
 * Filters Akool matches exactly, in the Voice List docs' values and case, several at once separated by commas
 * (docs.akool.com/ai-tools-suite/voiceLab#get-voice-list). `allowed` lists the documented values, where the
 * docs give a closed set; workflows saved before 0.2 may hold one lower-case gender or a comma-separated text.
 */
const TAG_FILTERS: Record<string, { label: string; allowed?: readonly string[] }> = {
	gender: { label: 'Gender', allowed: ['Female', 'Male'] },
	age: { label: 'Age', allowed: ['Young', 'Middle', 'Elderly'] },
	style: { label: 'Style' },
	scenario: { label: 'Scenario' },
};

const multiOptions = (values: readonly string[]) =>
	[...values].sort().map((value) => ({ name: value, value }));

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
				type: 'multiOptions',
				options: multiOptions(TAG_FILTERS.age.allowed!),
				default: [],
				description: 'Only voices of one of these ages',
			},
			{
				displayName: 'Gender',
				name: 'gender',
				type: 'multiOptions',
				options: multiOptions(TAG_FILTERS.gender.allowed!),
				default: [],
				description: 'Only voices of one of these genders',
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
				placeholder: 'e.g. Advertisement,Education',
				description:
					"Only voices for these scenarios, comma-separated, as Akool's voices name them (case matters)",
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
				placeholder: 'e.g. Calm,Authoritative',
				description:
					"Only voices of these styles, comma-separated, as Akool's voices name them (case matters)",
			},
		],
	},
	simplifyProperty(show, VOICE_FIELDS),
];

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List voices, by default those that work in live avatar sessions',
	action: 'Get many voices',
};

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
		name: checkText(filters.name, {
			label: 'Name',
			maxLength: 200,
			fix: 'Enter the name to filter by, or remove the filter.',
		}),
		...Object.fromEntries(
			Object.entries(TAG_FILTERS).map(([name, rules]) => [name, tagFilter(filters[name], rules)]),
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

/**
 * One tag filter as Akool takes it: the values joined by commas, each in the docs' case. Takes a list (the
 * editor's multiple choice) or comma-separated text (expressions, workflows saved before 0.2).
 */
function tagFilter(
	value: unknown,
	rules: { label: string; allowed?: readonly string[] },
): string | undefined {
	const { label, allowed } = rules;
	const fix = allowed
		? `Choose from ${allowed.join(', ')}, or remove the filter.`
		: `Enter the ${label.toLowerCase()} values to filter by, separated by commas, or remove the filter.`;
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: [value];
	const values = parts
		.filter((part) => part !== undefined && part !== null)
		.map((part) => checkText(part, { label, fix, maxLength: 200 }))
		.filter((part): part is string => part !== undefined)
		.map((part) => {
			if (!allowed) return part;
			// The case Akool's docs use; saved workflows may hold "male".
			const known = allowed.find((option) => option.toLowerCase() === part.toLowerCase());
			if (known === undefined) {
				throw invalidParameter(
					label,
					`must be one of ${allowed.join(', ')}, not "${part.slice(0, 40)}"`,
					fix,
				);
			}
			return known;
		});
	return values.length > 0 ? values.join(',') : undefined;
}
