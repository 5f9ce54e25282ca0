import type { IHttpRequestMethods } from 'n8n-workflow';

/** The credential type every Akool request is sent with. */
export const AKOOL_CREDENTIAL_TYPE = 'akoolApi';

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
	/** For lists: the elements asked for per page (Akool's `size`). Akool may serve fewer: see paging.ts. */
	pageSize?: number;
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
	listSessions: {
		method: 'GET',
		path: '/api/open/v4/liveAvatar/session/list',
		idempotent: true,
		pageSize: 100,
	},
	closeSession: { method: 'POST', path: '/api/open/v4/liveAvatar/session/close', idempotent: true },
	listAvatars: {
		method: 'GET',
		path: '/api/open/v4/liveAvatar/avatar/list',
		idempotent: true,
		pageSize: 100,
	},
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
	listVoices: { method: 'GET', path: '/api/open/v4/voice/list', idempotent: true, pageSize: 100 },
	listLanguages: { method: 'GET', path: '/api/open/v3/language/list', idempotent: true },
	listKnowledgeBases: {
		method: 'GET',
		path: '/api/open/v4/knowledge/list',
		idempotent: true,
		pageSize: 100,
	},
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
