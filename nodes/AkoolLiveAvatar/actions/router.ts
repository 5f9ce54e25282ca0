import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ItemError } from '../helpers/itemError';
import {
	requestOption,
	RequestOptionError,
	retrySettingsFrom,
	throttleOf,
	useRequestSettings,
} from '../transport';
import { RESOURCES } from './resources';
import type { AkoolOperation, CreatedResource } from './types';

/** Items processed at the same time when Request Options say nothing (a trade-off: see BENCHMARKS.md). */
export const DEFAULT_CONCURRENCY = 10;

/**
 * Runs the chosen operation once per input item, up to "Concurrency" items at a time (fewer while Akool
 * says "too frequent": see transport/throttle.ts). Every output item is paired with the input item it came
 * from and the output keeps the input's order; with "Continue On Fail" a failed item becomes an error item
 * in its place, so N items in give N results out. Without it, no new item starts after a failure and the
 * error of the first failed item is thrown once the items in flight have finished, naming whatever this
 * execution created in Akool before it, so that no paid session is lost from sight.
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
	// As an AI Agent's tool, a thrown error reaches the model as an empty result: return it as an item instead,
	// so that the model can read what went wrong (it holds no secret: errors are built from plain strings).
	const continueOnFail = this.continueOnFail() || this.getNode().type.endsWith('Tool');
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const fail = (itemIndex: number, error: unknown) => {
		const nodeError = asNodeError(this, error, itemIndex);
		if (!continueOnFail) failures.push({ itemIndex, error: nodeError });
		else results[itemIndex] = [{ json: errorItem(nodeError), pairedItem: { item: itemIndex } }];
	};

	// Every item's Request Options are checked before any request is sent.
	const settings = items.map((_, itemIndex) => {
		try {
			return retrySettingsFrom(
				this.getNodeParameter('requestOptions', itemIndex, {}) as IDataObject,
			);
		} catch (error) {
			fail(itemIndex, error);
			return undefined;
		}
	});
	if (failures.length > 0) throw failures[0].error;
	useRequestSettings(
		this,
		settings.map((s) => s ?? retrySettingsFrom(undefined)),
	);
	const throttle = throttleOf(this, selected.sequential ? 1 : concurrencyOf(this));
	const cancel = this.getExecutionCancelSignal();

	const runItem = async (itemIndex: number) => {
		try {
			const result = await selected.execute.call(this, itemIndex);
			const outputs = Array.isArray(result) ? result : [result];
			if (selected.creates) requireCreatedId(selected.creates, outputs);
			results[itemIndex] = outputs.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (error) {
			fail(itemIndex, error);
		}
	};

	const inFlight = new Set<Promise<void>>();
	for (let itemIndex = 0; itemIndex < items.length && failures.length === 0; itemIndex++) {
		if (results[itemIndex]) continue; // an error item already (invalid Request Options)
		try {
			await throttle.acquire(cancel);
		} catch {
			break; // cancelled: the items in flight end on the same signal
		}
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
		const first = failures.reduce((a, b) => (b.itemIndex < a.itemIndex ? b : a));
		throw withCreatedResources(first.error, selected, results);
	}
	return [results.flat().filter(Boolean)];
}

/** Request Options → Concurrency of the first item (it is one setting for the whole node), checked. */
function concurrencyOf(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	try {
		return requestOption(options, 'concurrency', DEFAULT_CONCURRENCY);
	} catch (error) {
		throw asNodeError(context, error, 0);
	}
}

/** A create that Akool answered without an ID may still have created (and charged) something. */
function requireCreatedId(creates: CreatedResource, outputs: IDataObject[]): void {
	for (const output of outputs) {
		const id = output[creates.idField];
		if (typeof id === 'string' && id !== '') continue;
		throw new ItemError(
			`Akool reported success but returned no ${creates.noun} ID`,
			`The ${creates.noun} may exist (and be charged) all the same. Do not run this item again before checking: ${creates.cleanup}`,
		);
	}
}

/** The error of one item as n8n shows it: our typed errors become n8n's, with the item index. */
function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof ItemError) {
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: error.description,
		});
	}
	if (error instanceof RequestOptionError) {
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description:
				'Change the value in the node’s Request Options (or the expression that sets it).',
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * Adds to the error of a stopped execution what this execution created before it stopped: those items are
 * not output (n8n drops every result when a node fails), so their IDs would otherwise be lost.
 */
function withCreatedResources(
	error: Error,
	operation: AkoolOperation,
	results: INodeExecutionData[][],
): Error {
	const { creates } = operation;
	if (!creates) return error;
	const ids = results
		.flat()
		.filter(Boolean)
		.map(({ json }) => json[creates.idField])
		.filter((id): id is string => typeof id === 'string' && id !== '');
	if (ids.length === 0) return error;
	const nodeError = error as Error & { description?: string | null; context?: IDataObject };
	const created = `Before this failure, this execution created ${ids.length} ${creates.noun}${ids.length === 1 ? '' : 's'} that the stopped node does not output: ${ids.join(', ')}. ${creates.cleanup}`;
	nodeError.description = `${created}\n\n${nodeError.description ?? ''}`.trim();
	if (nodeError.context) nodeError.context.createdIds = ids;
	return error;
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
