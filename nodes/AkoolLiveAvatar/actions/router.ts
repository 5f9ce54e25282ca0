import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { RESOURCES } from './resources';

/**
 * Runs the chosen operation once per input item. Every output item is paired with the input item it came
 * from; with "Continue On Fail" a failed item becomes an error item in its place, so N items in give N
 * results out, in order.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = RESOURCES[resource]?.operations[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await selected.execute.call(this, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({ json: errorItem(error), pairedItem: { item: itemIndex } });
				continue;
			}
			throw error instanceof NodeApiError
				? new NodeApiError(this.getNode(), error as unknown as JsonObject)
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [returnData];
}

/** What an item that failed under "Continue On Fail" carries: what happened, what to do, Akool's code. */
function errorItem(error: unknown): IDataObject {
	const { message, description, context } = error as {
		message?: string;
		description?: string | null;
		context?: IDataObject;
	};
	const json: IDataObject = { error: message ?? String(error) };
	if (description) json.description = description;
	if (typeof context?.akoolCode === 'number') json.akoolCode = context.akoolCode;
	return json;
}
