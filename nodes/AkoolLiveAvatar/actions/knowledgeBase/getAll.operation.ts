import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, readPages } from '../../transport';
import { simplify } from '../../helpers/simplify';
import { checkText, compact, getLimitParameters } from '../../helpers/validation';
import { returnAllOrLimit, simplifyProperty } from '../common.descriptions';
import { KB_LIMITS, KNOWLEDGE_BASE_FIELDS } from './shared';

const show = { resource: ['knowledgeBase'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	...returnAllOrLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. FAQ',
				description: 'Only knowledge bases whose name contains this text',
			},
		],
	},
	simplifyProperty(show, KNOWLEDGE_BASE_FIELDS),
];

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the knowledge bases of the account',
	action: 'Get many knowledge bases',
};

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { returnAll, limit } = getLimitParameters.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const name = checkText(filters.name, {
		label: 'Name filter',
		maxLength: KB_LIMITS.name,
		fix: 'Enter part of a knowledge base name, or remove the filter.',
	});
	const knowledgeBases = await readPages.call(this, {
		endpoint: AKOOL_ENDPOINTS.listKnowledgeBases,
		qs: compact({ name }),
		limit: returnAll ? undefined : limit,
		pageSize: 100,
		itemIndex,
	});
	const simplified = this.getNodeParameter('simplify', itemIndex, true) === true;
	return simplified
		? knowledgeBases.map((kb) => simplify(kb, KNOWLEDGE_BASE_FIELDS))
		: knowledgeBases;
}
