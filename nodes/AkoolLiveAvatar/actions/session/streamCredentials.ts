import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkNumber, checkText, compact, invalidParameter } from '../../helpers/validation';

export const STREAM_TYPES = ['agora', 'livekit', 'trtc'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

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
 * `Credentials`). With them the avatar joins the caller's own room; without them Akool provides the room
 * and returns how to join it.
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
		placeholder: 'Add Field',
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

/** Stream Type and, for each type, the optional fields of the caller's own room. */
export const streamProperties: INodeProperties[] = [
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
];

/** Stream Type and the `credentials` of the caller's own room, or none to let Akool provide it. */
export function getStream(
	context: IExecuteFunctions,
	itemIndex: number,
): { stream_type: StreamType; credentials?: IDataObject } {
	const streamType = checkText(context.getNodeParameter('streamType', itemIndex, 'agora'), {
		label: 'Stream Type',
		fix: `Choose one of ${STREAM_TYPES.join(', ')}.`,
		required: true,
		oneOf: STREAM_TYPES,
	}) as StreamType;
	return { stream_type: streamType, credentials: getCredentials(context, itemIndex, streamType) };
}

function getCredentials(
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
	const required = fields.filter((field) => field.required);
	const missing = required.filter((field) => credentials[field.name] === undefined);
	if (missing.length > 0) {
		throw invalidParameter(
			`Your Own ${label} Room`,
			`is missing ${missing.map((f) => f.displayName).join(', ')}`,
			`Akool needs ${required
				.map((f) => f.displayName)
				.join(
					', ',
				)} to join your ${label} room. Add the missing fields, or remove every field to let Akool provide the room.`,
		);
	}
	return credentials;
}
