import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { akoolApiRequest } from '../../transport';
import { AKOOL_ENDPOINTS } from '../../transport/endpoints';
import { contentProperties, knowledgeBaseBody, nameProperty } from './shared';

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
	return (envelope.data ?? {}) as IDataObject;
}
