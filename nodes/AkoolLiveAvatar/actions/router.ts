import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { throttleOf } from '../transport/throttle';
import { RESOURCES } from './resources';

/** Items processed at the same time when Request Options say nothing (see BENCHMARKS.md for why). */
export const DEFAULT_CONCURRENCY = 10;

/**
 * Runs the chosen operation once per input item, up to "Concurrency" items at a time (fewer while Akool
 * says "too frequent": see transport/throttle.ts). Every output item is paired with the input item it came
 * from and the output keeps the input's order; with "Continue On Fail" a failed item becomes an error item
 * in its place, so N items in give N results out. Without it, no new item starts after a failure and the
 * error of the first failed item is thrown once the items in flight have finished.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = RESOURCES[resource]?.operations[operation];
	if (!selected) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	const { concurrency } = this.getNodeParameter('requestOptions', 0, {}) as {
		concurrency?: number;
	};
	const throttle = throttleOf(
		this,
		selected.sequential ? 1 : Math.max(1, Math.floor(concurrency ?? DEFAULT_CONCURRENCY)),
	);
	const continueOnFail = this.continueOnFail();

	const results: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	const runItem = async (itemIndex: number) => {
		try {
			const result = await selected.execute.call(this, itemIndex);
			results[itemIndex] = (Array.isArray(result) ? result : [result]).map((json) => ({
				json,
				pairedItem: { item: itemIndex },
			}));
		} catch (error) {
			if (!continueOnFail) {
				failures.push({ itemIndex, error });
				return;
			}
			results[itemIndex] = [{ json: errorItem(error), pairedItem: { item: itemIndex } }];
		}
	};

	const inFlight = new Set<Promise<void>>();
	for (let itemIndex = 0; itemIndex < items.length && failures.length === 0; itemIndex++) {
		await throttle.acquire();
		if (failures.length > 0) {
			throttle.release();
			break;
		}
		const running: Promise<void> = runItem(itemIndex).finally(() => {
			throttle.release();
			inFlight.delete(running);
		});
		inFlight.add(running);
	}
	await Promise.all(inFlight);

	if (failures.length > 0) {
		const { itemIndex, error } = failures.reduce((first, f) =>
			f.itemIndex < first.itemIndex ? f : first,
		);
		throw error instanceof NodeApiError
			? new NodeApiError(this.getNode(), error as unknown as JsonObject)
			: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	return [results.flat()];
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
