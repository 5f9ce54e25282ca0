import { defineResource } from '../registry';
import * as getCreditBalance from './getCreditBalance.operation';

export const { resource, description } = defineResource(
	{ name: 'Account', value: 'account' },
	{ getCreditBalance },
	'getCreditBalance',
);
