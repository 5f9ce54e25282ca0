import { ExecuteContext, LoadOptionsContext } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { AkoolLiveAvatar } from '../../nodes/AkoolLiveAvatar/AkoolLiveAvatar.node';
import type { FakeAkool } from '../fake-akool/server';
import { CREDENTIAL_REF, CredentialStore } from './credentials';

export const NODE_TYPE = 'n8n-nodes-akool.akoolLiveAvatar';
const nodeType = new AkoolLiveAvatar();

const nodeTypes: INodeTypes = {
	getByName: () => nodeType as INodeType,
	getByNameAndVersion: () => nodeType as INodeType,
	getKnownTypes: () => ({}),
};

/** A credential of each auth method, pointing at a fake Akool server with its default accounts. */
export const credentialsFor = {
	apiKey: (fake: FakeAkool, apiKey = fake.config.apiKeys[0]): ICredentialDataDecryptedObject => ({
		authMethod: 'apiKey',
		apiKey,
		baseUrl: fake.url,
	}),
	bearerToken: (fake: FakeAkool, accessToken: string): ICredentialDataDecryptedObject => ({
		authMethod: 'bearerToken',
		accessToken,
		baseUrl: fake.url,
	}),
	clientCredentials: (
		fake: FakeAkool,
		clientSecret = fake.config.clients[0].clientSecret,
	): ICredentialDataDecryptedObject => ({
		authMethod: 'clientCredentials',
		clientId: fake.config.clients[0].clientId,
		clientSecret,
		baseUrl: fake.url,
	}),
};

export interface RunOptions {
	parameters: INodeParameters;
	/** The input items' JSON; one empty item by default. */
	items?: IDataObject[];
	credentials: ICredentialDataDecryptedObject | CredentialStore;
	/** The node's "On Error" setting as "Continue" (regular output). */
	continueOnFail?: boolean;
	/** Aborted when the execution is cancelled (n8n's "Stop" button). */
	abortSignal?: AbortSignal;
	/** Run as an AI Agent's tool: n8n gives the tool variant the type `<node type>Tool`. */
	asTool?: boolean;
}

export interface RunResult {
	/** The node's single output. */
	items: INodeExecutionData[];
	credentials: CredentialStore;
}

function setUp(
	options: Pick<RunOptions, 'parameters' | 'credentials' | 'continueOnFail' | 'asTool'>,
) {
	const store =
		options.credentials instanceof CredentialStore
			? options.credentials
			: new CredentialStore(options.credentials);
	const node: INode = {
		id: 'akool-node',
		name: 'Akool Live Avatar',
		type: options.asTool ? `${NODE_TYPE}Tool` : NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { akoolApi: CREDENTIAL_REF },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: 'wf',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const additionalData = {
		credentialsHelper: store.helper(),
		restApiUrl: 'http://localhost:5678/rest',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		executionId: 'test-execution',
	} as unknown as IWorkflowExecuteAdditionalData;
	return { store, node, workflow, additionalData };
}

/**
 * Runs the Akool Live Avatar node the way n8n does, in process: n8n-core's real ExecuteContext (parameter
 * and expression resolution, resource locators, continueOnFail) and its real axios-based
 * httpRequestWithAuthentication, against whatever the credential's base URL points at.
 */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const { context, store } = executeContext(options);
	const output = await nodeType.execute!.call(context);
	return { items: (output as INodeExecutionData[][])[0], credentials: store };
}

/** The ExecuteContext runNode() runs the node with (the benchmark measures with it: test/bench/inprocess.mjs). */
export function executeContext(options: RunOptions) {
	const { store, node, workflow, additionalData } = setUp(options);
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		items,
		{ main: [items] },
		{ node, data: { main: [items] }, source: null },
		[],
		options.abortSignal,
	);
	return { context, store, nodeType };
}

/** Calls one of the node's list-search methods as the editor does for a "From list" picker. */
export async function listSearch(
	method: keyof typeof nodeType.methods.listSearch,
	options: {
		credentials: ICredentialDataDecryptedObject;
		parameters?: INodeParameters;
		filter?: string;
	},
): Promise<INodeListSearchResult> {
	const { node, workflow, additionalData } = setUp({
		parameters: options.parameters ?? {},
		credentials: options.credentials,
	});
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	return await nodeType.methods.listSearch[method].call(context, options.filter);
}
