/**
 * What went wrong with one item, in plain words, without the node or the item index: validation and
 * operations throw it, and the router, which knows both, turns it into n8n's NodeOperationError for that item.
 */
export class ItemError extends Error {
	constructor(
		message: string,
		/** What to do about it. */
		readonly description: string,
	) {
		super(message);
		this.name = 'ItemError';
	}
}
