import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';

/** One operation: what it does for one input item. Its parameters are the `description` its file exports. */
export interface AkoolOperation {
	/** Returns the item's output: one object, or a list when the operation yields one item per element. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

export interface AkoolResource {
	option: INodePropertyOptions;
	operations: Record<string, AkoolOperation>;
}
