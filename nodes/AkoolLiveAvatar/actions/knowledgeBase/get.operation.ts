import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';
import { simplify } from '../../helpers/simplify';
import { getIdParameter } from '../../helpers/validation';
import {
	KNOWLEDGE_BASE_ID,
	knowledgeBaseIdLocator,
	simplifyProperty,
} from '../common.descriptions';
import { KNOWLEDGE_BASE_FIELDS } from './shared';

const show = { resource: ['knowledgeBase'], operation: ['get'] };

const properties: INodeProperties[] = [
	knowledgeBaseIdLocator,
	simplifyProperty(show, KNOWLEDGE_BASE_FIELDS),
];

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	description: 'Get a knowledge base by its ID',
	action: 'Get a knowledge base',
};

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = getIdParameter.call(this, itemIndex, KNOWLEDGE_BASE_ID);
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.getKnowledgeBase, qs: { id } },
		{ itemIndex },
	);
	const knowledgeBase = dataOf(envelope);
	return this.getNodeParameter('simplify', itemIndex, true) === true
		? simplify(knowledgeBase, KNOWLEDGE_BASE_FIELDS)
		: knowledgeBase;
}
