import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';

/** One operation: what it does for one input item. Its parameters are the `description` its file exports. */
export interface AkoolOperation {
	/** Returns the item's output: one object, or a list when the operation yields one item per element. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** Items run one after another, because each depends on what the one before did (e.g. Close All Open). */
	sequential?: boolean;
}

export interface AkoolResource {
	option: INodePropertyOptions;
	operations: Record<string, AkoolOperation>;
}
