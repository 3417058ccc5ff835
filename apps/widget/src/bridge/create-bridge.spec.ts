import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { OpenAiApi } from '@target-auth/shared/openai';
import { createBridge } from './create-bridge';
import { HttpBridge } from './http-bridge';

describe(createBridge.name, () => {
  afterEach(() => {
    delete window.openai;
  });

  it('uses the HTTP API when there is no host at all', () => {
    expect(createBridge().kind).toBe('standalone');
  });

  it('uses window.openai when it is the only host (the dev harness)', () => {
    window.openai = {} as OpenAiApi;
    expect(createBridge().kind).toBe('openai');
  });

  it('uses MCP Apps in a frame, plus window.openai in ChatGPT', () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const inner = frame.contentWindow!;
    expect(createBridge(inner).kind).toBe('mcp-apps');
    inner.openai = {} as OpenAiApi;
    expect(createBridge(inner).kind).toBe('chatgpt');
    frame.remove();
  });
});

describe(HttpBridge.name, () => {
  it('starts on the credentials screen for the session in the address and posts steps to the API', async () => {
    const body = { error: 'wrong_code', message: 'No. 4 attempts left.', attemptsLeft: 4 };
    const fetchMock = jest.fn<typeof fetch>().mockResolvedValue({ ok: false, status: 401, json: async () => body } as Response);
    globalThis.fetch = fetchMock;
    const sut = new HttpBridge('http://localhost:3000', 'sess_1');
    const toolResult = jest.fn();
    sut.start({ toolInput: jest.fn(), toolResult, theme: jest.fn(), styles: jest.fn() });
    expect(toolResult).toHaveBeenCalledWith({ structuredContent: { sessionId: 'sess_1', authenticated: false, step: 'credentials' } });
    const result = await sut.callTool('verify-target-code', { sessionId: 'sess_1', code: '111111' });
    expect(result).toEqual({ isError: true, structuredContent: { error: 'wrong_code', message: 'No. 4 attempts left.', attemptsLeft: 4 } });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toEqual(new URL('http://localhost:3000/api/session/authenticate'));
    expect(init?.method).toBe('POST');
  });
});
