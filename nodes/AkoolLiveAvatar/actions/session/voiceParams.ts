import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkNumber, checkText, describeType, invalidParameter } from '../../helpers/validation';

/**
 * Scene Mode and `voice_params`. Akool's schema takes `voice_params` as Option 1 (VoiceParams) in normal
 * mode and as Option 2 (FastDialogueVoiceParams, `additionalProperties: false`) when `scene_mode` is
 * `fast_dialogue`; the editor shows only the chosen mode's fields, and n8n drops hidden ones before running.
 */

export const SCENE_MODES = ['normal', 'fast_dialogue'] as const;
export type SceneMode = (typeof SCENE_MODES)[number];
const SCENE_MODE_LABEL: Record<SceneMode, string> = {
	normal: 'Normal',
	fast_dialogue: 'Fast Dialogue',
};

/** Option 2's own voices: the only ones Fast Dialogue speaks with (Voice List voices are not available). */
export const FAST_DIALOGUE_VOICES = [
	'alloy',
	'ash',
	'ballad',
	'coral',
	'echo',
	'sage',
	'shimmer',
	'verse',
	'marin',
	'cedar',
] as const;

/** Shows a field only in one scene mode (inside a collection, `/` reads the node's top-level parameters). */
export const onlyIn = (mode: SceneMode) => ({ show: { '/sceneMode': [mode] } });

export const sceneModeProperty: INodeProperties = {
	displayName: 'Scene Mode',
	name: 'sceneMode',
	type: 'options',
	options: [
		{
			name: 'Fast Dialogue',
			value: 'fast_dialogue',
			description:
				'Low-latency conversation, voice input only, with its own voices (alloy, ash, …); Speed, Pronunciation Map and Voice List voices are not available',
		},
		{
			name: 'Normal',
			value: 'normal',
			description: 'Any Voice List voice and every voice parameter',
		},
	],
	default: 'normal',
	description: 'How the avatar converses; Voice Parameters offer the fields of the chosen mode',
};

type Reader = (value: unknown, label: string) => unknown;

const text =
	(fix: string, oneOf?: readonly string[]): Reader =>
	(value, label) =>
		checkText(value, { label, fix, oneOf });
const number =
	(min: number, max?: number, integer = false): Reader =>
	(value, label) =>
		checkNumber(value, { label, min, max, integer });
const flag: Reader = (value, label) => {
	if (value === undefined || typeof value === 'boolean') return value;
	throw invalidParameter(
		label,
		`must be true or false, but is ${describeType(value)}`,
		'Turn it on or off, or remove it.',
	);
};

/** The pronunciation map: a JSON object of text to text (the editor gives text, an expression may give an object). */
const pronunciationMap: Reader = (value, label) => {
	const fix = 'Enter a JSON object of words and their pronunciation, e.g. {"akool": "ai ku er"}.';
	let map = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		try {
			map = JSON.parse(value);
		} catch {
			throw invalidParameter(label, 'is not valid JSON', fix);
		}
	}
	if (map === undefined || map === null) return undefined;
	if (typeof map !== 'object' || Array.isArray(map)) {
		throw invalidParameter(label, `must be a JSON object, but is ${describeType(map)}`, fix);
	}
	const notText = Object.entries(map).find(([, v]) => typeof v !== 'string');
	if (notText) {
		throw invalidParameter(
			label,
			`must map words to text, but "${notText[0]}" is ${describeType(notText[1])}`,
			fix,
		);
	}
	return Object.keys(map).length > 0 ? map : undefined;
};

interface VoiceParam {
	property: INodeProperties;
	/** Where the value goes in `voice_params`: a key, or a group and a key. */
	path: [string] | [string, string];
	/** The one scene mode that takes it; both when absent. */
	only?: SceneMode;
	read: Reader;
}

const zeroToOne = (displayName: string, name: string, key: string, description: string) => ({
	property: {
		displayName,
		name,
		type: 'number' as const,
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.5,
		description,
	},
	path: ['elevenlabs_settings', key] as [string, string],
	read: number(0, 1),
});

/** Every voice parameter, in the schema's order (VoiceParams, FastDialogueVoiceParams, TurnDetection, ElevenlabsSettings). */
const VOICE_PARAMS: VoiceParam[] = [
	{
		property: {
			displayName: 'Fast Dialogue Voice',
			name: 'fastDialogueVoice',
			type: 'options',
			options: FAST_DIALOGUE_VOICES.map((voice) => ({
				name: voice.charAt(0).toUpperCase() + voice.slice(1),
				value: voice,
			})),
			default: 'alloy',
			description:
				"The voice the avatar speaks with in Fast Dialogue: one of that mode's own voices",
			displayOptions: onlyIn('fast_dialogue'),
		},
		path: ['voice_id'],
		only: 'fast_dialogue',
		read: text('Choose one of the Fast Dialogue voices.', FAST_DIALOGUE_VOICES),
	},
	{
		property: {
			displayName: 'Speed',
			name: 'speed',
			type: 'number',
			typeOptions: { minValue: 0.8, maxValue: 1.2, numberPrecision: 2 },
			default: 1,
			description: 'How fast the avatar speaks, from 0.8 to 1.2',
			displayOptions: onlyIn('normal'),
		},
		path: ['speed'],
		only: 'normal',
		read: number(0.8, 1.2),
	},
	{
		property: {
			displayName: 'Pronunciation Map',
			name: 'pronMap',
			type: 'json',
			default: '{}',
			placeholder: '{"akool": "ai ku er"}',
			description: 'A JSON object of words and how to pronounce them, e.g. {"akool": "ai ku er"}',
			displayOptions: onlyIn('normal'),
		},
		path: ['pron_map'],
		only: 'normal',
		read: pronunciationMap,
	},
	{
		property: {
			displayName: 'Speech Recognition Language',
			name: 'sttLanguage',
			type: 'string',
			default: '',
			placeholder: 'e.g. en',
			description:
				'The language code of what the user says to the avatar; without it, Akool detects the language',
		},
		path: ['stt_language'],
		read: text('Enter a language code, e.g. "en".'),
	},
	{
		property: {
			displayName: 'Speech Recognition Type',
			name: 'sttType',
			type: 'options',
			options: [{ name: 'OpenAI Realtime', value: 'openai_realtime' }],
			default: 'openai_realtime',
			description: "The speech-to-text engine that hears the user; without it, Akool's default",
			displayOptions: onlyIn('normal'),
		},
		path: ['stt_type'],
		only: 'normal',
		read: text('Use openai_realtime, or remove the field.', ['openai_realtime']),
	},
	{
		property: {
			displayName: 'Turn Detection: Type',
			name: 'turnDetectionType',
			type: 'options',
			options: [
				{
					name: 'Server VAD',
					value: 'server_vad',
					description: 'Detects the end of a turn from silence',
				},
				{
					name: 'Semantic VAD',
					value: 'semantic_vad',
					description: 'Detects the end of a turn from what was said',
				},
			],
			default: 'server_vad',
		},
		path: ['turn_detection', 'type'],
		read: text('Use server_vad or semantic_vad.', ['server_vad', 'semantic_vad']),
	},
	{
		property: {
			displayName: 'Turn Detection: Threshold',
			name: 'turnDetectionThreshold',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.5,
			description: 'Voice activity sensitivity from 0 to 1; higher needs louder speech',
		},
		path: ['turn_detection', 'threshold'],
		read: number(0, 1),
	},
	{
		property: {
			displayName: 'Turn Detection: Prefix Padding (Milliseconds)',
			name: 'turnDetectionPrefixPaddingMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description: 'Milliseconds of audio kept from before the user started speaking',
		},
		path: ['turn_detection', 'prefix_padding_ms'],
		read: number(0, undefined, true),
	},
	{
		property: {
			displayName: 'Turn Detection: Silence Duration (Milliseconds)',
			name: 'turnDetectionSilenceDurationMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 500,
			description: 'Milliseconds of silence after which the user is considered done speaking',
		},
		path: ['turn_detection', 'silence_duration_ms'],
		read: number(0, undefined, true),
	},
	{
		property: {
			displayName: 'ElevenLabs API Key',
			name: 'elevenLabsApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Your own ElevenLabs API key, to speak with an ElevenLabs voice: enter its voice ID in Voice',
		},
		path: ['elevenlabs_settings', 'api_key'],
		read: text('Enter your ElevenLabs API key, or remove the field.'),
	},
	{
		property: {
			displayName: 'ElevenLabs Model ID',
			name: 'elevenLabsModelId',
			type: 'string',
			default: '',
			placeholder: 'e.g. eleven_flash_v2_5',
			description:
				'The ElevenLabs model, e.g. eleven_flash_v2_5, eleven_turbo_v2_5 or eleven_multilingual_v2',
		},
		path: ['elevenlabs_settings', 'model_id'],
		read: text('Enter an ElevenLabs model ID, e.g. eleven_flash_v2_5.'),
	},
	zeroToOne(
		'ElevenLabs Stability',
		'elevenLabsStability',
		'stability',
		'From 0 to 1: higher is more consistent, lower more varied',
	),
	zeroToOne(
		'ElevenLabs Similarity Boost',
		'elevenLabsSimilarityBoost',
		'similarity_boost',
		'From 0 to 1: how closely the voice keeps to the original',
	),
	zeroToOne('ElevenLabs Style', 'elevenLabsStyle', 'style', 'From 0 to 1: style exaggeration'),
	{
		property: {
			displayName: 'ElevenLabs Speaker Boost',
			name: 'elevenLabsUseSpeakerBoost',
			type: 'boolean',
			default: true,
			description: 'Whether to enhance the similarity to the original speaker',
		},
		path: ['elevenlabs_settings', 'use_speaker_boost'],
		read: flag,
	},
];

export const voiceParamsProperty: INodeProperties = {
	displayName: 'Voice Parameters',
	name: 'voiceParams',
	type: 'collection',
	placeholder: 'Add Parameter',
	default: {},
	options: VOICE_PARAMS.map((param) => param.property).sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	),
};

/** `voice_params` for the scene mode: Option 1 or Option 2, with nothing the other option takes. */
export function getVoiceParams(
	context: IExecuteFunctions,
	itemIndex: number,
	mode: SceneMode,
): IDataObject | undefined {
	const given = context.getNodeParameter('voiceParams', itemIndex, {}) as IDataObject;
	// n8n drops fields the editor hides; these come from workflows that kept Scene Mode in Additional Fields.
	const foreign = VOICE_PARAMS.filter(
		(param) => param.only && param.only !== mode && given[param.property.name] !== undefined,
	);
	if (foreign.length > 0) {
		throw invalidParameter(
			foreign.map((param) => param.property.displayName).join(' and '),
			`cannot be used with Scene Mode "${SCENE_MODE_LABEL[mode]}"`,
			'Remove them from Voice Parameters, or choose the other Scene Mode.',
		);
	}
	const voiceParams: IDataObject = {};
	for (const { property, path, read } of VOICE_PARAMS) {
		const value = read(given[property.name], property.displayName);
		if (value === undefined) continue;
		const [first, second] = path;
		if (second === undefined) voiceParams[first] = value as IDataObject[string];
		else ((voiceParams[first] ??= {}) as IDataObject)[second] = value as IDataObject[string];
	}
	return Object.keys(voiceParams).length > 0 ? voiceParams : undefined;
}
