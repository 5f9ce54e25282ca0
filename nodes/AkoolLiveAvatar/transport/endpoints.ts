import type { ICredentialDataDecryptedObject, IHttpRequestMethods } from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://openapi.akool.com';

/** The credential's base URL without trailing slashes; Akool's own when the field is empty. */
export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const raw =
		typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== ''
			? credentials.baseUrl
			: DEFAULT_BASE_URL;
	return raw.trim().replace(/\/+$/, '');
}

export interface AkoolEndpoint {
	method: IHttpRequestMethods;
	path: string;
	/**
	 * Whether sending the same request twice is harmless. Creating a session or uploading an avatar is not:
	 * both cost credits, so they are never resent after a failure that may have reached Akool.
	 */
	idempotent: boolean;
	/** For endpoints that are not idempotent: what may have happened when no clear answer came back. */
	ifUnanswered?: { mayHave: string; check: string };
}

/** Every Akool endpoint the node calls, described once (see docs.akool.com/ai-tools-suite/live-avatar). */
export const AKOOL_ENDPOINTS = {
	getToken: { method: 'POST', path: '/api/open/v3/getToken', idempotent: true },
	createSession: {
		method: 'POST',
		path: '/api/open/v4/liveAvatar/session/create',
		idempotent: false,
		ifUnanswered: {
			mayHave: 'created the session (and pre-charged its credits)',
			check:
				'Look for it with Session → Get Many (status Queueing or Processing) before running this item again, and close it if you do not need it.',
		},
	},
	getSession: { method: 'GET', path: '/api/open/v4/liveAvatar/session/detail', idempotent: true },
	listSessions: { method: 'GET', path: '/api/open/v4/liveAvatar/session/list', idempotent: true },
	closeSession: { method: 'POST', path: '/api/open/v4/liveAvatar/session/close', idempotent: true },
	listAvatars: { method: 'GET', path: '/api/open/v4/liveAvatar/avatar/list', idempotent: true },
	getAvatar: { method: 'GET', path: '/api/open/v4/liveAvatar/avatar/detail', idempotent: true },
	uploadAvatar: {
		method: 'POST',
		path: '/api/open/v3/avatar/create',
		idempotent: false,
		ifUnanswered: {
			mayHave: 'started processing the avatar upload',
			check: 'Look for the avatar ID with Avatar → Get or Get Many before uploading it again.',
		},
	},
	getUploadedAvatar: { method: 'GET', path: '/api/open/v3/avatar/detail', idempotent: true },
	listVoices: { method: 'GET', path: '/api/open/v4/voice/list', idempotent: true },
	listLanguages: { method: 'GET', path: '/api/open/v3/language/list', idempotent: true },
	listKnowledgeBases: { method: 'GET', path: '/api/open/v4/knowledge/list', idempotent: true },
	createKnowledgeBase: {
		method: 'POST',
		path: '/api/open/v4/knowledge/create',
		idempotent: false,
		ifUnanswered: {
			mayHave: 'created the knowledge base',
			check: 'Look for it by name with Knowledge Base → Get Many before creating it again.',
		},
	},
	getKnowledgeBase: { method: 'GET', path: '/api/open/v4/knowledge/detail', idempotent: true },
	updateKnowledgeBase: { method: 'POST', path: '/api/open/v4/knowledge/update', idempotent: true },
	deleteKnowledgeBase: {
		method: 'DELETE',
		path: '/api/open/v4/knowledge/delete',
		idempotent: true,
	},
	getCreditBalance: { method: 'GET', path: '/api/open/v3/faceswap/quota/info', idempotent: true },
} as const satisfies Record<string, AkoolEndpoint>;

/** Session status values of the Live Avatar API. */
export const SESSION_STATUS = { queueing: 1, processing: 2, completed: 3, failed: 4 } as const;

/** Akool's business codes the node reacts to itself. */
export const AKOOL_CODE = {
	alreadyClosed: 1219,
	invalidToken: 1101,
} as const;
