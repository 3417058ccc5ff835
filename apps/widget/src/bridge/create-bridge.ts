/** Picks the bridge for where the widget runs: a host frame, ChatGPT, the dev harness, or nothing. */
import type { HostBridge } from './host-bridge';
import { ChatGptBridge } from './chatgpt-bridge';
import { HttpBridge } from './http-bridge';
import { McpAppsBridge } from './mcp-apps-bridge';
import { OpenAiBridge } from './openai-bridge';

export function createBridge(win: Window = window): HostBridge {
  const inFrame = win.parent !== win;
  const openai = win.openai;
  if (inFrame && openai) return new ChatGptBridge(new McpAppsBridge(win.parent), new OpenAiBridge(openai));
  if (inFrame) return new McpAppsBridge(win.parent);
  if (openai) return new OpenAiBridge(openai);
  const query = new URLSearchParams(win.location.search);
  return new HttpBridge(query.get('api') ?? win.location.origin, query.get('sessionId'));
}
