// A fake OpenAI-compatible model on 127.0.0.1 for n8n's AI Agent (OpenAI Chat Model with its credential's Base
// URL pointed here; docs/n8n-offline.md, "AI Agent").
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

// Starts the fake: `POST /v1/chat/completions` answers from its `script` (reset(script)), one function per request in
// order, given its body, returning an assistant message (toolCalls() or text()). Every request is recorded (the tool
// definitions and results n8n sent). Resolves with {url, requests, reset(script), toolResults(index), close()}.
export async function startFakeOpenAi() {
	const requests = [];
	let script = [];
	const send = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	const server = createServer(async (req, res) => {
		let raw = '';
		for await (const chunk of req) raw += chunk;
		const body = raw ? JSON.parse(raw) : {};
		requests.push({ method: req.method, url: req.url, headers: req.headers, raw, body });
		const turn = script[requests.length - 1];
		if (req.method !== 'POST' || !req.url.endsWith('/chat/completions') || !turn)
			return send(res, 404, { error: { message: `no scripted answer for ${req.method} ${req.url} #${requests.length}` } });
		const message = turn(body);
		const choices = [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }];
		const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
		const model = body.model ?? 'fake-model';
		const created = Math.floor(Date.now() / 1000);
		send(res, 200, { id: `chatcmpl-${requests.length}`, object: 'chat.completion', created, model, choices, usage });
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/v1`,
		requests,
		reset(next = []) {
			requests.length = 0;
			script = next;
		},
		/** What the model received as tool results ({name?, content}) in the request `index`. */
		toolResults: (index) => (requests[index]?.body.messages ?? []).filter((m) => m.role === 'tool'),
		close: () => new Promise((r) => server.close(r)),
	};
}
