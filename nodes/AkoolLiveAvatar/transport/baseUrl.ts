import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://openapi.akool.com';

/** A Base URL the credential refuses to send secrets to, with what to do about it. */
export class BaseUrlError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'BaseUrlError';
	}
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const isLoopback = (hostname: string) =>
	LOOPBACK_HOSTS.has(hostname) ||
	/^127\.\d+\.\d+\.\d+$/.test(hostname) ||
	hostname.endsWith('.localhost');

const EXAMPLE = `Enter Akool's address, ${DEFAULT_BASE_URL}, or a proxy's, such as https://akool-proxy.example.com.`;

/**
 * The credential's Base URL, checked, without trailing slashes; Akool's own when the field is empty. The
 * credential's secrets go only there, so a Base URL that could send them somewhere else, or in clear text
 * over the network, is refused before any request: one without http(s), with a query or fragment (requests
 * would silently go to another path), with a user name or password (never echoed), or plain http to a host
 * that is not this machine unless the credential's Allow Insecure HTTP is on.
 */
export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const checked = checkBaseUrl(credentials);
	if (checked instanceof BaseUrlError) throw checked;
	return checked;
}

/** Like baseUrlOf, but returns the problem instead of throwing it. */
export function checkBaseUrl(credentials: ICredentialDataDecryptedObject): string | BaseUrlError {
	const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (raw === '') return DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		url = new URL('invalid:');
	}
	const shown = raw.includes('@') ? '(not shown: it contains "@")' : `"${raw.slice(0, 100)}"`;
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return new BaseUrlError(
			`The Base URL of the Akool API credential is not an http(s) address: ${shown}`,
			`It must start with https://. ${EXAMPLE}`,
		);
	}
	if (url.username !== '' || url.password !== '') {
		return new BaseUrlError(
			'The Base URL of the Akool API credential contains a user name or password',
			`Remove the "user:password@" part: Akool authenticates with the credential's API key or token, and a password in a URL ends up in logs. ${EXAMPLE}`,
		);
	}
	if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
		return new BaseUrlError(
			`The Base URL of the Akool API credential has a query or fragment: ${shown}`,
			`Remove everything from "?" or "#" on: the node appends each endpoint's path to the Base URL. ${EXAMPLE}`,
		);
	}
	if (
		url.protocol === 'http:' &&
		!isLoopback(url.hostname) &&
		credentials.allowInsecureHttp !== true
	) {
		return new BaseUrlError(
			`The Base URL of the Akool API credential uses plain http to ${url.host}`,
			`Over http, the API key or token would cross the network unencrypted. Use https://, or, only for a host on a network you trust, turn on Allow Insecure HTTP in the credential.`,
		);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
