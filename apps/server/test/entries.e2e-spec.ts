/**
 * POST /mcp has two entries: the fast one (no Origin header: host connectors,
 * SDK clients) and the Nest route (browsers, with CORS). They must answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { MCP_ACCEPT, raw, type Running, startServer } from './helpers.js';

const BROWSER = { origin: 'https://chatgpt.com' };

describe('the two entries to POST /mcp (e2e)', () => {
  let server: Running;

  beforeAll(async () => {
    server = await startServer({ MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => server.close());

  async function both(body: string, headers: Record<string, string> = {}) {
    const fast = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, ...headers }, body });
    const routed = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, ...BROWSER, ...headers }, body });
    return { fast, routed };
  }

  it('answer a tool call alike, and only the browser gets CORS headers', async () => {
    const { fast, routed } = await both(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(fast.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(JSON.parse(fast.body)).toEqual(JSON.parse(routed.body));
    expect(routed.headers['access-control-allow-origin']).toBe('https://chatgpt.com');
    expect(fast.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    ['malformed JSON', '{"jsonrpc":', {}, 400],
    ['a body over the limit', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(5000) } }), {}, 413],
    ['another content type', '{}', { 'content-type': 'text/plain' }, 415],
    ['a foreign Host', '{}', { host: 'evil.example.com' }, 403],
    ['a batch on 2025-11-25', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', { 'mcp-protocol-version': '2025-11-25' }, 400],
    ['a JSON-RPC shape error', '{"hello":"world"}', {}, 400],
  ])('refuse %s alike', async (_what, body, headers, status) => {
    const { fast, routed } = await both(body, headers);
    expect(fast.status).toBe(status);
    expect(routed.status).toBe(status);
    expect(JSON.parse(fast.body)).toEqual(JSON.parse(routed.body));
  });

  it('leave a query string, other paths and other methods to the Nest application', async () => {
    const withQuery = await raw(server.baseUrl, { path: '/mcp?x=1', headers: MCP_ACCEPT, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: ToolName.createSession, arguments: {} } }) });
    expect(withQuery.status).toBe(200);
    const health = await raw(server.baseUrl, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
  });
});
