/**
 * Standalone fallback with no host: the server's HTTP API at a base URL given in
 * the page address (`?api=http://localhost:3000&sessionId=sess_…`).
 */
import { type AuthenticateResult, type SignedInResult, ToolName } from '@target-auth/shared/tools';
import type { ToolResultLike } from '../state/tool-outcome';
import type { HostBridge, HostEvents } from './host-bridge';

const ROUTES: Partial<Record<ToolName, string>> = {
  [ToolName.submitCredentials]: '/api/session/credentials',
  [ToolName.verifyCode]: '/api/session/authenticate',
  [ToolName.resendCode]: '/api/session/resend',
  [ToolName.startPasswordReset]: '/api/session/reset',
  [ToolName.setPassword]: '/api/session/password',
  [ToolName.selectProfile]: '/api/session/profile',
};

export class HttpBridge implements HostBridge {
  readonly kind = 'standalone';
  private readonly media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  private events: HostEvents | undefined;
  private readonly onScheme = (): void => this.events?.theme(this.media?.matches ? 'dark' : 'light');

  constructor(
    private readonly apiBase: string,
    private readonly sessionId: string | null,
    /** Where the screens start (as `authenticate-target` would say); credentials when not given. */
    private readonly initial?: AuthenticateResult,
  ) {}

  start(events: HostEvents): void {
    this.events = events;
    this.onScheme();
    this.media?.addEventListener('change', this.onScheme);
    if (!this.sessionId) return;
    events.toolInput({ sessionId: this.sessionId });
    events.toolResult({ structuredContent: this.initial ?? { sessionId: this.sessionId, authenticated: false, step: 'credentials' } });
  }

  async callTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike> {
    const route = ROUTES[name];
    if (!route) throw new Error(`${name} is not available without a host`);
    const response = await fetch(new URL(route, this.apiBase), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body: unknown = await response.json().catch(() => undefined);
    return { isError: !response.ok, structuredContent: body };
  }

  signedIn(_identity: SignedInResult): void {}

  /** No host to ask: the widget shows the link. */
  async openLink(_url: string): Promise<boolean> {
    return false;
  }

  stop(): void {
    this.media?.removeEventListener('change', this.onScheme);
  }
}
