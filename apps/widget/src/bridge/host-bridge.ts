/**
 * What the screens need from whatever hosts the widget: initial data, theme,
 * tool calls, opening a page in the person's browser, and a word to the host
 * after sign-in. Implementations:
 * mcp-apps-bridge.ts (postMessage), openai-bridge.ts (window.openai),
 * chatgpt-bridge.ts (both), http-bridge.ts (standalone). create-bridge.ts picks.
 */
import type { SignedInResult, ToolName } from '@target-auth/shared/tools';
import type { Theme } from '@target-auth/shared/widget-state';
import type { ToolResultLike } from '../state/tool-outcome';

export interface HostEvents {
  /** Arguments of the tool call that opened the widget. */
  toolInput(args: Record<string, unknown>): void;
  /** Result of that tool call. */
  toolResult(result: ToolResultLike): void;
  theme(theme: Theme): void;
  /** Host CSS variables such as `--color-background-primary`. */
  styles(variables: Record<string, string | undefined>): void;
}

export interface HostBridge {
  readonly kind: 'mcp-apps' | 'chatgpt' | 'openai' | 'standalone';
  /** Registers the handlers, then starts any handshake. */
  start(events: HostEvents): void;
  /** Calls a server tool through the host; rejects only on transport failure. */
  callTool(name: ToolName, args: Record<string, unknown>): Promise<ToolResultLike>;
  /** Tells the host (and through it the model) who signed in. Never secrets. */
  signedIn(identity: SignedInResult): void;
  /** Asks the host to open `url` in the person's browser; false when it cannot (the widget then shows the link). */
  openLink(url: string): Promise<boolean>;
  stop(): void;
}

export const asTheme = (value: unknown): Theme | undefined => (value === 'dark' || value === 'light' ? value : undefined);
