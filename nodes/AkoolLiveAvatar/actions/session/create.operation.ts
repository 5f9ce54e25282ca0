import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	checkNumber,
	checkText,
	compact,
	describeType,
	getIdParameter,
	invalidParameter,
	type IdParameter,
} from '../../helpers/validation';
import {
	AVATAR_ID,
	KNOWLEDGE_BASE_ID,
	VOICE_ID,
	avatarIdLocator,
	knowledgeBaseIdLocator,
	voiceIdLocator,
} from '../common.descriptions';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';
import type { CreatedResource } from '../types';

const MAX_DURATION_SECONDS = 3600;
const STREAM_TYPES = ['agora', 'livekit', 'trtc'] as const;
type StreamType = (typeof STREAM_TYPES)[number];

interface CredentialField {
	/** Akool's key in `credentials`, also the parameter's name. */
	name: string;
	displayName: string;
	description: string;
	required?: boolean;
	integer?: { min: number };
	secret?: boolean;
	pattern?: { regex: RegExp; says: string };
}

/**
 * The `credentials` Akool accepts for each stream type, and which of them it requires (OpenAPI schema
 * `Credentials`). With them the avatar joins the caller's own room; without them Akool provides an Agora
 * channel and returns its credentials.
 */
const STREAM_CREDENTIALS: Record<
	StreamType,
	{ parameter: string; label: string; fields: CredentialField[] }
> = {
	agora: {
		parameter: 'agoraCredentials',
		label: 'Agora',
		fields: [
			{
				name: 'agora_app_id',
				displayName: 'App ID',
				description: 'The App ID of your Agora project',
			},
			{
				name: 'agora_channel',
				displayName: 'Channel',
				required: true,
				description: 'The channel the avatar joins',
			},
			{
				name: 'agora_token',
				displayName: 'Token',
				required: true,
				secret: true,
				description: 'An RTC token for this UID and channel',
			},
			{
				name: 'agora_uid',
				displayName: 'UID',
				required: true,
				integer: { min: 0 },
				description: 'The numeric user ID the avatar joins with',
			},
		],
	},
	livekit: {
		parameter: 'livekitCredentials',
		label: 'LiveKit',
		fields: [
			{
				name: 'livekit_client_identity',
				displayName: 'Client Identity',
				description: 'The identity of the participant the avatar talks to',
			},
			{
				name: 'livekit_room_name',
				displayName: 'Room Name',
				description: 'The room the avatar joins',
			},
			{
				name: 'livekit_server_identity',
				displayName: 'Server Identity',
				description: 'The identity the avatar joins the room with',
			},
			{
				name: 'livekit_token',
				displayName: 'Token',
				required: true,
				secret: true,
				description: 'An access token that lets the avatar join the room',
			},
			{
				name: 'livekit_url',
				displayName: 'URL',
				required: true,
				description: 'Your LiveKit server, e.g. wss://my-project.livekit.cloud',
				pattern: { regex: /^(wss?|https?):\/\/\S+$/i, says: 'must be a wss:// or https:// URL' },
			},
		],
	},
	trtc: {
		parameter: 'trtcCredentials',
		label: 'TRTC',
		fields: [
			{
				name: 'trtc_sdk_room_id',
				displayName: 'Room ID',
				required: true,
				description: 'The room the avatar joins',
			},
			{
				name: 'trtc_sdk_app_id',
				displayName: 'SDK App ID',
				required: true,
				integer: { min: 1 },
				description: 'The SDKAppID of your Tencent RTC application',
			},
			{
				name: 'trtc_sdk_user_id',
				displayName: 'User ID',
				required: true,
				description: 'The user ID the avatar joins with',
			},
			{
				name: 'trtc_sdk_user_sig',
				displayName: 'User Sig',
				required: true,
				secret: true,
				description: 'The UserSig for this user ID',
			},
		],
	},
};

function credentialsProperty(streamType: StreamType): INodeProperties {
	const { parameter, label, fields } = STREAM_CREDENTIALS[streamType];
	const required = fields.filter((f) => f.required).map((f) => f.displayName);
	return {
		displayName: `Your Own ${label} Room`,
		name: parameter,
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: `Optional. Leave empty and Akool provides the ${label} room and returns how to join it in the output's "credentials". Fill it in to make the avatar join your own room instead.`,
		hint: `When used, ${required.join(', ')} are required`,
		displayOptions: { show: { streamType: [streamType] } },
		options: fields.map((f) => ({
			displayName: f.displayName,
			name: f.name,
			type: f.integer ? 'number' : 'string',
			default: f.integer ? f.integer.min : '',
			description: f.description,
			...(f.secret ? { typeOptions: { password: true } } : {}),
		})),
	};
}

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
	{
		displayName: 'Stream Type',
		name: 'streamType',
		type: 'options',
		options: [
			{ name: 'Agora', value: 'agora' },
			{ name: 'LiveKit', value: 'livekit' },
			{ name: 'TRTC (Tencent RTC)', value: 'trtc' },
		],
		default: 'agora',
		description: "The real-time video service that carries the avatar's video and audio",
	},
	...STREAM_TYPES.map(credentialsProperty),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
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
			// A knowledge base or voice is optional here, unlike where it is the operation's subject.
			{
				...knowledgeBaseIdLocator,
				required: false,
				description: 'The knowledge base the avatar answers from (its prompt, documents and URLs)',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en',
				description: "The language code the avatar speaks, from Akool's language list",
			},
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
			},
			{
				displayName: 'Scene Mode',
				name: 'sceneMode',
				type: 'options',
				options: [
					{
						name: 'Fast Dialogue',
						value: 'fast_dialogue',
						description:
							'Low-latency conversation, voice input only; Speed and Pronunciation Map are not available',
					},
				],
				default: 'fast_dialogue',
			},
			{
				...voiceIdLocator,
				required: false,
				description: "The voice the avatar speaks with; without it, the avatar's default voice",
			},
		],
	},
	{
		displayName: 'Voice Parameters',
		name: 'voiceParams',
		type: 'collection',
		placeholder: 'Add parameter',
		default: {},
		options: [
			{
				displayName: 'Pronunciation Map',
				name: 'pronMap',
				type: 'json',
				default: '{}',
				placeholder: '{"akool": "ai ku er"}',
				description: 'A JSON object of words and how to pronounce them, e.g. {"akool": "ai ku er"}',
			},
			{
				displayName: 'Speech Recognition Language',
				name: 'sttLanguage',
				type: 'string',
				default: '',
				placeholder: 'e.g. en',
				description: 'The language code of what the user says to the avatar',
			},
			{
				displayName: 'Speed',
				name: 'speed',
				type: 'number',
				typeOptions: { minValue: 0.8, maxValue: 1.2, numberPrecision: 2 },
				default: 1,
				description: 'How fast the avatar speaks, from 0.8 to 1.2',
			},
			{
				displayName: 'Turn Detection: Prefix Padding (Ms)',
				name: 'turnDetectionPrefixPaddingMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description: 'Milliseconds of audio kept from before the user started speaking',
			},
			{
				displayName: 'Turn Detection: Silence Duration (Ms)',
				name: 'turnDetectionSilenceDurationMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 500,
				description: 'Milliseconds of silence after which the user is considered done speaking',
			},
			{
				displayName: 'Turn Detection: Threshold',
				name: 'turnDetectionThreshold',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.5,
				description: 'Voice activity sensitivity from 0 to 1; higher needs louder speech',
			},
			{
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
		],
	},
];

/** A created session runs (and is charged) until closed: see the router. */
export const creates: CreatedResource = {
	noun: 'session',
	idField: '_id',
	cleanup: 'Close each with Session → Close, or all with Session → Close All Open, if not needed.',
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
	const streamType = checkText(this.getNodeParameter('streamType', itemIndex, 'agora'), {
		label: 'Stream Type',
		fix: `Choose one of ${STREAM_TYPES.join(', ')}.`,
		required: true,
		oneOf: STREAM_TYPES,
	}) as StreamType;
	const additionalFields = getAdditionalFields(this, itemIndex);
	const voiceParams = getVoiceParams(this, itemIndex);
	if (additionalFields.scene_mode === 'fast_dialogue')
		checkFastDialogue(this, itemIndex, voiceParams);

	const body = compact({
		avatar_id: avatarId,
		duration,
		stream_type: streamType,
		credentials: getStreamCredentials(this, itemIndex, streamType),
		...additionalFields,
		voice_params: voiceParams,
	});
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.createSession, body },
		{ itemIndex },
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

function getAdditionalFields(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	// IDs inside the collection are read through their full path so that n8n extracts the locator's value.
	const idIn = (parameter: IdParameter) =>
		parameter.name in fields
			? getIdParameter.call(context, itemIndex, {
					...parameter,
					name: `additionalFields.${parameter.name}`,
				})
			: undefined;
	return {
		voice_id: idIn(VOICE_ID),
		knowledge_id: idIn(KNOWLEDGE_BASE_ID),
		language: checkText(fields.language, {
			label: 'Language',
			fix: 'Enter a language code from Akool\'s language list, e.g. "en".',
			pattern: {
				regex: /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i,
				says: 'must be a language code such as en or zh-CN',
			},
		}),
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
		scene_mode: checkText(fields.sceneMode, {
			label: 'Scene Mode',
			fix: 'Use fast_dialogue, or remove the field.',
			oneOf: ['fast_dialogue'],
		}),
	};
}

function getVoiceParams(context: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const params = context.getNodeParameter('voiceParams', itemIndex, {}) as IDataObject;
	const turnDetection = compact({
		type: checkText(params.turnDetectionType, {
			label: 'Turn Detection: Type',
			fix: 'Use server_vad or semantic_vad.',
			oneOf: ['server_vad', 'semantic_vad'],
		}),
		threshold: checkNumber(params.turnDetectionThreshold, {
			label: 'Turn Detection: Threshold',
			min: 0,
			max: 1,
		}),
		prefix_padding_ms: checkNumber(params.turnDetectionPrefixPaddingMs, {
			label: 'Turn Detection: Prefix Padding',
			integer: true,
			min: 0,
		}),
		silence_duration_ms: checkNumber(params.turnDetectionSilenceDurationMs, {
			label: 'Turn Detection: Silence Duration',
			integer: true,
			min: 0,
		}),
	});
	const voiceParams = compact({
		speed: checkNumber(params.speed, { label: 'Speed', min: 0.8, max: 1.2 }),
		stt_language: checkText(params.sttLanguage, {
			label: 'Speech Recognition Language',
			fix: 'Enter a language code, e.g. "en".',
		}),
		pron_map: getPronunciationMap(context, itemIndex, params.pronMap),
		turn_detection: Object.keys(turnDetection).length > 0 ? turnDetection : undefined,
	});
	return Object.keys(voiceParams).length > 0 ? voiceParams : undefined;
}

/** The pronunciation map: a JSON object of text to text (the editor gives text, an expression may give an object). */
function getPronunciationMap(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): IDataObject | undefined {
	const label = 'Pronunciation Map';
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
	return Object.keys(map).length > 0 ? (map as IDataObject) : undefined;
}

function getStreamCredentials(
	context: IExecuteFunctions,
	itemIndex: number,
	streamType: StreamType,
): IDataObject | undefined {
	const { parameter, label, fields } = STREAM_CREDENTIALS[streamType];
	const given = context.getNodeParameter(parameter, itemIndex, {}) as IDataObject;
	const fix = (field: CredentialField) =>
		`Enter the ${field.displayName} of your ${label} room, or remove every field to let Akool provide the room.`;
	const credentials = compact(
		Object.fromEntries(
			fields.map((field) => {
				const rules = { label: `${label} ${field.displayName}`, fix: fix(field) };
				const value = field.integer
					? checkNumber(given[field.name], {
							...rules,
							integer: true,
							min: field.integer.min,
						})
					: checkText(given[field.name], { ...rules, pattern: field.pattern });
				return [field.name, value];
			}),
		),
	);
	// Nothing filled in: Akool provides the room.
	if (Object.keys(credentials).length === 0) return undefined;
	const missing = fields.filter((field) => field.required && credentials[field.name] === undefined);
	if (missing.length > 0) {
		throw invalidParameter(
			`Your Own ${label} Room`,
			`is missing ${missing.map((f) => f.displayName).join(', ')}`,
			`Akool needs ${fields
				.filter((f) => f.required)
				.map((f) => f.displayName)
				.join(
					', ',
				)} to join your ${label} room. Add the missing fields, or remove every field to let Akool provide the room.`,
		);
	}
	return credentials;
}

/** Fast Dialogue takes a smaller set of voice parameters, and Akool's schema rejects any other. */
function checkFastDialogue(
	context: IExecuteFunctions,
	itemIndex: number,
	voiceParams: IDataObject | undefined,
) {
	const unsupported = [
		['speed', 'Speed'],
		['pron_map', 'Pronunciation Map'],
	].filter(([key]) => voiceParams?.[key] !== undefined);
	if (unsupported.length > 0) {
		throw invalidParameter(
			unsupported.map(([, label]) => label).join(' and '),
			'cannot be used with Scene Mode "Fast Dialogue"',
			'Remove them from Voice Parameters, or remove Scene Mode.',
		);
	}
}
