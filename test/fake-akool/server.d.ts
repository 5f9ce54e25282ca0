// Types for server.js (CommonJS, so that lint's rules for .ts files do not apply to a Node HTTP server).

export interface FakeRequest {
	method: string;
	path: string;
	route: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: Record<string, unknown>;
	auth?: 'apiKey' | 'bearer';
	code?: number;
	at: number;
}

export type FaultKind =
	| 'code'
	| 'http'
	| 'drop'
	| 'dropAfter'
	| 'hang'
	| 'malformed'
	| 'empty'
	| 'noCode'
	| 'delay'
	| 'reply';

export interface Fault {
	kind: FaultKind;
	route?: string;
	times?: number;
	probability?: number;
	when?: (request: FakeRequest) => boolean;
	code?: number;
	msg?: string;
	status?: number;
	retryAfter?: number;
	ms?: number;
	/** For 'reply': the JSON body to answer with. */
	body?: unknown;
}

export interface FakeSession {
	_id: string;
	uid: number;
	type: number;
	status: number;
	stream_type: string;
	credentials: Record<string, unknown>;
	avatar_id: string;
	duration: number;
	closeCalls: number;
	[key: string]: unknown;
}

export interface FakeAkoolConfig {
	port?: number;
	apiKeys?: string[];
	clients?: Array<{ clientId: string; clientSecret: string }>;
	tokens?: string[];
	latencyMs?: number;
	rateLimit?: { perSecond: number; answer: '1005' | '429' };
	recordRequests?: boolean;
	tokenIn?: 'top' | 'data';
	knowledgeListShape?: 'array' | 'knowledge_list';
	avatarReadyAfterPolls?: number;
}

export interface FakeAkool {
	url: string;
	port: number;
	config: Required<Omit<FakeAkoolConfig, 'rateLimit' | 'port'>> &
		Pick<FakeAkoolConfig, 'rateLimit' | 'port'>;
	state: {
		credit: number;
		sessions: Map<string, FakeSession>;
		avatars: Map<string, Record<string, unknown>>;
		knowledge: Map<string, Record<string, unknown>>;
		voices: Array<Record<string, unknown>>;
	};
	requests: FakeRequest[];
	counters: { requests: number; getToken: number; byRoute: Record<string, number> };
	addFault(fault: Fault): Fault & { hits: number };
	requestsTo(route: string): FakeRequest[];
	addSessions(count: number, status?: number): FakeSession[];
	expireTokens(): void;
	reset(): void;
	close(): Promise<void>;
}

export function startFakeAkool(options?: FakeAkoolConfig): Promise<FakeAkool>;
export const SESSION_STATUS: { queueing: 1; processing: 2; completed: 3; failed: 4 };
export type FakeRouteName =
	| 'getToken'
	| 'listAvatars'
	| 'getAvatar'
	| 'uploadAvatar'
	| 'getUploadedAvatar'
	| 'createSession'
	| 'getSession'
	| 'listSessions'
	| 'closeSession'
	| 'listVoices'
	| 'listLanguages'
	| 'listKnowledgeBases'
	| 'createKnowledgeBase'
	| 'getKnowledgeBase'
	| 'updateKnowledgeBase'
	| 'deleteKnowledgeBase'
	| 'getCreditBalance';
/** "METHOD /path" of every route, by the endpoint table's names. */
export const ROUTES: Record<FakeRouteName, string>;
/** The path of every route. */
export const ROUTE_PATH: Record<FakeRouteName, string>;
export const AKOOL_MESSAGES: Record<number, string>;
