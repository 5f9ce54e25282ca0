import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_CODE, AKOOL_ENDPOINTS, akoolApiRequest } from '../../transport';
import { getIdParameter } from '../../helpers/validation';
import { KNOWLEDGE_BASE_ID, knowledgeBaseIdLocator } from '../common.descriptions';

const properties: INodeProperties[] = [knowledgeBaseIdLocator];

export const option: INodePropertyOptions = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a knowledge base',
	action: 'Delete a knowledge base',
};

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
		{
			itemIndex,
			// A retry after a lost answer hears "not found" when the lost attempt did the deleting.
			acceptCodesAfterUnclearAttempt: [AKOOL_CODE.knowledgeBaseNotFound],
		},
	);
	return { deleted: true, id };
}
