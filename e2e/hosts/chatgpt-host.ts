/**
 * A ChatGPT-style host: the widget in a sandboxed frame whose `window.openai`
 * follows the real API (plain-string theme, toolOutput, callTool, setWidgetState,
 * openExternal, openai:set_globals). As in ChatGPT, the frame's `window.openai` talks to the
 * host page by postMessage; this host does not answer MCP Apps messages, so the
 * widget's window.openai path is what runs.
 */
import './host.css';
import { type TestHost, type WidgetLaunch, widgetFrame } from './host-api';

const CHANNEL = 'e2e-openai';
const received: unknown[] = [];
const opened: string[] = [];
let frame: HTMLIFrameElement | undefined;

/** Runs inside the widget frame before the widget's own script. */
function openaiShim(channel: string, initial: Record<string, unknown>): void {
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  const openai = {
    ...initial,
    widgetState: null as unknown,
    locale: 'en-US',
    displayMode: 'inline',
    callTool(name: string, args: Record<string, unknown>) {
      const id = nextId++;
      parent.postMessage({ channel, kind: 'callTool', id, name, args }, '*');
      return new Promise((resolve) => pending.set(id, resolve));
    },
    setWidgetState(state: unknown) {
      openai.widgetState = state;
      parent.postMessage({ channel, kind: 'setWidgetState', state }, '*');
    },
    openExternal({ href }: { href: string; redirectUrl?: false }) {
      parent.postMessage({ channel, kind: 'openExternal', href }, '*');
    },
  };
  (window as unknown as { openai: unknown }).openai = openai;
  window.addEventListener('message', (event) => {
    const data = event.data as { channel?: string; kind?: string; id?: number; result?: unknown; globals?: Record<string, unknown> };
    if (event.source !== parent || data?.channel !== channel) return;
    if (data.kind === 'callToolResult' && data.id !== undefined) pending.get(data.id)?.(data.result);
    if (data.kind === 'setGlobals' && data.globals) {
      Object.assign(openai, data.globals);
      window.dispatchEvent(new CustomEvent('openai:set_globals', { detail: { globals: data.globals } }));
    }
  });
}

async function onWidgetMessage(event: MessageEvent): Promise<void> {
  const data = event.data as { channel?: string; kind?: string; id?: number; name?: string; args?: Record<string, unknown>; state?: unknown; href?: string };
  if (!frame || event.source !== frame.contentWindow || data?.channel !== CHANNEL) return;
  if (data.kind === 'setWidgetState') received.push(data.state);
  if (data.kind === 'openExternal' && data.href) opened.push(data.href);
  if (data.kind === 'callTool' && data.name) {
    const result = await window.callServerTool(data.name, data.args ?? {});
    frame.contentWindow?.postMessage({ channel: CHANNEL, kind: 'callToolResult', id: data.id, result }, '*');
  }
}
window.addEventListener('message', (event) => void onWidgetMessage(event));

const host: TestHost = {
  received,
  opened,
  async open({ html, toolInput, toolResult, theme }: WidgetLaunch) {
    const initial = { theme, toolInput, toolOutput: toolResult.structuredContent ?? null };
    const shim = `<script>(${openaiShim.toString()})(${JSON.stringify(CHANNEL)}, ${JSON.stringify(initial).replace(/</g, '\\u003c')});</script>`;
    frame = widgetFrame(html.replace('<head>', `<head>${shim}`));
  },
  setTheme(theme) {
    frame?.contentWindow?.postMessage({ channel: CHANNEL, kind: 'setGlobals', globals: { theme } }, '*');
  },
};
window.testHost = host;
