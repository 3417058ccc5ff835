/**
 * The assistant's side: a real MCP client (the v2 SDK, negotiating revision
 * 2026-07-28 as current hosts do) that calls the tools and fetches the widget.
 */
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ToolName } from '@target-auth/shared/tools';

export class Assistant {
  private constructor(private readonly client: Client) {}

  static async connect(serverUrl: string): Promise<Assistant> {
    const client = new Client({ name: 'e2e-assistant', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', serverUrl)));
    if (client.getNegotiatedProtocolVersion() !== '2026-07-28') throw new Error('the server did not negotiate 2026-07-28');
    return new Assistant(client);
  }

  async call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await this.client.callTool({ name, arguments: args }));
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
