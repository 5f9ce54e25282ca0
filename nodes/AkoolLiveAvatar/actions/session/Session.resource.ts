import { defineResource } from '../registry';
import * as close from './close.operation';
import * as closeAllOpen from './closeAllOpen.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

// The default stays "close": workflows saved while Close was the only operation rely on it.
export const { resource, description } = defineResource(
	{ name: 'Session', value: 'session' },
	{ close, closeAllOpen, create, get, getAll },
	'close',
);
