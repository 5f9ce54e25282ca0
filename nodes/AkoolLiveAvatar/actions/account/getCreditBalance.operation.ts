import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';

/** No parameters: the balance is the credential's account's. */
export const option: INodePropertyOptions = {
	name: 'Get Credit Balance',
	value: 'getCreditBalance',
	description:
		"Get the account's remaining credits, e.g. to check there is enough before creating a session",
	action: 'Get the credit balance',
};

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
