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
import { AVATAR_ID, avatarIdLocator, simplifyProperty } from '../common.descriptions';
import { AVATAR_FIELDS, avatarStatusName } from './shared';

const show = { resource: ['avatar'], operation: ['get'] };

const properties: INodeProperties[] = [avatarIdLocator, simplifyProperty(show, AVATAR_FIELDS)];

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	description: 'Get a streaming avatar by its avatar ID',
	action: 'Get an avatar',
};

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const avatarId = getIdParameter.call(this, itemIndex, AVATAR_ID);
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.getAvatar, qs: { avatar_id: avatarId } },
		{ itemIndex },
	);
	const avatar = dataOf(envelope);
	return this.getNodeParameter('simplify', itemIndex, true) === true
		? simplify(avatar, AVATAR_FIELDS, avatarStatusName)
		: avatar;
}
