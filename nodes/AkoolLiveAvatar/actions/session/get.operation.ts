import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { SESSION_STATUS_NAMES, withStatusName } from '../../helpers/simplify';
import { getIdParameter } from '../../helpers/validation';
import { akoolApiRequest } from '../../transport';
import { AKOOL_ENDPOINTS } from '../../transport/endpoints';
import { SESSION_ID, sessionIdLocator } from '../common.descriptions';

const properties: INodeProperties[] = [sessionIdLocator];

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
	return withStatusName((envelope.data ?? {}) as IDataObject, SESSION_STATUS_NAMES);
}
