import { describe, expect, it, jest } from '@jest/globals';
import type { OpenAiApi } from '@target-auth/shared/openai';
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
});
