// Types for server.js (CommonJS, so that lint's rules for .ts files do not apply to a Node HTTP server).

export interface FakeRequest {
	method: string;
	path: string;
	/** The request line's URL, query included, as sent. */
	url: string;
	route: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: Record<string, unknown>;
	/** The body as received. */
	rawBody: string;
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
	| 'reply'
	| 'redirect'
	| 'drip'
	| 'badGzip'
	| 'badHttp';

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
	/** For 'delay': added before answering; for 'drip': between two bytes (default 100). */
	ms?: number;
	/** For 'reply' and 'drip': the JSON body to answer with. */
	body?: unknown;
	/** For 'redirect': the Location header (e.g. another fake server's URL). */
	location?: string;
	/** For 'drip': write white space for ever instead of the answer. */
	endless?: boolean;
	/** For 'badHttp': the raw bytes written on the socket instead of the default malformed status line. */
	raw?: string;
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
	/** Serve at most this many elements per page, whatever `size` asks (off when unset). */
	maxPageSize?: number;
	/** What lists say in `count`: the total, nothing, or a huge number. */
	countMode?: 'exact' | 'absent' | 'endless';
	/** Always serve page 1, whatever `page` asks. */
	ignorePage?: boolean;
	/** What closing an already-closed session answers (docs silent). */
	closeClosedAnswer?: 1219 | 1000 | number;
	/** A closed session in Get Session List: still there with status 3, or gone (docs silent). */
	closedSessions?: 'status3' | 'gone';
	/** The Close Session body field the server reads (schema: id; docs samples: session_id). */
	closeReads?: 'id' | 'session_id' | 'either';
	/** TRTC credential names of the sessions the fake provides (demo client vs schema). */
	trtcCredentialNames?: 'demo' | 'schema';
	/** Voice List style/age/scenario with several values: any or all of them must match. */
	voiceTagMatch?: 'any' | 'all';
	/** e2e_type sent without scene_mode fast_dialogue ("only applicable" there). */
	e2eTypeOutsideFastDialogue?: 'reject' | 'ignore';
	/** A Voice List voice as top-level voice_id with scene_mode fast_dialogue ("not available"). */
	fastDialogueListVoice?: 'reject' | 'ignore';
	/** Each of the first `times` (default: every) successful closes opens `count` sessions in `status` (default 2). */
	openOnClose?: { count: number; times?: number; status?: number };
}

export interface FakeAkool {
	url: string;
	port: number;
	config: Required<
		Omit<FakeAkoolConfig, 'rateLimit' | 'port' | 'maxPageSize' | 'openOnClose'>
	> &
		Pick<FakeAkoolConfig, 'rateLimit' | 'port' | 'maxPageSize' | 'openOnClose'>;
	state: {
		credit: number;
		sessions: Map<string, FakeSession>;
		avatars: Map<string, Record<string, unknown>>;
		knowledge: Map<string, Record<string, unknown>>;
		voices: Array<Record<string, unknown>>;
		languages: Array<{ lang_code?: string; lang_name?: string; url?: string }>;
	};
	requests: FakeRequest[];
	counters: { requests: number; getToken: number; byRoute: Record<string, number> };
	addFault(fault: Fault): Fault & { hits: number };
	requestsTo(route: string): FakeRequest[];
	/** Requests that carried any of `secrets` in their URL, headers or body. */
	requestsCarrying(secrets: string[]): FakeRequest[];
	/** Requests that carried an x-api-key or Authorization header. */
	requestsWithAuthHeaders(): FakeRequest[];
	/** Changes config keys, as POST /__fake/config does (restarts openOnClose's count). */
	configure(changes: Partial<FakeAkoolConfig>): void;
	addSessions(countOrIds: number | string[], status?: number): FakeSession[];
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
