/**
 * An MCP Apps host built on ext-apps's own AppBridge: loads the widget in a
 * sandboxed frame, sends tool input and result, answers tools/call through the
 * real server, records ui/open-link requests and keeps the theme in the host
 * context.
 */
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolResult } from '@modelcontextprotocol/client';
import './host.css';
import { type TestHost, type WidgetLaunch, widgetFrame } from './host-api';

let bridge: AppBridge | undefined;
const received: unknown[] = [];
const opened: string[] = [];

const host: TestHost = {
  received,
  opened,
  async open({ html, toolInput, toolResult, theme }: WidgetLaunch) {
    const frame = widgetFrame(html);
    bridge = new AppBridge(
      null,
      { name: 'e2e-mcp-apps-host', version: '1.0.0' },
      { serverTools: {}, openLinks: {}, updateModelContext: { text: {}, structuredContent: {} } },
      { hostContext: { theme, displayMode: 'inline', locale: 'en-US', platform: 'web' } },
    );
    bridge.oncalltool = async (params) => (await window.callServerTool(params.name, params.arguments ?? {})) as CallToolResult;
    bridge.onopenlink = async ({ url }) => {
      opened.push(url);
      return {};
    };
    bridge.onupdatemodelcontext = async (params) => {
      received.push(params);
      return {};
    };
    bridge.onsizechange = ({ height }) => {
      if (height) frame.style.height = `${height}px`;
    };
    const current = bridge;
    bridge.oninitialized = () => {
      void current.sendToolInput({ arguments: toolInput }).then(() => current.sendToolResult(toolResult as CallToolResult));
    };
    await bridge.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
  },
  setTheme(theme) {
    bridge?.setHostContext({ theme, displayMode: 'inline', locale: 'en-US', platform: 'web' });
  },
};
window.testHost = host;
