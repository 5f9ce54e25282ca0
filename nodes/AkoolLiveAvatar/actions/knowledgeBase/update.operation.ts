import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, akoolApiRequest, dataOf } from '../../transport';
import { simplify } from '../../helpers/simplify';
import { getIdParameter, invalidParameter } from '../../helpers/validation';
import {
	KNOWLEDGE_BASE_ID,
	knowledgeBaseIdLocator,
	simplifyProperty,
} from '../common.descriptions';
import {
	contentProperties,
	KNOWLEDGE_BASE_FIELDS,
	knowledgeBaseBody,
	nameProperty,
} from './shared';

const show = { resource: ['knowledgeBase'], operation: ['update'] };

const properties: INodeProperties[] = [
	knowledgeBaseIdLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to change. A field added but left empty is cleared (except the name).',
		// Sorted by display name, as the editor lists them.
		options: [...contentProperties, nameProperty].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
	simplifyProperty(show, KNOWLEDGE_BASE_FIELDS),
];

export const option: INodePropertyOptions = {
	name: 'Update',
	value: 'update',
	description: "Change a knowledge base's name, prologue, prompt, URLs or documents",
	action: 'Update a knowledge base',
};

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = getIdParameter.call(this, itemIndex, KNOWLEDGE_BASE_ID);
	const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (Object.keys(updateFields).length === 0) {
		throw invalidParameter(
			'Update Fields',
			'is empty: there is nothing to update',
			'Add at least one field to change: Name, Prologue, Prompt, URLs or Documents.',
		);
	}
	const body = knowledgeBaseBody(this, itemIndex, updateFields, 'update');
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.updateKnowledgeBase, body: { id, ...body } },
		{ itemIndex },
	);
	// Akool documents no answer for update; when it sends none, say what was changed.
	const data = envelope.data;
	const knowledgeBase =
		typeof data === 'object' && data !== null && !Array.isArray(data)
			? dataOf(envelope)
			: { _id: id, ...body };
	return this.getNodeParameter('simplify', itemIndex, true) === true
		? simplify(knowledgeBase, KNOWLEDGE_BASE_FIELDS)
		: knowledgeBase;
}
