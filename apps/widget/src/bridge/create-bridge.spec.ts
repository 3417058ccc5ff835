import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { OpenAiApi } from '@target-auth/shared/openai';
import { ToolName } from '@target-auth/shared/tools';
import { createBridge } from './create-bridge';
import { HttpBridge } from './http-bridge';

/** Every host event, recorded. */
const hostEvents = () => ({ toolInput: jest.fn(), toolResult: jest.fn(), theme: jest.fn(), styles: jest.fn() });

describe(createBridge.name, () => {
  afterEach(() => {
    delete window.openai;
  });

  it('uses the HTTP API when there is no host at all', () => {
    expect(createBridge().kind).toBe('standalone');
  });

  it('takes the API base and the session from the address, the page’s own origin by default', async () => {
    const fetchMock = jest.fn<typeof fetch>().mockResolvedValue({ ok: true, json: async () => ({}) } as Response);
    globalThis.fetch = fetchMock;
    const events = hostEvents();
    try {
      history.pushState({}, '', '/?api=http%3A%2F%2Fapi.test%3A8080&sessionId=sess_9');
      const fromAddress = createBridge();
      fromAddress.start(events);
      expect(events.toolResult).toHaveBeenCalledWith({ structuredContent: { sessionId: 'sess_9', authenticated: false, step: 'credentials' } });
      await fromAddress.callTool(ToolName.resendCode, { sessionId: 'sess_9' });
      expect(fetchMock.mock.calls[0]![0]).toEqual(new URL('http://api.test:8080/api/session/resend'));

      history.pushState({}, '', '/?sessionId=sess_9');
      await createBridge().callTool(ToolName.resendCode, { sessionId: 'sess_9' });
      expect(fetchMock.mock.calls[1]![0]).toEqual(new URL(`${window.location.origin}/api/session/resend`));
    } finally {
      history.pushState({}, '', '/');
    }
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
    const events = hostEvents();
    sut.start(events);
    expect(events.toolResult).toHaveBeenCalledWith({ structuredContent: { sessionId: 'sess_1', authenticated: false, step: 'credentials' } });
    const result = await sut.callTool('verify-target-code', { sessionId: 'sess_1', code: '111111' });
    expect(result).toEqual({ isError: true, structuredContent: { error: 'wrong_code', message: 'No. 4 attempts left.', attemptsLeft: 4 } });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toEqual(new URL('http://localhost:3000/api/session/authenticate'));
    expect(init?.method).toBe('POST');
  });

  it('follows the system colour scheme until stopped, and starts nothing without a session', () => {
    let listener: (() => void) | undefined;
    const media = {
      matches: true,
      addEventListener: jest.fn((_: string, handler: () => void) => (listener = handler)),
      removeEventListener: jest.fn(),
    };
    const matchMedia = jest.fn((_query: string) => media);
    Object.assign(window, { matchMedia });
    try {
      const sut = new HttpBridge('http://localhost:3000', null);
      const events = hostEvents();
      sut.start(events);
      expect(matchMedia).toHaveBeenCalledWith('(prefers-color-scheme: dark)');
      expect(events.theme).toHaveBeenLastCalledWith('dark');
      expect(media.addEventListener).toHaveBeenCalledWith('change', expect.any(Function));
      media.matches = false;
      listener!();
      expect(events.theme).toHaveBeenLastCalledWith('light');
      expect(events.toolInput).not.toHaveBeenCalled();
      expect(events.toolResult).not.toHaveBeenCalled();
      sut.stop();
      expect(media.removeEventListener).toHaveBeenCalledWith('change', media.addEventListener.mock.calls[0]![1]);
    } finally {
      Reflect.deleteProperty(window, 'matchMedia');
    }
  });

  it('hands the session to the app as tool input, posts JSON to each step’s route, and refuses host-only tools', async () => {
    const fetchMock = jest.fn<typeof fetch>().mockResolvedValue({ ok: true, json: async () => ({ step: 'verify' }) } as Response);
    globalThis.fetch = fetchMock;
    const sut = new HttpBridge('http://localhost:3000', 'sess_1');
    const events = hostEvents();
    sut.start(events);
    expect(events.theme).toHaveBeenCalledWith('light');
    expect(events.toolInput).toHaveBeenCalledWith({ sessionId: 'sess_1' });
    await expect(sut.callTool(ToolName.startPasswordReset, { sessionId: 'sess_1', email: 'a@b.co' })).resolves.toEqual({ isError: false, structuredContent: { step: 'verify' } });
    await sut.callTool(ToolName.selectProfile, { sessionId: 'sess_1', profileId: 'p1' });
    expect(fetchMock.mock.calls.map(([url]) => (url as URL).href)).toEqual(['http://localhost:3000/api/session/reset', 'http://localhost:3000/api/session/profile']);
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.headers).toEqual({ 'content-type': 'application/json' });
    expect(init.body).toBe(JSON.stringify({ sessionId: 'sess_1', email: 'a@b.co' }));
    await expect(sut.callTool(ToolName.authStatus, { sessionId: 'sess_1' })).rejects.toThrow(`${ToolName.authStatus} is not available without a host`);
    sut.stop();
  });
});
