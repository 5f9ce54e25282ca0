import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

export interface IdParameter {
	/** The parameter's name, e.g. `sessionId`. */
	name: string;
	/** What users see, e.g. `Session ID`. */
	label: string;
	/** How to get a valid value, e.g. where the ID comes from. */
	hint: string;
}

const describeType = (value: unknown) =>
	value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;

/**
 * Reads an ID parameter (plain or resource locator) of one item and checks it before any request is sent:
 * it must be text and not blank. Surrounding spaces, common when IDs are pasted, are removed.
 */
export function getIdParameter(this: IExecuteFunctions, itemIndex: number, parameter: IdParameter): string {
	const value: unknown = this.getNodeParameter(parameter.name, itemIndex, undefined, { extractValue: true });
	if (typeof value !== 'string') {
		throw new NodeOperationError(
			this.getNode(),
			`${parameter.label} must be text, but item ${itemIndex} gives ${describeType(value)}`,
			{ itemIndex, description: parameter.hint },
		);
	}
	const id = value.trim();
	if (id === '') {
		throw new NodeOperationError(this.getNode(), `${parameter.label} is empty in item ${itemIndex}`, {
			itemIndex,
			description: parameter.hint,
		});
	}
	return id;
}
