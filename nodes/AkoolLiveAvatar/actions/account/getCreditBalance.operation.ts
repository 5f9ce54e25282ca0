import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';

/** No parameters: the balance is the credential's account's. */
export const description: INodeProperties[] = [];

/** Outputs `{ credit }`. Akool files this endpoint under Face Swap, but it is the whole account's balance. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.getCreditBalance },
		{ itemIndex },
	);
	return dataOf(envelope);
}
