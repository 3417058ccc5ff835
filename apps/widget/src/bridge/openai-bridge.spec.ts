import { describe, expect, it, jest } from '@jest/globals';
import { type OpenAiApi, SET_GLOBALS_EVENT } from '@target-auth/shared/openai';
import type { HostEvents } from './host-bridge';
import { OpenAiBridge } from './openai-bridge';

function fakeOpenAi(overrides: Partial<OpenAiApi> = {}): OpenAiApi {
  return {
    theme: 'light',
    toolInput: { sessionId: 'sess_1' },
    toolOutput: { sessionId: 'sess_1', authenticated: false, step: 'credentials' },
    widgetState: null,
    locale: 'en-US',
    displayMode: 'inline',
    callTool: jest.fn<OpenAiApi['callTool']>().mockResolvedValue({ structuredContent: { step: 'verify' } }),
    setWidgetState: jest.fn<OpenAiApi['setWidgetState']>(),
    ...overrides,
  };
}

const handlers = (): jest.Mocked<HostEvents> => ({ toolInput: jest.fn(), toolResult: jest.fn(), theme: jest.fn(), styles: jest.fn() });

describe(OpenAiBridge.name, () => {
  it('reads toolInput, toolOutput and the plain-string theme at start', () => {
    const events = handlers();
    new OpenAiBridge(fakeOpenAi({ theme: 'dark' })).start(events);
    expect(events.toolInput).toHaveBeenCalledWith({ sessionId: 'sess_1' });
    expect(events.toolResult).toHaveBeenCalledWith({ structuredContent: { sessionId: 'sess_1', authenticated: false, step: 'credentials' } });
    expect(events.theme).toHaveBeenCalledWith('dark');
  });

  it('follows openai:set_globals and stops when stopped', () => {
    const events = handlers();
    const sut = new OpenAiBridge(fakeOpenAi({ toolOutput: null }));
    sut.start(events);
    window.dispatchEvent(new CustomEvent(SET_GLOBALS_EVENT, { detail: { globals: { theme: 'dark' } } }));
    expect(events.theme).toHaveBeenLastCalledWith('dark');
    window.dispatchEvent(new CustomEvent(SET_GLOBALS_EVENT, { detail: { globals: { toolOutput: { sessionId: 'late' } } } }));
    expect(events.toolResult).toHaveBeenCalledWith({ structuredContent: { sessionId: 'late' } });
    sut.stop();
    window.dispatchEvent(new CustomEvent(SET_GLOBALS_EVENT, { detail: { globals: { theme: 'light' } } }));
    expect(events.theme).toHaveBeenLastCalledWith('dark');
  });

  it('calls tools with window.openai.callTool', async () => {
    const openai = fakeOpenAi();
    const sut = new OpenAiBridge(openai);
    await expect(sut.callTool('submit-target-credentials', { sessionId: 'sess_1', email: 'a@b.co', password: 'pw' })).resolves.toEqual({
      structuredContent: { step: 'verify' },
    });
    expect(openai.callTool).toHaveBeenCalledWith('submit-target-credentials', { sessionId: 'sess_1', email: 'a@b.co', password: 'pw' });
  });

  it('stores widget state with the name for the model and nothing secret', () => {
    const openai = fakeOpenAi();
    new OpenAiBridge(openai).signedIn({ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' });
    expect(openai.setWidgetState).toHaveBeenCalledWith({
      modelContent: { authenticated: true, name: 'Lauren Bailey' },
      privateContent: { email: 'lauren@example.com' },
    });
  });

  it('passes on only what the host has: no null input or output, no event without globals', () => {
    const events = handlers();
    const errors = jest.fn();
    window.addEventListener('error', errors);
    const sut = new OpenAiBridge(fakeOpenAi({ toolInput: null, toolOutput: null }));
    sut.start(events);
    expect(events.toolInput).not.toHaveBeenCalled();
    expect(events.toolResult).not.toHaveBeenCalled();
    window.dispatchEvent(new Event(SET_GLOBALS_EVENT));
    window.dispatchEvent(new CustomEvent(SET_GLOBALS_EVENT, { detail: {} }));
    expect(errors).not.toHaveBeenCalled();
    expect(events.theme).toHaveBeenCalledTimes(1);
    sut.stop();
    window.removeEventListener('error', errors);
  });

  it('opens a link with openExternal (no redirectUrl appended), and says when it cannot', async () => {
    const openExternal = jest.fn<NonNullable<OpenAiApi['openExternal']>>();
    await expect(new OpenAiBridge(fakeOpenAi({ openExternal })).openLink('https://target.example/auth/start/abc')).resolves.toBe(true);
    expect(openExternal).toHaveBeenCalledWith({ href: 'https://target.example/auth/start/abc', redirectUrl: false });
    await expect(new OpenAiBridge(fakeOpenAi()).openLink('https://target.example/x')).resolves.toBe(false);
    const refusing = jest.fn<NonNullable<OpenAiApi['openExternal']>>().mockRejectedValue(new Error('blocked'));
    await expect(new OpenAiBridge(fakeOpenAi({ openExternal: refusing })).openLink('https://target.example/x')).resolves.toBe(false);
  });
});
