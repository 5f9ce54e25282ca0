import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';
import { simplify } from '../../helpers/simplify';
import { simplifyProperty } from '../common.descriptions';
import type { CreatedResource } from '../types';
import {
	contentProperties,
	KNOWLEDGE_BASE_FIELDS,
	knowledgeBaseBody,
	nameProperty,
} from './shared';

const show = { resource: ['knowledgeBase'], operation: ['create'] };

const properties: INodeProperties[] = [
	{ ...nameProperty, required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: contentProperties,
	},
	simplifyProperty(show, KNOWLEDGE_BASE_FIELDS),
];

export const creates: CreatedResource = {
	noun: 'knowledge base',
	idField: '_id',
	cleanup: 'Delete them with Knowledge Base → Delete if not needed.',
};

export const option: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	description: 'Create a knowledge base that a session can answer from',
	action: 'Create a knowledge base',
};

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = knowledgeBaseBody(
		this,
		itemIndex,
		{ ...additionalFields, name: this.getNodeParameter('name', itemIndex) },
		'create',
	);
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.createKnowledgeBase, body },
		{ itemIndex },
	);
	const knowledgeBase = dataOf(envelope);
	return this.getNodeParameter('simplify', itemIndex, true) === true
		? simplify(knowledgeBase, KNOWLEDGE_BASE_FIELDS)
		: knowledgeBase;
}
