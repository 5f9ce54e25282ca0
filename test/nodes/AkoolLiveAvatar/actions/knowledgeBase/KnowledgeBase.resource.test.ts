import type { INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import {
	description,
	resource,
} from '../../../../../nodes/AkoolLiveAvatar/actions/knowledgeBase/KnowledgeBase.resource';
import { operationRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId } from '../../../../harness/parameters';

const fake = useFakeAkool();
const run = async (operation: string, parameters: INodeParameters) =>
	(await operationRunner(fake, 'knowledgeBase', operation)(parameters)).items.map(
		(item) => item.json,
	);

describe('Knowledge Base resource', () => {
	it('offers each operation with an action, and implements each one it offers', () => {
		const options = description[0].options as INodePropertyOptions[];
		expect(options.map((o) => o.value)).toEqual(['create', 'delete', 'get', 'getAll', 'update']);
		expect(options.every((o) => typeof o.action === 'string' && o.action !== '')).toBe(true);
		expect(Object.keys(resource.operations).sort()).toEqual(
			options.map((o) => String(o.value)).sort(),
		);
	});

	it('creates, reads, lists, updates and deletes a knowledge base', async () => {
		const [created] = await run('create', {
			name: 'Onboarding',
			additionalFields: { prologue: 'Welcome!' },
		});
		const id = created._id as string;

		expect(await run('get', { knowledgeBaseId: byId(id) })).toEqual([
			expect.objectContaining({ _id: id, name: 'Onboarding', prologue: 'Welcome!' }),
		]);
		expect((await run('getAll', { returnAll: true })).map((kb) => kb.name)).toEqual([
			'Product FAQ',
			'Onboarding',
		]);

		await run('update', {
			knowledgeBaseId: byId(id),
			updateFields: { name: 'Onboarding v2', urls: 'https://example.com/start' },
		});
		expect(await run('get', { knowledgeBaseId: byId(id) })).toEqual([
			expect.objectContaining({
				name: 'Onboarding v2',
				prologue: 'Welcome!',
				urls: ['https://example.com/start'],
			}),
		]);

		expect(await run('delete', { knowledgeBaseId: byId(id) })).toEqual([{ deleted: true, id }]);
		await expect(run('get', { knowledgeBaseId: byId(id) })).rejects.toThrow(
			'The knowledge base does not exist',
		);
		expect((await run('getAll', { returnAll: true })).map((kb) => kb.name)).toEqual([
			'Product FAQ',
		]);
	});
});
