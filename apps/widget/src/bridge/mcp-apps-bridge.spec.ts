import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { HostEvents } from './host-bridge';
import { McpAppsBridge, PROTOCOL_VERSION } from './mcp-apps-bridge';

type Message = { jsonrpc: '2.0'; id?: number; method?: string; params?: any; result?: any };

/** A fake MCP Apps host: a real frame window whose postMessage we capture. */
function fakeHost() {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const host = frame.contentWindow!;
  const received: Message[] = [];
  host.postMessage = ((message: Message) => received.push(message)) as typeof host.postMessage;
  const send = (data: unknown, source: Window = host) => window.dispatchEvent(new MessageEvent('message', { data, source }));
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const request = (method: string) => received.find((message) => message.method === method);
  return { host, received, send, flush, request, remove: () => frame.remove() };
}

function events(): jest.Mocked<HostEvents> {
  return { toolInput: jest.fn(), toolResult: jest.fn(), theme: jest.fn(), styles: jest.fn() };
}

describe(McpAppsBridge.name, () => {
  let fake: ReturnType<typeof fakeHost>;
  let handlers: jest.Mocked<HostEvents>;
  let sut: McpAppsBridge;

  beforeEach(() => {
    fake = fakeHost();
    handlers = events();
    sut = new McpAppsBridge(fake.host);
    sut.start(handlers);
  });
  afterEach(() => {
    sut.stop();
    fake.remove();
  });

  async function handshake(hostContext: object = { theme: 'dark', styles: { variables: { '--color-background-primary': '#111' } } }) {
    const init = fake.request('ui/initialize')!;
    fake.send({ jsonrpc: '2.0', id: init.id, result: { protocolVersion: PROTOCOL_VERSION, hostInfo: { name: 'h', version: '1' }, hostCapabilities: {}, hostContext } });
    await sut.ready;
  }

  it('sends ui/initialize with app info and protocol version, then initialized', async () => {
    expect(fake.request('ui/initialize')?.params).toEqual({
      appInfo: { name: 'target-auth-widget', version: '0.1.0' },
      appCapabilities: {},
      protocolVersion: '2026-01-26',
    });
    await handshake();
    expect(await sut.ready).toBe(true);
    expect(fake.request('ui/notifications/initialized')).toBeDefined();
    expect(handlers.theme).toHaveBeenCalledWith('dark');
    expect(handlers.styles).toHaveBeenCalledWith({ '--color-background-primary': '#111' });
  });

  it('has its handlers ready before the handshake answers', () => {
    fake.send({ jsonrpc: '2.0', method: 'ui/notifications/tool-input', params: { arguments: { sessionId: 'sess_1' } } });
    fake.send({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: { structuredContent: { sessionId: 'sess_1' } } });
    expect(handlers.toolInput).toHaveBeenCalledWith({ sessionId: 'sess_1' });
    expect(handlers.toolResult).toHaveBeenCalledWith({ structuredContent: { sessionId: 'sess_1' } });
  });

  it('follows host-context-changed', async () => {
    await handshake();
    fake.send({ jsonrpc: '2.0', method: 'ui/notifications/host-context-changed', params: { theme: 'light' } });
    expect(handlers.theme).toHaveBeenLastCalledWith('light');
  });

  it('ignores messages from other windows and non-JSON-RPC data', async () => {
    fake.send({ jsonrpc: '2.0', method: 'ui/notifications/tool-input', params: { arguments: { sessionId: 'evil' } } }, window);
    fake.send('ui/notifications/tool-input');
    fake.send({ method: 'ui/notifications/tool-input', params: { arguments: {} } });
    expect(handlers.toolInput).not.toHaveBeenCalled();
  });

  it('calls server tools through the host with tools/call', async () => {
    await handshake();
    const pending = sut.callTool('verify-target-code', { sessionId: 'sess_1', code: '123456' });
    await fake.flush();
    const call = fake.request('tools/call')!;
    expect(call.params).toEqual({ name: 'verify-target-code', arguments: { sessionId: 'sess_1', code: '123456' } });
    fake.send({ jsonrpc: '2.0', id: call.id, result: { structuredContent: { authenticated: true } } });
    await expect(pending).resolves.toEqual({ structuredContent: { authenticated: true } });
  });

  it('rejects a tool call the host answers with an error', async () => {
    await handshake();
    const pending = sut.callTool('verify-target-code', { sessionId: 'sess_1', code: '123456' });
    await fake.flush();
    fake.send({ jsonrpc: '2.0', id: fake.request('tools/call')!.id, error: { code: -32000, message: 'Host offline' } });
    await expect(pending).rejects.toThrow('Host offline');
  });

  it('tells the model who signed in, without the email or any secret', async () => {
    await handshake();
    sut.signedIn({ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' });
    await fake.flush();
    const update = fake.request('ui/update-model-context')!;
    expect(update.params.structuredContent).toEqual({ authenticated: true, name: 'Lauren Bailey' });
    expect(JSON.stringify(update)).not.toMatch(/password|code/i);
  });

  it('answers ui/resource-teardown', async () => {
    fake.send({ jsonrpc: '2.0', id: 99, method: 'ui/resource-teardown', params: {} });
    expect(fake.received.find((message) => message.id === 99)).toEqual({ jsonrpc: '2.0', id: 99, result: {} });
  });

  it('opens a link through ui/open-link only when the host offers openLinks, and says whether the host did', async () => {
    const init = fake.request('ui/initialize')!;
    fake.send({ jsonrpc: '2.0', id: init.id, result: { protocolVersion: PROTOCOL_VERSION, hostInfo: { name: 'h', version: '1' }, hostCapabilities: { openLinks: {} }, hostContext: {} } });
    await sut.ready;
    const opening = sut.openLink('https://target.example/auth/start/abc');
    await fake.flush();
    const asked = fake.received.filter((message) => message.method === 'ui/open-link');
    expect(asked.map((message) => message.params)).toEqual([{ url: 'https://target.example/auth/start/abc' }]);
    fake.send({ jsonrpc: '2.0', id: asked[0]!.id, result: {} });
    await expect(opening).resolves.toBe(true);
    const refused = sut.openLink('https://target.example/auth/start/def');
    await fake.flush();
    fake.send({ jsonrpc: '2.0', id: fake.received.at(-1)!.id, result: { isError: true } });
    await expect(refused).resolves.toBe(false);
    const failed = sut.openLink('https://target.example/auth/start/ghi');
    await fake.flush();
    fake.send({ jsonrpc: '2.0', id: fake.received.at(-1)!.id, error: { code: -32601, message: 'no' } });
    await expect(failed).resolves.toBe(false);
  });

  it('does not ask a host that does not offer openLinks', async () => {
    await handshake();
    await expect(sut.openLink('https://target.example/auth/start/abc')).resolves.toBe(false);
    expect(fake.request('ui/open-link')).toBeUndefined();
  });
});
