/**
 * What both test host pages expose to the Playwright test (window.testHost),
 * and what the test exposes to them (window.callServerTool, backed by a real
 * MCP client in Node).
 */
export interface WidgetLaunch {
  html: string;
  toolInput: Record<string, unknown>;
  toolResult: { structuredContent?: unknown; content?: unknown[]; isError?: boolean };
  theme: 'light' | 'dark';
}

export interface TestHost {
  open(launch: WidgetLaunch): Promise<void>;
  setTheme(theme: 'light' | 'dark'): void;
  /** `ui/update-model-context` params (MCP Apps) or `setWidgetState` values (ChatGPT), in order. */
  readonly received: unknown[];
  /** URLs the widget asked the host to open (`ui/open-link`, `openExternal`); the test follows them in a page of its own. */
  readonly opened: string[];
}

export type CallServerTool = (name: string, args: Record<string, unknown>) => Promise<unknown>;

declare global {
  interface Window {
    testHost: TestHost;
    callServerTool: CallServerTool;
  }
}

/** The widget runs like in real hosts: a sandboxed frame with its own opaque origin. */
export function widgetFrame(html: string): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.id = 'widget';
  frame.title = 'Target sign-in';
  frame.setAttribute('sandbox', 'allow-scripts allow-forms');
  frame.srcdoc = html;
  document.body.append(frame);
  return frame;
}
