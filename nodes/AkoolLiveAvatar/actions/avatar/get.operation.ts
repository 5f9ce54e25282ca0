import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplify } from '../../helpers/simplify';
import { getIdParameter } from '../../helpers/validation';
import { akoolApiRequest } from '../../transport';
import { AKOOL_ENDPOINTS } from '../../transport/endpoints';
import { AVATAR_ID, avatarIdLocator, simplifyProperty } from '../common.descriptions';
import { AVATAR_FIELDS, AVATAR_STATUS_NAMES } from './shared';

const show = { resource: ['avatar'], operation: ['get'] };

const properties: INodeProperties[] = [avatarIdLocator, simplifyProperty(show, AVATAR_FIELDS)];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const avatarId = getIdParameter.call(this, itemIndex, AVATAR_ID);
	const envelope = await akoolApiRequest.call(
		this,
		{ endpoint: AKOOL_ENDPOINTS.getAvatar, qs: { avatar_id: avatarId } },
		{ itemIndex },
	);
	const avatar = (envelope.data ?? {}) as IDataObject;
	return this.getNodeParameter('simplify', itemIndex, true) === true
		? simplify(avatar, AVATAR_FIELDS, AVATAR_STATUS_NAMES)
		: avatar;
}
