import type { INodeProperties } from 'n8n-workflow';

import type { AkoolResource } from './types';

import * as account from './account/Account.resource';
import * as avatar from './avatar/Avatar.resource';
import * as knowledgeBase from './knowledgeBase/KnowledgeBase.resource';
import { requestOptionsProperty } from './requestOptions.description';
import * as session from './session/Session.resource';
import * as voice from './voice/Voice.resource';

/** Every resource of the node, in the order the editor lists them. The node and the router read this. */
const modules = [session, avatar, voice, knowledgeBase, account];

export const RESOURCES: Record<string, AkoolResource> = Object.fromEntries(
	modules.map((m) => [m.resource.option.value, m.resource]),
);

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: modules.map((m) => m.resource.option),
	default: 'session',
};

export const properties: INodeProperties[] = [
	resourceProperty,
	...modules.flatMap((m) => m.description),
	requestOptionsProperty,
];
