/**
 * The transport's front door: operations, list searches and the credential import from here only. It is the
 * one part of the node that talks HTTP (request.ts), pages through lists (paging.ts) and builds errors from
 * what Akool answered (errors.ts, with the codes of akoolCodes.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { AkoolEnvelope } from './request';

export {
	AKOOL_CODE,
	AKOOL_CODES,
	AKOOL_SUCCESS_CODE,
	credentialAdvice,
	describeAkoolCode,
} from './akoolCodes';
export type { AuthMethod } from './akoolCodes';
export { BaseUrlError, baseUrlOf, checkBaseUrl, DEFAULT_BASE_URL } from './baseUrl';
export { AKOOL_CREDENTIAL_TYPE, AKOOL_ENDPOINTS } from './endpoints';
export type { AkoolEndpoint } from './endpoints';
export { akoolApiError } from './errors';
export { MAX_PAGES, listElements, readPages } from './paging';
export { pause } from './pause';
export {
	akoolApiRequest,
	CREDENTIAL_ERROR_MARK,
	credentialErrorKind,
	useRequestSettings,
} from './request';
export type { AkoolContext, AkoolEnvelope, AkoolRequest, AkoolRequestOptions } from './request';
export {
	DEFAULT_RETRY,
	REQUEST_OPTION_RANGES,
	RequestOptionError,
	requestOption,
	retrySettingsFrom,
} from './retryPolicy';
export {
	OPEN_SESSION_STATUSES,
	SESSION_STATUS,
	SESSION_STATUSES,
	sessionStatusName,
} from './sessionStatus';
export { throttleOf } from './throttle';

/**
 * The `data` of Akool's envelope as an object: `{}` when there is none (Close answers a bare envelope),
 * and any other shape (a string, a list) wrapped as `{data}` so that every output item is an object.
 */
export function dataOf(envelope: AkoolEnvelope): IDataObject {
	const { data } = envelope;
	if (data === undefined || data === null) return {};
	if (typeof data === 'object' && !Array.isArray(data)) return data as IDataObject;
	return { data } as IDataObject;
}
