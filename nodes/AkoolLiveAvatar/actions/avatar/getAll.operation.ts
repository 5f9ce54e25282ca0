import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AKOOL_ENDPOINTS, readPages } from '../../transport';
import { simplify } from '../../helpers/simplify';
import { checkOption, getLimitParameters } from '../../helpers/validation';
import { returnAllOrLimit, simplifyProperty } from '../common.descriptions';
import { AVATAR_FIELDS, avatarStatusName } from './shared';

const show = { resource: ['avatar'], operation: ['getAll'] };
const PLATFORMS = ['open', 'aigc'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		options: [
			{
				name: 'API (Open)',
				value: 'open',
				description: "Akool's official streaming avatars and the ones uploaded through the API",
			},
			{
				name: 'Akool Web App (AIGC)',
				value: 'aigc',
				description: 'Streaming avatars created in the Akool web app',
			},
		],
		default: 'open',
		description: 'Where the avatars were made',
	},
	...returnAllOrLimit(show),
	simplifyProperty(show, AVATAR_FIELDS),
];

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the streaming avatars that sessions can use',
	action: 'Get many avatars',
};

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const platform = checkOption(this.getNodeParameter('platform', itemIndex), {
		label: 'Platform',
		allowed: PLATFORMS,
	});
	const { returnAll, limit } = getLimitParameters.call(this, itemIndex);
	const avatars = await readPages.call(this, {
		endpoint: AKOOL_ENDPOINTS.listAvatars,
		qs: { platform },
		limit: returnAll ? undefined : limit,
		pageSize: 100,
		itemIndex,
	});
	const simplified = this.getNodeParameter('simplify', itemIndex, true) === true;
	return simplified
		? avatars.map((avatar) => simplify(avatar, AVATAR_FIELDS, avatarStatusName))
		: avatars;
}
