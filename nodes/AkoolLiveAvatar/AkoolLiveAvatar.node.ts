import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/resources';
import { listSearch } from './methods';

export class AkoolLiveAvatar implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Akool Live Avatar',
		name: 'akoolLiveAvatar',
		icon: { light: 'file:akool.svg', dark: 'file:akool.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: "Manage Akool's streaming (live) avatar sessions",
		defaults: { name: 'Akool Live Avatar' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'akoolApi', required: true }],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
