import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { contentProperties, knowledgeBaseBody, nameProperty } from './shared';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';
import type { CreatedResource } from '../types';

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
];

export const creates: CreatedResource = {
	noun: 'knowledge base',
	idField: '_id',
	cleanup: 'Delete them with Knowledge Base → Delete if not needed.',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['knowledgeBase'], operation: ['create'] } },
	properties,
);

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
	return dataOf(envelope);
}
