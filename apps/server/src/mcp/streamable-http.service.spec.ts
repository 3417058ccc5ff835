import { createServer, request, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type AuthInfo, type CallToolResult, Server } from '@modelcontextprotocol/server';
import { Test, type TestingModule } from '@nestjs/testing';
import { z } from 'zod';
import { AppModule } from '../app.module.js';
import { JsonRpcHttpError, jsonRpcAnswer } from '../http/json-rpc-error.js';
import { BearerAuth, InvalidTokenError, TokenCheckUnavailableError } from '../oauth/bearer-auth.js';
import { testConfig } from '../testing/fakes.js';
import { MCP_ACCEPT, raw, type RawResponse, rpc } from '../testing/http.js';
import { spyLogs } from '../testing/logs.js';
import { until } from '../testing/wait.js';
import { McpTool, type McpToolProvider, type ToolContext } from '../tools/mcp-tool.js';
import { toolResult } from '../tools/tool-results.js';
import { MAX_BATCH_ANSWER_BYTES } from './batch-policy.js';
import { McpFastEntry } from './mcp-fast-entry.js';
import { authenticate, isLegacyTraffic, type McpHttpRequest, StreamableHttpService } from './streamable-http.service.js';

const claim = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };

describe(isLegacyTraffic.name, () => {
  it('takes claim-less messages with no or a 2025 version header as 2025-era traffic', () => {
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, undefined)).toBe(true);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { progressToken: 1 } } }, '2025-11-25')).toBe(true);
    expect(isLegacyTraffic([{ jsonrpc: '2.0', id: 1, method: 'ping' }], '2024-11-05')).toBe(true);
    expect(isLegacyTraffic('junk', undefined)).toBe(true);
  });

  it('leaves any envelope claim or modern (or unknown) version header to the SDK', () => {
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: claim } }, undefined)).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...claim, 'io.modelcontextprotocol/protocolVersion': 7 } } }, undefined)).toBe(false);
    expect(isLegacyTraffic([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: claim } }], undefined)).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2026-07-28')).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2030-01-01')).toBe(false);
    expect(isLegacyTraffic({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, ' 2026-07-28 ')).toBe(false);
  });
});

describe(authenticate.name, () => {
  const challenge = (error: InvalidTokenError) => `Bearer error_description="${error.message}"`;
  const bearerThat = (outcome: () => Promise<AuthInfo | undefined>) => ({ authenticate: outcome, challenge }) as unknown as BearerAuth;
  const request = () => ({ headers: {} }) as McpHttpRequest;

  it('puts a verified token on the request, and nothing when there is none', async () => {
    const info: AuthInfo = { token: 't', clientId: 'c', scopes: [] };
    const verified = request();
    await authenticate(bearerThat(async () => info), verified);
    expect(verified.auth).toBe(info);
    const anonymous = request();
    await authenticate(bearerThat(async () => undefined), anonymous);
    expect('auth' in anonymous).toBe(false);
  });

  it('refuses an invalid token with 401 and the challenge, and an unanswered check with 503 and Retry-After', async () => {
    const refusal = (outcome: () => Promise<AuthInfo | undefined>) => authenticate(bearerThat(outcome), request()).catch((error: unknown) => error);
    const invalid = await refusal(() => Promise.reject(new InvalidTokenError('The access token is invalid or expired.')));
    expect(invalid).toBeInstanceOf(JsonRpcHttpError);
    expect(jsonRpcAnswer(invalid)).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer error_description="The access token is invalid or expired."' },
      body: { jsonrpc: '2.0', error: { code: -32000, message: 'Unauthorized: The access token is invalid or expired.' }, id: null },
    });
    const unanswered = await refusal(() => Promise.reject(new TokenCheckUnavailableError('Try again in a moment.')));
    expect(jsonRpcAnswer(unanswered)).toEqual({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { jsonrpc: '2.0', error: { code: -32000, message: 'Try again in a moment.' }, id: null },
    });
    const broken = new TypeError('bug');
    expect(await refusal(() => Promise.reject(broken))).toBe(broken);
  });
});

/** A tool added only here, whose answer is as long as asked (batches are capped by their answer's size). */
const bulkInput = z.strictObject({ bytes: z.number().int() });
@McpTool()
class BulkTool implements McpToolProvider<typeof bulkInput> {
  readonly name = 'bulk';
  readonly descriptor = { title: 'Bulk', description: 'Answers at length', inputSchema: bulkInput, annotations: { readOnlyHint: true } };
  handle({ bytes }: { bytes: number }) {
    return Promise.resolve(toolResult({ bytes }, 'x'.repeat(bytes)));
  }
}

/** A tool that tells what it was given: the request's era and the verified token's client. */
@McpTool()
class WhoTool implements McpToolProvider<undefined> {
  readonly name = 'who';
  readonly descriptor = { title: 'Who', description: 'Tells who asks', inputSchema: undefined, annotations: { readOnlyHint: true } };
  handle(_args: Record<string, never>, context: ToolContext) {
    return Promise.resolve(toolResult({ era: context.era, clientId: context.authInfo?.clientId ?? null }, 'who'));
  }
}

/** Verifies one token, `Bearer good`, as the client `spec-client`. */
const LINKED: AuthInfo = { token: 'good', clientId: 'spec-client', scopes: [] };
const fakeBearer = {
  authenticate: (req: McpHttpRequest) => Promise.resolve(req.headers.authorization === 'Bearer good' ? LINKED : undefined),
  challenge: () => 'Bearer',
};

/** A tool that answers only when the spec lets it (`waiting`, set while one call waits). */
@McpTool()
class GateTool implements McpToolProvider<undefined> {
  static waiting: (() => void) | undefined;
  readonly name = 'gate';
  readonly descriptor = { title: 'Gate', description: 'Waits', inputSchema: undefined, annotations: { readOnlyHint: true } };
  handle() {
    return new Promise<CallToolResult>((resolve) => {
      GateTool.waiting = () => {
        GateTool.waiting = undefined;
        resolve(toolResult({}, 'opened'));
      };
    });
  }
}

describe(StreamableHttpService.name, () => {
  let module: TestingModule;
  let server: HttpServer;
  let baseUrl: string;
  const post = (body: unknown, headers: Record<string, string> = MCP_ACCEPT) => raw(baseUrl, { path: '/mcp', headers, body: JSON.stringify(body) });
  const refusal = (answer: RawResponse) => [answer.status, JSON.parse(answer.body)];
  const invalid = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

  beforeAll(async () => {
    module = await Test.createTestingModule({ imports: [AppModule.forRoot(testConfig({ MAX_BODY_BYTES: '1048576' }))], providers: [BulkTool, GateTool, WhoTool] })
      .overrideProvider(BearerAuth)
      .useValue(fakeBearer)
      .compile();
    await module.init();
    server = createServer((_req, res) => void res.writeHead(404).end());
    module.get(McpFastEntry).attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await module.close();
  });

  it('answers a 2025-era single request as one object, and a batch as an array in JSON', async () => {
    const single = await post(rpc('ping'));
    expect([single.status, single.headers['content-type'], JSON.parse(single.body)]).toEqual([200, 'application/json', { jsonrpc: '2.0', id: 1, result: {} }]);
    expect(single.headers['content-length']).toBe(String(Buffer.byteLength(single.body)));
    const batch = await post([rpc('ping', {}, 'a')]);
    expect(JSON.parse(batch.body)).toEqual([{ jsonrpc: '2.0', id: 'a', result: {} }]);
  });

  it('accepts a body of only notifications and answers with 202 and nothing else', async () => {
    for (const body of [{ jsonrpc: '2.0', method: 'notifications/initialized' }, [{ jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 9, result: {} }]]) {
      const answer = await post(body);
      expect([answer.status, answer.body]).toEqual([202, '']);
    }
  });

  it("refuses, as the SDK's stateless transport does, what a 2025-era client must not send", async () => {
    const notAcceptable = invalid(-32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    expect(refusal(await post(rpc('ping'), { accept: 'application/json' }))).toEqual([406, notAcceptable]);
    expect(refusal(await post(rpc('ping'), { accept: 'text/event-stream' }))).toEqual([406, notAcceptable]);
    expect(refusal(await post(rpc('ping'), {}))).toEqual([406, notAcceptable]);

    const initialize = rpc('initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'spec', version: '1' } });
    expect(refusal(await post([initialize, rpc('ping', {}, 2)]))).toEqual([400, invalid(-32600, 'Invalid Request: Only one initialization request is allowed')]);
    const old = { ...MCP_ACCEPT, 'mcp-protocol-version': '2024-01-01' };
    expect(refusal(await post(rpc('ping'), old))).toEqual([400, invalid(-32000, 'Bad Request: Unsupported protocol version: 2024-01-01')]);
    expect((await post(initialize, old)).status).toBe(200);
    expect(refusal(await post({ jsonrpc: '1.0', id: 1, method: 'ping' }))).toEqual([400, invalid(-32600, 'Invalid Request: not a JSON-RPC 2.0 message')]);
  });

  it('refuses a batch whose answer would pass the cap, and answers one just under it', async () => {
    const call = (id: number, bytes: number) => rpc('tools/call', { name: 'bulk', arguments: { bytes } }, id);
    const tooMuch = Array.from({ length: 10 }, (_, i) => call(i, Math.ceil(MAX_BATCH_ANSWER_BYTES / 10)));
    expect(refusal(await post(tooMuch))).toEqual([400, invalid(-32600, 'Invalid Request: the answer to this batch is too large; send fewer requests at once')]);
    const enough = Array.from({ length: 2 }, (_, i) => call(i, Math.floor(MAX_BATCH_ANSWER_BYTES / 5)));
    const answer = await post(enough);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveLength(2);
  });

  it("hands the verified token and the era to each request's tools, in both revisions", async () => {
    const who = async (mode: 'auto' | 'default', headers: Record<string, string>) => {
      const client = new Client({ name: 'spec', version: '1.0.0' }, mode === 'auto' ? { versionNegotiation: { mode: 'auto' } } : {});
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), { requestInit: { headers } }));
      try {
        return (await client.callTool({ name: 'who', arguments: {} })).structuredContent;
      } finally {
        await client.close();
      }
    };
    const linked = { authorization: 'Bearer good' };
    expect(await who('auto', linked)).toEqual({ era: 'modern', clientId: 'spec-client' });
    expect(await who('auto', {})).toEqual({ era: 'modern', clientId: null });
    expect(await who('default', linked)).toEqual({ era: 'legacy', clientId: 'spec-client' });
    expect(await who('default', {})).toEqual({ era: 'legacy', clientId: null });
  });

  it('logs at debug level why the 2026 entry refused a request', async () => {
    const debug = spyLogs('debug');
    const answer = await post(rpc('tools/list'), { ...MCP_ACCEPT, 'mcp-protocol-version': '2026-07-28' });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(debug()).toEqual([expect.stringMatching(/^MCP: MCP request refused: \S/)]);
    jest.restoreAllMocks();
  });

  it('caps a batch answer at exactly MAX_BATCH_ANSWER_BYTES', async () => {
    const batchOf = (bytes: number) => post([rpc('tools/call', { name: 'bulk', arguments: { bytes } }, 1)]);
    const probe = 4_000_000;
    const overhead = (await batchOf(probe)).body.length - probe;
    const atCap = await batchOf(MAX_BATCH_ANSWER_BYTES - overhead);
    expect([atCap.status, atCap.body.length]).toEqual([200, MAX_BATCH_ANSWER_BYTES]);
    expect((await batchOf(MAX_BATCH_ANSWER_BYTES - overhead + 1)).status).toBe(400);
  });

  it('aborts the 2026 exchanges still running when the app shuts down', async () => {
    const client = new Client({ name: 'spec', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl)));
    const call = client.callTool({ name: 'gate', arguments: {} }).then(
      () => 'answered',
      () => 'aborted',
    );
    await until(() => GateTool.waiting !== undefined);
    await module.get(StreamableHttpService).onApplicationShutdown();
    expect(await call).toBe('aborted');
    GateTool.waiting!();
    await client.close();
  });

  it('closes the server of an exchange whose client left before the answer, and no other', async () => {
    const errors = spyLogs('error');
    const close = jest.spyOn(Server.prototype, 'close');
    await post(rpc('ping'));
    expect(close).not.toHaveBeenCalled();

    const { port } = server.address() as AddressInfo;
    const leaving = request({ host: '127.0.0.1', port, method: 'POST', path: '/mcp', headers: { ...MCP_ACCEPT, 'content-type': 'application/json' } });
    leaving.on('error', () => undefined);
    leaving.end(JSON.stringify(rpc('tools/call', { name: 'gate', arguments: {} })));
    await until(() => GateTool.waiting !== undefined);
    leaving.destroy();
    await until(() => close.mock.calls.length > 0);
    GateTool.waiting!();
    // Nothing is written for the client that left, and nothing fails trying.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors()).toEqual([]);
    jest.restoreAllMocks();
  });
});
