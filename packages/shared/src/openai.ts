/**
 * The part of ChatGPT's `window.openai` the widget uses (see hosts.md §6). The
 * widget's bridge reads it, the dev harness and the e2e ChatGPT host fake it.
 */
import type { Theme } from './widget-state.js';

export interface OpenAiGlobals {
  /** A plain string; there is no `theme.get()` or `theme.subscribe()`. */
  theme: Theme;
  toolInput: Record<string, unknown> | null;
  toolOutput: Record<string, unknown> | null;
  widgetState: unknown;
  locale: string;
  displayMode: 'inline' | 'fullscreen' | 'pip';
}

export interface OpenAiCallToolResult {
  structuredContent?: unknown;
  content?: { type: string; text?: string }[];
  isError?: boolean;
}

export interface OpenAiApi extends OpenAiGlobals {
  callTool(name: string, args: Record<string, unknown>): Promise<OpenAiCallToolResult>;
  setWidgetState(state: unknown): Promise<void> | void;
  /** Opens a page in a new browser tab; `redirectUrl: false` keeps ChatGPT from appending its own `?redirectUrl=`. */
  openExternal?(options: { href: string; redirectUrl?: false }): Promise<void> | void;
}

/** Window event carrying changed globals in `event.detail.globals`. */
export const SET_GLOBALS_EVENT = 'openai:set_globals';

export interface SetGlobalsDetail {
  globals: Partial<OpenAiGlobals>;
}
