/** The assistant's side: a real MCP client that calls the tools and fetches the widget. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ToolName } from '@target-auth/shared/tools';

export class Assistant {
  private constructor(private readonly client: Client) {}

  static async connect(serverUrl: string): Promise<Assistant> {
    const client = new Client({ name: 'e2e-assistant', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', serverUrl)));
    return new Assistant(client);
  }

  async call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await this.client.callTool({ name, arguments: args })) as CallToolResult;
  }

  async createSession(): Promise<string> {
    return ((await this.call(ToolName.createSession)).structuredContent as { sessionId: string }).sessionId;
  }

  /** Calls authenticate-target and reads the widget its `_meta` points at, as a host does. */
  async authenticate(sessionId: string): Promise<{ result: CallToolResult; html: string }> {
    const { tools } = await this.client.listTools();
    const uri = (tools.find((tool) => tool.name === ToolName.authenticate)?._meta as { ui: { resourceUri: string } }).ui.resourceUri;
    const result = await this.call(ToolName.authenticate, { sessionId });
    const { contents } = await this.client.readResource({ uri });
    return { result, html: (contents[0] as { text: string }).text };
  }

  status(sessionId: string): Promise<CallToolResult> {
    return this.call(ToolName.authStatus, { sessionId });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
