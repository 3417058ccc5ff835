/**
 * The MCP Apps bridge without the ext-apps runtime (which would triple the
 * widget's size): `ui/initialize`, then the host's notifications, `tools/call`,
 * `ui/open-link` (when the host offers it) and `ui/update-model-context`,
 * typed with ext-apps's own spec types.
 */
import type {
  McpUiHostContext,
  McpUiInitializeRequest,
  McpUiInitializeResult,
  McpUiOpenLinkRequest,
  McpUiOpenLinkResult,
  McpUiToolInputNotification,
  McpUiUpdateModelContextRequest,
} from '@modelcontextprotocol/ext-apps';
import type { SignedInResult, ToolName } from '@target-auth/shared/tools';
import type { ToolResultLike } from '../state/tool-outcome';
import { asTheme, type HostBridge, type HostEvents } from './host-bridge';
import { JsonRpcPort } from './json-rpc-port';

export const PROTOCOL_VERSION = '2026-01-26';
const APP_INFO = { name: 'target-auth-widget', version: '0.1.0' };
const HANDSHAKE_TIMEOUT_MS = 5000;
const CALL_TIMEOUT_MS = 30_000;

export class McpAppsBridge implements HostBridge {
  readonly kind = 'mcp-apps';
  private port: JsonRpcPort | undefined;
  private events: HostEvents | undefined;
  private resize: ResizeObserver | undefined;
  /** Resolves true once the host answered `ui/initialize`, false if it never does. */
  ready: Promise<boolean> = Promise.resolve(false);
  /** True from the moment the handshake succeeded. */
  connected = false;
  /** The host said it opens links (`hostCapabilities.openLinks`). */
  private opensLinks = false;

  constructor(private readonly host: Window) {}

  start(events: HostEvents): void {
    this.events = events;
    this.port = new JsonRpcPort(this.host, (method, params) => this.onNotification(method, params), (method) => this.onRequest(method));
    this.port.open();
    const params: McpUiInitializeRequest['params'] = { appInfo: APP_INFO, appCapabilities: {}, protocolVersion: PROTOCOL_VERSION };
    this.ready = this.port
      .request<McpUiInitializeResult>('ui/initialize', params, HANDSHAKE_TIMEOUT_MS)
      .then((result) => {
        this.connected = true;
        this.opensLinks = result.hostCapabilities?.openLinks !== undefined;
        this.applyContext(result.hostContext ?? {});
        this.port?.notify('ui/notifications/initialized');
        this.watchSize();
        return true;
      })
      .catch(() => false);
  }

  async callTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike> {
    if (!this.port || !(await this.ready)) throw new Error('No MCP Apps host');
    return this.port.request<ToolResultLike>('tools/call', { name, arguments: args }, CALL_TIMEOUT_MS);
  }

  signedIn({ name }: SignedInResult): void {
    const params: McpUiUpdateModelContextRequest['params'] = {
      content: [{ type: 'text', text: `The user signed in to Target as ${name}.` }],
      structuredContent: { authenticated: true, name },
    };
    void this.ready.then((ok) => ok && this.port?.request('ui/update-model-context', params, CALL_TIMEOUT_MS).catch(() => undefined));
  }

  async openLink(url: string): Promise<boolean> {
    if (!this.port || !(await this.ready) || !this.opensLinks) return false;
    const params: McpUiOpenLinkRequest['params'] = { url };
    return this.port.request<McpUiOpenLinkResult>('ui/open-link', params, CALL_TIMEOUT_MS).then(
      (result) => result.isError !== true,
      () => false,
    );
  }

  stop(): void {
    this.resize?.disconnect();
    this.port?.close();
  }

  private onNotification(method: string, params: unknown): void {
    const events = this.events;
    if (!events || typeof params !== 'object' || params === null) return;
    switch (method) {
      case 'ui/notifications/tool-input':
        events.toolInput((params as McpUiToolInputNotification['params']).arguments ?? {});
        break;
      case 'ui/notifications/tool-result':
        events.toolResult(params);
        break;
      case 'ui/notifications/host-context-changed':
        this.applyContext(params as McpUiHostContext);
        break;
    }
  }

  private onRequest(method: string): object {
    if (method === 'ui/resource-teardown' || method === 'ping') return {};
    throw new Error(`Method not found: ${method}`);
  }

  private applyContext(context: McpUiHostContext): void {
    const theme = asTheme(context.theme);
    if (theme) this.events?.theme(theme);
    const variables = context.styles?.variables;
    if (variables) this.events?.styles(variables);
  }

  private watchSize(): void {
    if (typeof ResizeObserver === 'undefined') return;
    let last = 0;
    this.resize = new ResizeObserver(() => {
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      this.port?.notify('ui/notifications/size-changed', { height });
    });
    this.resize.observe(document.documentElement);
  }
}
