import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';

/** What an operation creates in Akool (and pays for), so that nothing created is lost when an item fails. */
export interface CreatedResource {
	/** What it is, e.g. "session". */
	noun: string;
	/** The field of the output that holds its ID. */
	idField: string;
	/** How to get rid of it when it is not needed. */
	cleanup: string;
}

/** One operation: what it does for one input item. Its parameters are the `description` its file exports. */
export interface AkoolOperation {
	/** Returns the item's output: one object, or a list when the operation yields one item per element. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** Items run one after another, because each depends on what the one before did (e.g. Close All Open). */
	sequential?: boolean;
	/** Set by operations that create something in Akool: the router then requires its ID in the answer. */
	creates?: CreatedResource;
}

export interface AkoolResource {
	option: INodePropertyOptions;
	operations: Record<string, AkoolOperation>;
}
