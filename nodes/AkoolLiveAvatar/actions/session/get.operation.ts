import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf, sessionStatusName } from '../../transport';
import { withStatusName } from '../../helpers/simplify';
import { getIdParameter } from '../../helpers/validation';
import { SESSION_ID, sessionIdLocator } from '../common.descriptions';

const properties: INodeProperties[] = [sessionIdLocator];

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	description: "Get a session's status and how to join its stream",
	action: 'Get a session',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const sessionId = getIdParameter.call(this, itemIndex, SESSION_ID);
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.getSession, qs: { id: sessionId } },
		{ itemIndex },
	);
	// Few enough fields to need no Simplify; the status gets its word beside the code all the same.
	return withStatusName(dataOf(envelope), sessionStatusName);
}
