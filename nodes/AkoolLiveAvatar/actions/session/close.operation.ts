import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getIdParameter } from '../../helpers/validation';
import { SESSION_ID, sessionIdLocator } from '../common.descriptions';
import { closeSession } from './closeSession';

const properties: INodeProperties[] = [
	sessionIdLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Return Full Response',
				name: 'fullResponse',
				type: 'boolean',
				default: false,
				description:
					"Whether to return Akool's whole answer (code, msg, data) instead of only its data",
			},
			{
				displayName: 'Succeed If Already Closed',
				name: 'succeedIfAlreadyClosed',
				type: 'boolean',
				default: false,
				description:
					'Whether a session that is already closed (Akool code 1219) counts as success instead of an error. The output says which in alreadyClosed.',
			},
		],
	},
];

export const option: INodePropertyOptions = {
	name: 'Close',
	value: 'close',
	description: 'Close a live avatar session so that it stops consuming credits',
	action: 'Close a session',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['close'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const sessionId = getIdParameter.call(this, itemIndex, SESSION_ID);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		fullResponse?: boolean;
		succeedIfAlreadyClosed?: boolean;
	};

	const { envelope, alreadyClosed } = await closeSession(this, sessionId, itemIndex, options);
	// The fields the node adds (camelCase, like every field the node adds): which session, and whether it was
	// closed before this item asked.
	const outcome = { sessionId, alreadyClosed };
	if (options.fullResponse) return { ...(envelope as IDataObject), ...outcome };
	const data =
		typeof envelope.data === 'object' && envelope.data !== null && !Array.isArray(envelope.data)
			? envelope.data
			: {};
	return { ...(data as IDataObject), ...outcome };
}
