/** The real local server for the dev harness: stateless MCP `tools/call` over HTTP. */
import type { OpenAiCallToolResult } from '@target-auth/shared/openai';

let nextId = 1;

export async function callServerTool(serverUrl: string, name: string, args: Record<string, unknown>): Promise<OpenAiCallToolResult> {
  const response = await fetch(new URL('/mcp', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body = (await response.json()) as { result?: OpenAiCallToolResult; error?: { message: string } };
  if (!body.result) throw new Error(body.error?.message ?? `Server answered ${response.status}`);
  return body.result;
}
