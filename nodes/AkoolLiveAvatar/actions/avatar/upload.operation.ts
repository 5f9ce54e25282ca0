import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf, pause } from '../../transport';
import { ItemError } from '../../helpers/itemError';
import { simplify } from '../../helpers/simplify';
import { checkNumber, checkOption, checkText } from '../../helpers/validation';
import { simplifyProperty } from '../common.descriptions';
import { AVATAR_FIELDS, AVATAR_STATUS, avatarStatusName } from './shared';
import type { CreatedResource } from '../types';

const show = { resource: ['avatar'], operation: ['upload'] };

/** Akool's "type" of a streaming avatar; the only kind this endpoint makes for live sessions. */
const STREAMING_AVATAR_TYPE = 2;
/** The name Upload's avatar ID had before 0.2, shared then with the avatar pickers. */
const LEGACY_AVATAR_ID = 'avatarId';
const URL_SOURCES = [1, 2] as const;
const WAIT_TIMEOUT = { min: 0.1, max: 3600, default: 600 };
const POLL_INTERVAL = { min: 0.05, max: 300, default: 10 };

const properties: INodeProperties[] = [
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/avatar.mp4',
		description:
			'Link to the video of the person. Akool recommends about one minute, the person clearly visible and turning slightly.',
	},
	{
		// Named apart from the avatar pickers (`avatarId`, a resource locator): the editor carries a value over
		// to a parameter of the same name when the operation changes, and a picker's value is an object.
		// Not marked required: n8n would refuse to run workflows saved before the rename (their ID is in the old
		// field), so the check that it is given happens when the item runs.
		displayName: 'New Avatar ID',
		name: 'newAvatarId',
		type: 'string',
		default: '',
		placeholder: 'e.g. myAvatar01',
		description:
			'A unique ID you choose for the new avatar: letters and digits only. Sessions use it as avatar_id.',
	},
	{
		// Where workflows saved before the rename keep their text; read only when New Avatar ID is empty.
		displayName: 'Avatar ID (Before 0.2)',
		name: LEGACY_AVATAR_ID,
		type: 'hidden',
		default: '',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Support agent',
		description: 'Display name of the avatar',
	},
	{
		displayName: 'URL Source',
		name: 'urlSource',
		type: 'options',
		options: [
			{
				name: 'Direct Link (Akool or Other Direct URL)',
				value: 1,
				description: 'A link straight to the video file',
			},
			{
				name: 'Third-Party Platform (YouTube, TikTok, X, Google Drive)',
				value: 2,
				description: 'A page of one of these platforms; other platforms are not supported',
			},
		],
		default: 1,
		description: 'What kind of link Video URL is',
	},
	{
		displayName: 'Wait for Ready',
		name: 'waitForReady',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until Akool has processed the video and the avatar can be used in sessions. Otherwise the node returns right after the upload, with status 1 (queueing).',
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: WAIT_TIMEOUT.min, maxValue: WAIT_TIMEOUT.max, numberPrecision: 2 },
		default: 600,
		description: 'How long to wait for the avatar to become ready before the item fails',
		hint: 'The avatar keeps processing after a timeout: check it later with Avatar → Get rather than uploading it again',
		displayOptions: { show: { waitForReady: [true] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: POLL_INTERVAL.min, maxValue: POLL_INTERVAL.max, numberPrecision: 2 },
		default: 10,
		description: 'How often to ask Akool whether the avatar is ready',
		displayOptions: { show: { waitForReady: [true] } },
	},
	simplifyProperty(show, AVATAR_FIELDS),
];

export const creates: CreatedResource = {
	noun: 'avatar',
	idField: '_id',
	cleanup: 'Check them with Avatar → Get before uploading them again.',
};

export const option: INodePropertyOptions = {
	name: 'Upload',
	value: 'upload',
	description: 'Create a streaming avatar of your own from a video',
	action: 'Upload an avatar',
};

export const description = updateDisplayOptions({ show }, properties);

/** New Avatar ID, or the text a workflow saved before the rename holds under the old name. */
function newAvatarIdOf(context: IExecuteFunctions, itemIndex: number): unknown {
	const value = context.getNodeParameter('newAvatarId', itemIndex, '');
	if (value !== '' && value !== undefined) return value;
	// Only text counts: a picker's value lands here when the operation is switched from Avatar → Get.
	const legacy = context.getNodeParameter(LEGACY_AVATAR_ID, itemIndex, '');
	return typeof legacy === 'string' ? legacy : value;
}

interface WaitSettings {
	timeoutSeconds: number;
	intervalSeconds: number;
}

/**
 * Uploads a video as a new streaming avatar (sent once: an upload is not idempotent) and, when asked, waits
 * until Akool has processed it.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = {
		url: checkText(this.getNodeParameter('videoUrl', itemIndex), {
			label: 'Video URL',
			required: true,
			url: true,
			fix: 'Enter a public http(s) link to the video, e.g. https://example.com/avatar.mp4.',
		}),
		avatar_id: checkText(newAvatarIdOf(this, itemIndex), {
			label: 'New Avatar ID',
			required: true,
			pattern: {
				regex: /^[a-zA-Z0-9]+$/,
				says: 'may contain only letters and digits (no spaces, dashes or underscores)',
			},
			fix: 'Choose an ID of letters and digits only that no avatar of the account has yet, e.g. myAvatar01.',
		}),
		name: checkText(this.getNodeParameter('name', itemIndex), {
			label: 'Name',
			required: true,
			fix: 'Enter a display name for the avatar.',
		}),
		type: STREAMING_AVATAR_TYPE,
		url_from: checkOption(this.getNodeParameter('urlSource', itemIndex, 1), {
			label: 'URL Source',
			allowed: URL_SOURCES,
			fix: 'Choose 1 (a direct link to the video file) or 2 (YouTube, TikTok, X or Google Drive).',
		}),
	};
	const wait =
		this.getNodeParameter('waitForReady', itemIndex, false) === true
			? readWaitSettings(this, itemIndex)
			: undefined;

	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.uploadAvatar, body },
		{ itemIndex },
	);
	let avatar = dataOf(envelope);
	if (wait) avatar = await waitUntilReady(this, itemIndex, avatar, wait);
	return this.getNodeParameter('simplify', itemIndex, true) === true
		? simplify(avatar, AVATAR_FIELDS, avatarStatusName)
		: avatar;
}

function readWaitSettings(context: IExecuteFunctions, itemIndex: number): WaitSettings {
	const seconds = (name: string, label: string, bounds: typeof WAIT_TIMEOUT) =>
		checkNumber(context.getNodeParameter(name, itemIndex, bounds.default), {
			label,
			min: bounds.min,
			max: bounds.max,
		}) ?? bounds.default;
	return {
		timeoutSeconds: seconds('waitTimeout', 'Wait Timeout', WAIT_TIMEOUT),
		intervalSeconds: seconds('pollInterval', 'Poll Interval', POLL_INTERVAL),
	};
}

/**
 * Polls the v3 avatar detail (the status endpoint Akool's upload docs point to; its `data` is a list with
 * one element) until the avatar is ready (3), failed (4), or the timeout has passed.
 */
async function waitUntilReady(
	context: IExecuteFunctions,
	itemIndex: number,
	uploaded: IDataObject,
	wait: WaitSettings,
): Promise<IDataObject> {
	const id = typeof uploaded._id === 'string' ? uploaded._id : '';
	const which = `"${String(uploaded.name ?? '')}" (avatar_id ${String(uploaded.avatar_id ?? '')}, _id ${id})`;
	if (id === '') {
		throw new ItemError(
			`Akool accepted the avatar upload but returned no _id to follow it`,
			'The upload itself succeeded: do not upload it again. Check the avatar later with Avatar → Get or Get Many.',
		);
	}

	const deadline = Date.now() + wait.timeoutSeconds * 1000;
	for (;;) {
		await pause(
			Math.min(wait.intervalSeconds * 1000, Math.max(0, deadline - Date.now())),
			context.getExecutionCancelSignal(),
		);
		const answer = await akoolApiRequest
			.call(context, { endpoint: AKOOL_ENDPOINTS.getUploadedAvatar, qs: { id } }, { itemIndex })
			.then(
				(envelope) => ({ data: envelope.data }),
				(error: Error) => ({ failed: error }),
			);
		if ('failed' in answer) {
			// The upload already happened; say so, so that nobody "fixes" this by uploading again.
			throw new ItemError(
				`Could not check whether avatar ${which} is ready: ${answer.failed.message}`,
				`The upload itself succeeded: do not upload it again. Check the avatar later with Avatar → Get (avatar_id ${String(uploaded.avatar_id ?? '')}).`,
			);
		}
		const { data } = answer;
		const detail = ((Array.isArray(data) ? data[0] : data) ?? {}) as IDataObject;
		const status = Number(detail.status);
		if (status === AVATAR_STATUS.ready) return { ...uploaded, ...detail };
		if (status === AVATAR_STATUS.failed) {
			throw new ItemError(
				`Akool could not process the video of avatar ${which} (status 4, failed)`,
				'Check that the video URL is publicly reachable and points to the video itself (or to a YouTube, TikTok, X or Google Drive page with URL Source set to Third-Party Platform), that one person is clearly visible, and that the video is an H.264 MP4 of about one minute. Then upload it again, with a new Avatar ID if Akool says the ID is taken.',
			);
		}
		if (Date.now() >= deadline) {
			throw new ItemError(
				`Avatar ${which} is still processing after ${wait.timeoutSeconds} seconds (status ${Number.isNaN(status) ? 'unknown' : status})`,
				`The upload succeeded and the avatar may still become ready: check later with Avatar → Get (avatar_id ${String(uploaded.avatar_id ?? '')}) rather than uploading it again, or raise Wait Timeout.`,
			);
		}
	}
}
