import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	checkNumber,
	checkText,
	checkUrlList,
	compact,
	invalidParameter,
} from '../../helpers/validation';

/** Akool's limits for a knowledge base (docs.akool.com/ai-tools-suite/knowledge-base). */
export const KB_LIMITS = {
	name: 100,
	prologue: 2000,
	prompt: 10000,
	fileBytes: 100 * 1024 * 1024,
} as const;

/** What "Simplify" keeps of a knowledge base: its content, without account bookkeeping (uid, team_id, …). */
export const KNOWLEDGE_BASE_FIELDS = [
	'_id',
	'name',
	'prologue',
	'prompt',
	'urls',
	'docs',
	'create_time',
	'update_time',
] as const;

export const nameProperty: INodeProperties = {
	displayName: 'Name',
	name: 'name',
	type: 'string',
	default: '',
	placeholder: 'e.g. Product FAQ',
	description: `Name of the knowledge base, at most ${KB_LIMITS.name} characters`,
};

/** The fields that Create (as additional fields) and Update (as fields to update) share. */
export const contentProperties: INodeProperties[] = [
	{
		displayName: 'Documents',
		name: 'docs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Document',
		default: {},
		description:
			'Files the avatar may answer from: PDF, DOC, DOCX, TXT, MD, JSON, XML or CSV, at most 100 MB each and 500 MB in total',
		options: [
			{
				displayName: 'Document',
				name: 'doc',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. faq.pdf',
						description: 'File name of the document',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/faq.pdf',
						description: 'Public http(s) link to the file',
					},
					{
						displayName: 'Size (Bytes)',
						name: 'size',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Size of the file in bytes. 0 means unknown: no size is sent.',
					},
				],
			},
		],
	},
	{
		displayName: 'Prologue',
		name: 'prologue',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. Hi! Ask me anything about our products.',
		description: `What the avatar says first in a session, at most ${KB_LIMITS.prologue} characters`,
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. You are a friendly product expert. Answer briefly.',
		description: `Instructions for the avatar's AI, at most ${KB_LIMITS.prompt} characters`,
	},
	{
		displayName: 'URLs',
		name: 'urls',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. https://example.com/faq, https://example.com/pricing',
		description:
			'Web pages the avatar may answer from, separated by commas or new lines. An expression may also return a list of URLs.',
	},
];

/** A knowledge base's fields as the node's parameters hold them. */
interface ContentFields {
	name?: unknown;
	prologue?: unknown;
	prompt?: unknown;
	urls?: unknown;
	docs?: { doc?: unknown };
}

/**
 * Turns the fields a user set into Akool's body fields, checking each against Akool's limits. On Create an
 * empty field is left out; on Update a field that was added but left empty clears that field in Akool
 * (prologue, prompt, URLs, documents; the name cannot be cleared).
 */
export function knowledgeBaseBody(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: ContentFields,
	mode: 'create' | 'update',
): IDataObject {
	const clearing = mode === 'update';
	const longText = (key: 'prologue' | 'prompt', label: string) => {
		if (!(key in fields)) return undefined;
		const text = checkText(fields[key], {
			label,
			maxLength: KB_LIMITS[key],
			fix: `Enter the ${label.toLowerCase()} as text.`,
		});
		return text ?? (clearing ? '' : undefined);
	};
	const urls = 'urls' in fields ? checkUrlList(fields.urls, URL_RULES) : undefined;
	const docs = 'docs' in fields ? checkDocuments(context, itemIndex, fields.docs?.doc) : undefined;
	const keepList = (list: unknown[] | undefined) =>
		list && (list.length > 0 || clearing) ? list : undefined;

	return compact({
		name:
			mode === 'create' || 'name' in fields
				? checkText(fields.name, {
						label: 'Name',
						required: true,
						maxLength: KB_LIMITS.name,
						fix: 'Enter a name for the knowledge base, e.g. Product FAQ.',
					})
				: undefined,
		prologue: longText('prologue', 'Prologue'),
		prompt: longText('prompt', 'Prompt'),
		urls: keepList(urls),
		docs: keepList(docs),
	});
}

const URL_RULES = {
	label: 'URLs',
	fix: 'Enter http(s) links separated by commas or new lines, e.g. https://example.com/faq, https://example.com/pricing.',
};

function checkDocuments(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): IDataObject[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		throw invalidParameter(
			'Documents',
			'must be a list',
			'Add each document with its name and URL.',
		);
	}
	return value.map((doc: IDataObject, position) => {
		const label = `Document ${position + 1}`;
		const size = checkNumber(doc?.size, {
			label: `${label} size`,
			min: 0,
			max: KB_LIMITS.fileBytes,
			integer: true,
			fix: 'Enter the file size in bytes (Akool accepts files up to 100 MB), or 0 if unknown.',
		});
		return compact({
			name: checkText(doc?.name, {
				label: `${label} name`,
				required: true,
				fix: 'Enter the file name, e.g. faq.pdf.',
			}),
			url: checkText(doc?.url, {
				label: `${label} URL`,
				required: true,
				url: true,
				fix: 'Enter a public http(s) link to the file, e.g. https://example.com/faq.pdf.',
			}),
			size: size ? size : undefined,
		});
	});
}
