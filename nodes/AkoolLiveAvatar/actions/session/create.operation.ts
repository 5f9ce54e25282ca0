import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	checkNumber,
	checkText,
	compact,
	getIdParameter,
	invalidParameter,
	type IdParameter,
} from '../../helpers/validation';
import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';
import {
	AVATAR_ID,
	KNOWLEDGE_BASE_ID,
	VOICE_ID,
	avatarIdLocator,
	knowledgeBaseIdLocator,
	voiceIdLocator,
} from '../common.descriptions';
import type { CreatedResource } from '../types';
import { getStream, streamProperties } from './streamCredentials';
import {
	FAST_DIALOGUE_VOICES,
	SCENE_MODES,
	getVoiceParams,
	onlyIn,
	sceneModeProperty,
	voiceParamsProperty,
	type SceneMode,
} from './voiceParams';

const MAX_DURATION_SECONDS = 3600;

const LANGUAGE: IdParameter = {
	name: 'language',
	label: 'Language',
	hint: 'Pick a language from the list, or enter a code from Akool\'s Language List, e.g. "en".',
};

/** Akool's Language List, or a code typed in; workflows saved before 0.2 hold the code as plain text. */
const languageLocator: INodeProperties = {
	displayName: 'Language',
	name: LANGUAGE.name,
	type: 'resourceLocator',
	default: { mode: 'list', value: 'en', cachedResultName: 'English (en)' },
	description: "The language the avatar speaks, from Akool's Language List",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchLanguages', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. en' },
	],
};

const properties: INodeProperties[] = [
	avatarIdLocator,
	{
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_DURATION_SECONDS },
		default: 600,
		description: `How long the session may last, in seconds (at most ${MAX_DURATION_SECONDS}). Akool ends it after this time at the latest.`,
		hint: 'Akool pre-charges credits for the whole duration and refunds the unused part once the session is closed: close it when done (Session → Close).',
	},
	...streamProperties,
	sceneModeProperty,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Background URL',
				name: 'backgroundUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/background.jpg',
				description: 'An image or video shown behind the avatar',
			},
			{
				displayName: 'End-to-End Pipeline',
				name: 'e2eType',
				type: 'options',
				options: [{ name: 'OpenAI', value: 'openai' }],
				default: 'openai',
				description:
					'The provider that hears, thinks and speaks in one pipeline (Fast Dialogue only)',
				displayOptions: onlyIn('fast_dialogue'),
			},
			// A knowledge base or voice is optional here, unlike where it is the operation's subject.
			{
				...knowledgeBaseIdLocator,
				required: false,
				description: 'The knowledge base the avatar answers from (its prompt, documents and URLs)',
			},
			languageLocator,
			{
				displayName: 'Mode',
				name: 'modeType',
				type: 'options',
				options: [
					{ name: 'Dialogue', value: 2, description: 'The avatar holds a conversation' },
					{
						name: 'Retelling',
						value: 1,
						description: 'The avatar repeats the text it is sent, word for word',
					},
				],
				default: 2,
				description:
					'Dialogue: the avatar converses, answering from the knowledge base and prompt. Retelling: it speaks exactly the text it is sent.',
			},
			{
				// Where Scene Mode was before 0.2: still read, so that saved workflows keep Fast Dialogue.
				displayName: 'Scene Mode (Old Setting)',
				name: 'sceneMode',
				type: 'options',
				options: [{ name: 'Fast Dialogue', value: 'fast_dialogue' }],
				default: 'fast_dialogue',
				description:
					'Kept for workflows saved before version 0.2; use Scene Mode above the Additional Fields instead',
				displayOptions: onlyIn('normal'),
			},
			{
				...voiceIdLocator,
				required: false,
				description:
					"The voice the avatar speaks with; without it, the avatar's default voice. In Fast Dialogue only an ElevenLabs voice ID (with ElevenLabs settings) goes here.",
			},
			{
				displayName: 'Voice URL',
				name: 'voiceUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/my-voice-model',
				description: 'A custom voice model URL, as the Voice List gives it',
				displayOptions: onlyIn('normal'),
			},
		],
	},
	voiceParamsProperty,
];

/** A created session runs (and is charged) until closed: see the router. */
export const creates: CreatedResource = {
	noun: 'session',
	idField: '_id',
	cleanup: 'Close each with Session → Close, or all with Session → Close All Open, if not needed.',
};

export const option: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	description: 'Start a live avatar session; credits for its whole duration are reserved up front',
	action: 'Create a session',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['create'] } },
	properties,
);

/**
 * Starts a session. It costs credits and is not idempotent, so it is sent exactly once per item, and only
 * after every parameter has been checked.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const avatarId = getIdParameter.call(this, itemIndex, AVATAR_ID);
	const duration = getDuration(this, itemIndex);
	const stream = getStream(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const sceneMode = getSceneMode(this, itemIndex, fields);
	const voiceParams = getVoiceParams(this, itemIndex, sceneMode);
	const voiceId = idIn(this, itemIndex, fields, VOICE_ID);
	if (sceneMode === 'fast_dialogue' && voiceId !== undefined && !voiceParams?.elevenlabs_settings) {
		throw invalidParameter(
			'Voice',
			'cannot be a Voice List voice with Scene Mode "Fast Dialogue"',
			`Fast Dialogue speaks with its own voices: remove Voice and choose Voice Parameters → Fast Dialogue Voice (${FAST_DIALOGUE_VOICES.join(', ')}). Voice List voices are not available in this mode. To use an ElevenLabs voice, add ElevenLabs API Key under Voice Parameters and enter the ElevenLabs voice ID in Voice.`,
		);
	}

	const body = compact({
		avatar_id: avatarId,
		duration,
		...stream,
		voice_id: voiceId,
		...getAdditionalFields(this, itemIndex, fields),
		scene_mode: sceneMode === 'fast_dialogue' ? sceneMode : undefined,
		voice_params: voiceParams,
	});
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.createSession, body },
		{ itemIndex, secrets: secretsIn(body) },
	);
	return dataOf(envelope);
}

function getDuration(context: IExecuteFunctions, itemIndex: number): number {
	const rules = { label: 'Duration', integer: true, min: 1, max: MAX_DURATION_SECONDS };
	const duration = checkNumber(context.getNodeParameter('duration', itemIndex), rules);
	if (duration === undefined) {
		throw invalidParameter(
			'Duration',
			'is empty',
			`Enter the session length in seconds, up to ${MAX_DURATION_SECONDS}.`,
		);
	}
	return duration;
}

/** Scene Mode, or Fast Dialogue when a workflow saved before 0.2 chose it in Additional Fields. */
function getSceneMode(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
): SceneMode {
	if (fields.sceneMode !== undefined) {
		checkText(fields.sceneMode, {
			label: 'Scene Mode (Old Setting)',
			fix: 'Remove it and choose Scene Mode above the Additional Fields.',
			oneOf: ['fast_dialogue'],
		});
		return 'fast_dialogue';
	}
	return checkText(context.getNodeParameter('sceneMode', itemIndex, 'normal'), {
		label: 'Scene Mode',
		fix: 'Choose Normal or Fast Dialogue.',
		required: true,
		oneOf: SCENE_MODES,
	}) as SceneMode;
}

/** An ID inside Additional Fields, read through its full path so that n8n extracts a locator's value. */
function idIn(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	parameter: IdParameter,
): string | undefined {
	return parameter.name in fields
		? getIdParameter.call(context, itemIndex, {
				...parameter,
				name: `additionalFields.${parameter.name}`,
			})
		: undefined;
}

function getAdditionalFields(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
): IDataObject {
	// Optional: a Language added but left empty is not sent (as before 0.2, when it was plain text).
	const language: unknown =
		LANGUAGE.name in fields
			? context.getNodeParameter(`additionalFields.${LANGUAGE.name}`, itemIndex, '', {
					extractValue: true,
				})
			: undefined;
	return {
		voice_url: checkText(fields.voiceUrl, {
			label: 'Voice URL',
			fix: 'Enter the http(s) URL of a voice model, as the Voice List gives it, or remove the field.',
			url: true,
		}),
		language: checkText(language, {
			label: LANGUAGE.label,
			fix: LANGUAGE.hint,
			pattern: {
				regex: /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i,
				says: 'must be a language code such as en or zh-CN',
			},
		}),
		knowledge_id: idIn(context, itemIndex, fields, KNOWLEDGE_BASE_ID),
		mode_type: checkNumber(fields.modeType, {
			label: 'Mode',
			fix: 'Use 1 (Retelling) or 2 (Dialogue).',
			integer: true,
			min: 1,
			max: 2,
		}),
		background_url: checkText(fields.backgroundUrl, {
			label: 'Background URL',
			fix: 'Enter a public http(s) link to an image or video, e.g. https://example.com/background.jpg.',
			url: true,
		}),
		e2e_type: checkText(fields.e2eType, {
			label: 'End-to-End Pipeline',
			fix: 'Use openai, or remove the field.',
			oneOf: ['openai'],
		}),
	};
}

/** The secrets a Create Session body carries besides the credential: your own room's tokens, an ElevenLabs key. */
function secretsIn(body: IDataObject): unknown[] {
	const room = (body.credentials ?? {}) as IDataObject;
	const voice = (body.voice_params ?? {}) as IDataObject;
	const elevenLabs = (voice.elevenlabs_settings ?? {}) as IDataObject;
	return [...Object.values(room), elevenLabs.api_key];
}
