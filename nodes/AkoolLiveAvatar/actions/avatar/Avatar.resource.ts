import { defineResource } from '../registry';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

export const { resource, description } = defineResource(
	{ name: 'Avatar', value: 'avatar' },
	{ get, getAll, upload },
	'getAll',
);
