import { describe, expect, it, jest } from '@jest/globals';
import { type OpenAiApi, SET_GLOBALS_EVENT } from '@target-auth/shared/openai';
import { ChatGptBridge } from './chatgpt-bridge';
import { McpAppsBridge } from './mcp-apps-bridge';
import { OpenAiBridge } from './openai-bridge';

describe(ChatGptBridge.name, () => {
  it('calls tools through window.openai while MCP Apps is not connected, without waiting', async () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const callTool = jest.fn<OpenAiApi['callTool']>().mockResolvedValue({ structuredContent: { step: 'verify' } });
    const openai = { theme: 'light', toolInput: null, toolOutput: null, callTool, setWidgetState: jest.fn() } as unknown as OpenAiApi;
    const sut = new ChatGptBridge(new McpAppsBridge(frame.contentWindow!), new OpenAiBridge(openai));
    sut.start({ toolInput: jest.fn(), toolResult: jest.fn(), theme: jest.fn(), styles: jest.fn() });
    await expect(sut.callTool('submit-target-credentials', { sessionId: 's' })).resolves.toEqual({ structuredContent: { step: 'verify' } });
    expect(callTool).toHaveBeenCalledTimes(1);
    sut.stop();
    frame.remove();
  });

  it('starts and stops both layers, and tells both who signed in', async () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const posted = jest.fn();
    window.addEventListener('message', posted);
    const setWidgetState = jest.fn<OpenAiApi['setWidgetState']>();
    const openai = { theme: 'dark', toolInput: null, toolOutput: null, callTool: jest.fn(), setWidgetState } as unknown as OpenAiApi;
    // The MCP Apps layer talks to the frame's parent: this window.
    const sut = new ChatGptBridge(new McpAppsBridge(window), new OpenAiBridge(openai));
    const events = { toolInput: jest.fn(), toolResult: jest.fn(), theme: jest.fn(), styles: jest.fn() };
    sut.start(events);
    expect(events.theme).toHaveBeenCalledWith('dark');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(posted.mock.calls.some(([event]) => (event as MessageEvent<{ method?: string }>).data.method === 'ui/initialize')).toBe(true);
    sut.signedIn({ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' });
    expect(setWidgetState).toHaveBeenCalledTimes(1);
    sut.stop();
    window.dispatchEvent(new CustomEvent(SET_GLOBALS_EVENT, { detail: { globals: { theme: 'light' } } }));
    expect(events.theme).toHaveBeenLastCalledWith('dark');
    window.removeEventListener('message', posted);
    frame.remove();
  });

  it('opens a link through MCP Apps when that host can, else through window.openai', async () => {
    const openExternal = jest.fn<NonNullable<OpenAiApi['openExternal']>>();
    const openai = new OpenAiBridge({ theme: 'light', toolInput: null, toolOutput: null, callTool: jest.fn(), setWidgetState: jest.fn(), openExternal } as unknown as OpenAiApi);
    const apps = { openLink: jest.fn<(url: string) => Promise<boolean>>().mockResolvedValueOnce(true).mockResolvedValueOnce(false) } as unknown as McpAppsBridge;
    const sut = new ChatGptBridge(apps, openai);
    await expect(sut.openLink('https://target.example/a')).resolves.toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
    await expect(sut.openLink('https://target.example/b')).resolves.toBe(true);
    expect(openExternal).toHaveBeenCalledWith({ href: 'https://target.example/b', redirectUrl: false });
  });
});
