import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getIdParameter } from '../../helpers/validation';
import { akoolApiRequest } from '../../transport';
import { AKOOL_ENDPOINTS } from '../../transport/endpoints';
import { KNOWLEDGE_BASE_ID, knowledgeBaseIdLocator } from '../common.descriptions';

const properties: INodeProperties[] = [knowledgeBaseIdLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['knowledgeBase'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = getIdParameter.call(this, itemIndex, KNOWLEDGE_BASE_ID);
	// Akool's delete is a DELETE with a JSON body, not a query parameter.
	await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.deleteKnowledgeBase, body: { id } },
		{ itemIndex },
	);
	return { deleted: true, id };
}
