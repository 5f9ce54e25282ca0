// A fake OpenAI-compatible model on 127.0.0.1 for n8n's AI Agent (OpenAI Chat Model with its credential's Base
// URL pointed here): `POST /v1/chat/completions` answers from a script, one turn per request, and every request
// is recorded (the tool definitions and tool results n8n sent). docs/n8n-offline.md, "AI Agent".
import { createServer } from 'node:http';

/** An assistant turn that calls tools: [{name, args}] (the names as n8n gave them in `tools`). */
export const toolCalls = (calls) => ({
	role: 'assistant',
	content: null,
	tool_calls: calls.map(({ name, args }, i) => ({
		id: `call_${i + 1}`,
		type: 'function',
		function: { name, arguments: JSON.stringify(args) },
	})),
});
/** An assistant turn with the final text. */
export const text = (content) => ({ role: 'assistant', content });

/**
 * Starts the fake. Its `script` (set with reset()) is a list of functions, one per request in order, each given
 * the request body and returning an assistant message (toolCalls() or text()). Resolves with
 * {url, requests, reset(script), toolResults(index), close()}.
 */
export function startFakeOpenAi() {
	const requests = [];
	let script = [];
	const server = createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const body = raw ? JSON.parse(raw) : {};
			requests.push({ method: req.method, url: req.url, headers: req.headers, raw, body });
			const turn = script[requests.length - 1];
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions') || !turn) {
				res.writeHead(404, { 'content-type': 'application/json' });
				return res.end(JSON.stringify({ error: { message: `no scripted answer for ${req.method} ${req.url} #${requests.length}` } }));
			}
			const message = turn(body);
			const answer = {
				id: `chatcmpl-${requests.length}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: body.model ?? 'fake-model',
				choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			};
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer));
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				url: `http://127.0.0.1:${server.address().port}/v1`,
				requests,
				reset(next = []) {
					requests.length = 0;
					script = next;
				},
				/** What the model received as tool results ({name?, content}) in the request `index`. */
				toolResults: (index) => (requests[index]?.body.messages ?? []).filter((m) => m.role === 'tool'),
				close: () => new Promise((r) => server.close(r)),
			}),
		),
	);
}
