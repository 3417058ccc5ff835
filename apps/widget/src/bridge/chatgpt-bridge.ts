/**
 * ChatGPT speaks MCP Apps and also offers `window.openai`: use MCP Apps for tool
 * calls once its handshake has succeeded, `window.openai` otherwise (never wait
 * on a handshake that may not come), and both for initial data, theme and the
 * signed-in notice.
 */
import type { SignedInResult, ToolName } from '@target-auth/shared/tools';
import type { ToolResultLike } from '../state/tool-outcome';
import type { HostBridge, HostEvents } from './host-bridge';
import type { McpAppsBridge } from './mcp-apps-bridge';
import type { OpenAiBridge } from './openai-bridge';

export class ChatGptBridge implements HostBridge {
  readonly kind = 'chatgpt';

  constructor(
    private readonly apps: McpAppsBridge,
    private readonly openai: OpenAiBridge,
  ) {}

  start(events: HostEvents): void {
    this.apps.start(events);
    this.openai.start(events);
  }

  async callTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike> {
    return this.apps.connected ? this.apps.callTool(name, args) : this.openai.callTool(name, args);
  }

  signedIn(identity: SignedInResult): void {
    this.apps.signedIn(identity);
    this.openai.signedIn(identity);
  }

  /** MCP Apps' `ui/open-link` when that host offers it, else `window.openai.openExternal`. */
  async openLink(url: string): Promise<boolean> {
    return (await this.apps.openLink(url)) || this.openai.openLink(url);
  }

  stop(): void {
    this.apps.stop();
    this.openai.stop();
  }
}
