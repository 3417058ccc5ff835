/**
 * ChatGPT's `window.openai` layer: `toolOutput` as initial data (covers the
 * first render that misses `tool-result`), the plain-string `theme` and its
 * `openai:set_globals` updates, `callTool`, `openExternal`, and
 * `setWidgetState` after sign-in.
 */
import { type OpenAiApi, SET_GLOBALS_EVENT, type SetGlobalsDetail } from '@target-auth/shared/openai';
import type { SignedInResult, ToolName } from '@target-auth/shared/tools';
import type { AuthWidgetState } from '@target-auth/shared/widget-state';
import type { ToolResultLike } from '../state/tool-outcome';
import { asTheme, type HostBridge, type HostEvents } from './host-bridge';

export class OpenAiBridge implements HostBridge {
  readonly kind = 'openai';
  private events: HostEvents | undefined;
  private readonly onGlobals = (event: Event): void => {
    const globals = (event as CustomEvent<SetGlobalsDetail>).detail?.globals;
    if (globals) this.read(globals);
  };

  constructor(private readonly openai: OpenAiApi) {}

  start(events: HostEvents): void {
    this.events = events;
    window.addEventListener(SET_GLOBALS_EVENT, this.onGlobals);
    this.read(this.openai);
  }

  async callTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike> {
    return this.openai.callTool(name, args);
  }

  signedIn({ name, email }: SignedInResult): void {
    const state: AuthWidgetState = { modelContent: { authenticated: true, name }, privateContent: { email } };
    void Promise.resolve(this.openai.setWidgetState(state)).catch(() => undefined);
  }

  async openLink(url: string): Promise<boolean> {
    if (typeof this.openai.openExternal !== 'function') return false;
    try {
      await this.openai.openExternal({ href: url, redirectUrl: false });
      return true;
    } catch {
      return false;
    }
  }

  stop(): void {
    window.removeEventListener(SET_GLOBALS_EVENT, this.onGlobals);
  }

  private read(globals: Partial<OpenAiApi>): void {
    const theme = asTheme(globals.theme);
    if (theme) this.events?.theme(theme);
    if (globals.toolInput) this.events?.toolInput(globals.toolInput);
    if (globals.toolOutput) this.events?.toolResult({ structuredContent: globals.toolOutput });
  }
}
