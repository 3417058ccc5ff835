import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { RequestGuard } from '../http/request-guard.js';
import { testConfig } from '../testing/fakes.js';
import { raw, type RawResponse } from '../testing/http.js';
import { spyLogs } from '../testing/logs.js';
import { until } from '../testing/wait.js';
import { McpFastEntry } from './mcp-fast-entry.js';
import type { McpHttpRequest, StreamableHttpService } from './streamable-http.service.js';

const config = testConfig({ ALLOWED_HOSTS: '127.0.0.1', MAX_BODY_BYTES: '1024' });
type Handle = (req: McpHttpRequest, res: ServerResponse) => Promise<void>;

/** The entry in front of a stand-in for the Express app, with a stand-in MCP handler (`handle`). */
function entryWith(handle: Handle): McpFastEntry {
  return new McpFastEntry(config, new RequestGuard(config, new OriginPolicy(config)), { handle } as unknown as StreamableHttpService);
}

describe(McpFastEntry.name, () => {
  let server: Server;
  let express: jest.Mock<(req: IncomingMessage, res: ServerResponse) => void>;
  let handled: McpHttpRequest[];

  const answering: Handle = async (req, res) => {
    handled.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"handled":true}');
  };

  function send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    const { port } = server.address() as AddressInfo;
    return raw(`http://127.0.0.1:${port}`, { method, path, headers, ...(body !== undefined && { body }) });
  }

  async function listen(entry: McpFastEntry, track?: Parameters<McpFastEntry['attach']>[1]): Promise<void> {
    entry.attach(server, track);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }

  beforeEach(() => {
    handled = [];
    express = jest.fn((_req: IncomingMessage, res: ServerResponse) => void res.writeHead(299).end('express'));
    server = createServer(express);
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    jest.restoreAllMocks();
  });

  it('stands in front of exactly one request listener, and refuses to guess between none or several', () => {
    const entry = entryWith(answering);
    const bare = createServer();
    expect(() => entry.attach(bare)).toThrow('Expected exactly one request listener (the Express app)');
    bare.on('request', express).on('request', express);
    expect(() => entry.attach(bare)).toThrow('Expected exactly one request listener (the Express app)');
    expect(bare.listeners('request')).toHaveLength(2);
    entry.attach(server);
    expect(server.listeners('request')).toHaveLength(1);
    expect(server.listeners('request')[0]).not.toBe(express);
  });

  it('takes only a POST to exactly /mcp without an Origin, and leaves everything else to the app', async () => {
    await listen(entryWith(answering));
    const body = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    expect(await send('POST', '/mcp', body)).toMatchObject({ status: 200, body: '{"handled":true}' });
    expect(handled.map((req) => req.body)).toEqual([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect(express).not.toHaveBeenCalled();

    for (const [method, path, headers] of [
      ['GET', '/mcp', {}],
      ['POST', '/mcp?x=1', {}],
      ['POST', '/mcp/', {}],
      ['POST', '/api/sessions', {}],
      ['POST', '/mcp', { origin: 'https://chatgpt.com' }],
    ] as const) {
      const answer = await send(method, path, method === 'POST' ? body : undefined, headers);
      expect({ method, path, headers, status: answer.status, body: answer.body }).toEqual({ method, path, headers, status: 299, body: 'express' });
    }
    expect(express).toHaveBeenCalledTimes(5);
    expect(handled).toHaveLength(1);
  });

  it('hands each request it takes to `track` (JSON logging) and serves it only once that lets it on', async () => {
    const tracked: string[] = [];
    let release: (() => void) | undefined;
    await listen(entryWith(answering), (req, _res, next) => {
      tracked.push(`${req.method} ${req.url}`);
      release = next;
    });
    const pending = send('POST', '/mcp', '{"jsonrpc":"2.0","id":1,"method":"ping"}');
    await until(() => release !== undefined);
    expect(tracked).toEqual(['POST /mcp']);
    expect(handled).toHaveLength(0);
    release!();
    expect((await pending).status).toBe(200);
    expect(handled).toHaveLength(1);

    await send('GET', '/mcp');
    expect(tracked).toEqual(['POST /mcp']);
  });

  it('checks the Host header and the body limit before the MCP handler, answering as JSON-RPC errors', async () => {
    const errors = spyLogs('error');
    await listen(entryWith(answering));
    const foreign = await send('POST', '/mcp', '{}', { host: 'evil.test' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden: Host header is not allowed' }, id: null });
    expect(foreign.headers['content-type']).toBe('application/json');

    const large = await send('POST', '/mcp', JSON.stringify({ padding: 'x'.repeat(2000) }));
    expect(large.status).toBe(413);
    const malformed = await send('POST', '/mcp', '{');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).error.code).toBe(-32700);
    expect(handled).toHaveLength(0);
    expect(errors()).toEqual([]);
  });

  it('answers a refusal from the handler with its status, headers and JSON-RPC code, and logs nothing', async () => {
    const errors = spyLogs('error');
    await listen(
      entryWith(async () => {
        throw new JsonRpcHttpError(401, -32000, 'Unauthorized: no token', { 'WWW-Authenticate': 'Bearer realm="mcp"' });
      }),
    );
    const answer = await send('POST', '/mcp', '{}');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="mcp"');
    expect(JSON.parse(answer.body)).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Unauthorized: no token' }, id: null });
    expect(errors()).toEqual([]);
  });

  it('answers a failure as a bare 500 and logs only the kind of error, never its message', async () => {
    const errors = spyLogs('error');
    const failures: unknown[] = [new TypeError('secret detail'), 'a thrown string'];
    await listen(
      entryWith(async () => {
        throw failures.shift();
      }),
    );
    for (let i = 0; i < 2; i++) {
      const answer = await send('POST', '/mcp', '{}');
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'Internal server error' }, id: null });
    }
    expect(errors()).toEqual(['MCP: POST /mcp failed: TypeError', 'MCP: POST /mcp failed: unknown']);
  });

  it('ends an answer already under way when the handler fails, instead of writing a second one', async () => {
    const errors = spyLogs('error');
    await listen(
      entryWith(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: message\n\n');
        throw new Error('stream broke');
      }),
    );
    const answer = await send('POST', '/mcp', '{}');
    expect(answer).toMatchObject({ status: 200, body: 'event: message\n\n' });
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(errors()).toEqual(['MCP: POST /mcp failed: Error']);
  });
});
