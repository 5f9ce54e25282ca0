import { defineResource } from '../registry';
import * as getAll from './getAll.operation';

export const { resource, description } = defineResource(
	{ name: 'Voice', value: 'voice' },
	{ getAll },
	'getAll',
);
