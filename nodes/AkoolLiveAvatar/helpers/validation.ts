import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ItemError } from './itemError';

/**
 * Checks of parameter values, run before any request is sent. Each failure is an ItemError that names the
 * parameter and the fix (the router adds the item), so that one bad item never costs a request or hides the
 * others.
 */

export interface IdParameter {
	/** The parameter's name, e.g. `sessionId`. */
	name: string;
	/** What users see, e.g. `Session ID`. */
	label: string;
	/** How to get a valid value, e.g. where the ID comes from. */
	hint: string;
}

export const describeType = (value: unknown) =>
	value === null
		? 'null'
		: Array.isArray(value)
			? 'a list'
			: typeof value === 'object'
				? 'an object'
				: `a ${typeof value}`;

export function invalidParameter(label: string, problem: string, fix: string): ItemError {
	return new ItemError(`${label} ${problem}`, fix);
}

/**
 * Reads an ID parameter (plain or resource locator) of one item: it must be text and not blank. Surrounding
 * spaces, common when IDs are pasted, are removed.
 */
export function getIdParameter(
	this: IExecuteFunctions,
	itemIndex: number,
	parameter: IdParameter,
): string {
	const value: unknown = this.getNodeParameter(parameter.name, itemIndex, undefined, {
		extractValue: true,
	});
	return checkText(value, {
		label: parameter.label,
		fix: parameter.hint,
		required: true,
	}) as string;
}

export interface TextRules {
	label: string;
	/** How to get a valid value. */
	fix: string;
	required?: boolean;
	maxLength?: number;
	pattern?: { regex: RegExp; says: string };
	url?: boolean;
	/** Allowed values, for free fields that take one of Akool's enums. */
	oneOf?: readonly string[];
}

/** Checks a text value; returns it trimmed, or undefined when it is optional and empty. */
export function checkText(value: unknown, rules: TextRules): string | undefined {
	const { label, fix } = rules;
	if (value === undefined || value === null || value === '') {
		if (rules.required) throw invalidParameter(label, 'is empty', fix);
		return undefined;
	}
	if (typeof value !== 'string') {
		throw invalidParameter(label, `must be text, but is ${describeType(value)}`, fix);
	}
	const text = value.trim();
	if (text === '') {
		if (rules.required) throw invalidParameter(label, 'is empty', fix);
		return undefined;
	}
	if (rules.maxLength !== undefined && text.length > rules.maxLength) {
		throw invalidParameter(
			label,
			`is ${text.length} characters long, more than the ${rules.maxLength} Akool accepts`,
			`Shorten it to at most ${rules.maxLength} characters.`,
		);
	}
	if (rules.url && !isHttpUrl(text)) {
		throw invalidParameter(label, `is not an http(s) URL: "${text.slice(0, 80)}"`, fix);
	}
	if (rules.pattern && !rules.pattern.regex.test(text)) {
		throw invalidParameter(label, rules.pattern.says, fix);
	}
	if (rules.oneOf && !rules.oneOf.includes(text)) {
		throw invalidParameter(
			label,
			`must be one of ${rules.oneOf.join(', ')}, not "${text.slice(0, 40)}"`,
			fix,
		);
	}
	return text;
}

export interface NumberRules {
	label: string;
	fix?: string;
	min?: number;
	max?: number;
	integer?: boolean;
}

/** Checks a number value (numeric text from expressions is accepted); returns it, or undefined when empty. */
export function checkNumber(value: unknown, rules: NumberRules): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const range = `${rules.integer ? 'a whole number' : 'a number'}${rules.min !== undefined ? ` from ${rules.min}` : ''}${rules.max !== undefined ? ` up to ${rules.max}` : ''}`;
	const fix = rules.fix ?? `Enter ${range}.`;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		throw invalidParameter(rules.label, `must be ${range}, but is ${describeType(value)}`, fix);
	}
	if (
		(rules.integer && !Number.isInteger(number)) ||
		(rules.min !== undefined && number < rules.min) ||
		(rules.max !== undefined && number > rules.max)
	) {
		throw invalidParameter(rules.label, `must be ${range}, not ${number}`, fix);
	}
	return number;
}

export function isHttpUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** Drops keys whose value is undefined, so that optional fields left empty are not sent to Akool. */
export function compact<T extends IDataObject>(object: T): T {
	return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Checks a value that must be one of a parameter's options. Expressions often yield numbers as text, so
 * `"2"` matches the option `2`; returns the option's own value.
 */
export function checkOption<T extends string | number>(
	value: unknown,
	rules: { label: string; allowed: readonly T[]; fix?: string },
): T {
	const text =
		typeof value === 'string' || typeof value === 'number' ? String(value).trim() : undefined;
	const match = rules.allowed.find((option) => String(option) === text);
	if (match === undefined) {
		const listed = rules.allowed.join(', ');
		const actual = text === undefined ? describeType(value) : `"${text.slice(0, 40)}"`;
		throw invalidParameter(
			rules.label,
			`must be one of ${listed}, not ${actual}`,
			rules.fix ?? `Choose one of: ${listed}.`,
		);
	}
	return match;
}

/** Reads "Return All" and "Limit" of a Get Many operation; the limit is checked only when it applies. */
export function getLimitParameters(
	this: IExecuteFunctions,
	itemIndex: number,
): { returnAll: boolean; limit?: number } {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) === true;
	if (returnAll) return { returnAll };
	const limit = checkNumber(this.getNodeParameter('limit', itemIndex, 50), {
		label: 'Limit',
		min: 1,
		integer: true,
	});
	return { returnAll, limit: limit ?? 50 };
}

/**
 * Checks a list of http(s) URLs given either as a list (from an expression) or as text with the URLs
 * separated by commas, spaces or new lines (what people paste). Returns the URLs; an empty value gives [].
 */
export function checkUrlList(value: unknown, rules: { label: string; fix: string }): string[] {
	if (value === undefined || value === null) return [];
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[\s,]+/)
			: undefined;
	if (parts === undefined) {
		throw invalidParameter(
			rules.label,
			`must be text or a list, but is ${describeType(value)}`,
			rules.fix,
		);
	}
	const urls: string[] = [];
	for (const part of parts) {
		const url = checkText(part, {
			label: rules.label,
			fix: rules.fix,
			url: true,
		});
		if (url !== undefined) urls.push(url);
	}
	return urls;
}
