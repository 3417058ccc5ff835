/** The open legacy SSE streams: caps, the POST endpoint's answers, forwarding, shutdown. */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import type { Request, Response } from 'express';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { testConfig } from '../testing/fakes.js';
import { spyLogs } from '../testing/logs.js';
import type { McpServerFactory } from './mcp-server.factory.js';
import type { ForwardedMessage, SseRouter } from './sse-router.js';
import { SseStreamsService } from './sse-streams.service.js';

class StreamResponse extends EventEmitter {
  writableLength = 0;
  written: string[] = [];
  writeHead() {
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    return true;
  }
  end() {
    return this;
  }
  destroy() {
    return this;
  }
}

const ping: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };
const UNKNOWN_STREAM = [404, -32001, 'Unknown or closed SSE session. Open a new stream at GET /mcp.'];

function setup(env: Record<string, string> = {}, routerEnabled = false) {
  const received: { message: unknown; extra: unknown }[] = [];
  const servers = { closed: 0, eras: [] as unknown[] };
  const factory = {
    create: (era: unknown) => {
      servers.eras.push(era);
      return {
        connect: async (transport: Transport) => {
          transport.onmessage = (message, extra) => received.push({ message, extra });
          await transport.start();
        },
        close: async () => void servers.closed++,
      };
    },
  } as unknown as McpServerFactory;
  const router = {
    enabled: routerEnabled,
    deliver: (_forwarded: ForwardedMessage) => undefined,
    claim: jest.fn(async (_streamId: string) => undefined),
    renew: jest.fn(async (_streamId: string) => undefined),
    release: jest.fn(async (_streamId: string) => undefined),
    forward: jest.fn(async (_forwarded: ForwardedMessage) => false),
  };
  const sut = new SseStreamsService(factory, testConfig({ MAX_SSE_STREAMS: '3', MAX_SSE_STREAMS_PER_CLIENT: '2', ...env }), router as unknown as SseRouter);
  /** `null`: a socket that no longer knows its peer's address. */
  const open = async (address: string | null = '10.0.0.1') => {
    const res = new StreamResponse();
    await sut.open({ socket: { remoteAddress: address ?? undefined } } as unknown as Request, res as unknown as Response);
    const id = /sessionId=([A-Za-z0-9_-]+)/.exec(res.written[0]!)![1]!;
    return { res, id };
  };
  const post = async (sessionId: unknown, body: unknown, auth?: unknown) => {
    const answered = { status: 0 };
    const res = { status: (status: number) => ((answered.status = status), { end: () => undefined }) };
    try {
      await sut.post({ query: { sessionId }, body, auth } as unknown as Request, res as unknown as Response);
      return answered.status;
    } catch (error) {
      return error instanceof JsonRpcHttpError ? [error.getStatus(), error.rpcCode, error.message] : error;
    }
  };
  return { sut, router, received, servers, open, post };
}

const refusalOf = async (opening: Promise<unknown>) =>
  opening.then(
    () => undefined,
    (error: unknown) => (error instanceof JsonRpcHttpError ? [error.getStatus(), error.rpcCode, error.message] : error),
  );

describe(SseStreamsService.name, () => {
  let made: ReturnType<typeof setup>;
  beforeEach(() => void (made = setup()));
  afterEach(() => void jest.restoreAllMocks());

  it('caps streams per client address and overall, and frees a slot when a stream closes', async () => {
    const first = await made.open('10.0.0.1');
    await made.open('10.0.0.1');
    expect(await refusalOf(made.open('10.0.0.1'))).toEqual([429, -32000, 'Too many open event streams from this client. Close one and try again.']);
    await made.open('10.0.0.2');
    expect(made.sut.openStreams).toBe(3);
    expect(await refusalOf(made.open('10.0.0.3'))).toEqual([503, -32000, 'Too many open event streams. Try again later.']);
    first.res.emit('close');
    expect(made.sut.openStreams).toBe(2);
    expect(made.router.release).toHaveBeenCalledWith(first.id);
    expect(made.servers.closed).toBe(1);
    await made.open('10.0.0.1');
    expect(made.sut.openStreams).toBe(3);
  });

  it('counts streams per client address until each closes, and forgets an address with none open', async () => {
    const wide = setup({ MAX_SSE_STREAMS: '10' });
    const one = await wide.open('10.0.0.1');
    const two = await wide.open('10.0.0.1');
    one.res.emit('close');
    await wide.open('10.0.0.1');
    expect(await refusalOf(wide.open('10.0.0.1'))).toEqual([429, -32000, 'Too many open event streams from this client. Close one and try again.']);
    // A socket that lost its address counts as one client, "unknown".
    await wide.open(null);
    await wide.open(null);
    expect((await refusalOf(wide.open(null))) as unknown[]).toContain(429);
    const perAddress = (wide.sut as unknown as { perAddress: Map<string, number> }).perAddress;
    two.res.emit('close');
    expect(perAddress.get('10.0.0.1')).toBe(1);
    await wide.sut.closeAll();
    expect(perAddress.size).toBe(0);
  });

  it('gives each stream a server of its own for the 2025 revisions', async () => {
    await made.open();
    await made.open('10.0.0.2');
    expect(made.servers.eras).toEqual(['legacy', 'legacy']);
  });

  it('claims each stream for this instance, and keeps it local with a warning when Redis does not answer', async () => {
    const { id } = await made.open();
    expect(made.router.claim).toHaveBeenCalledWith(id);
    made.router.claim.mockRejectedValueOnce(new Error('down'));
    const warnings = spyLogs('warn');
    const local = await made.open('10.0.0.2');
    expect(warnings()).toEqual(['MCP: SSE stream not shared: Redis unavailable']);
    expect(await made.post(local.id, ping)).toBe(202);
  });

  it('logs why a stream closed when the server closed it (idle, reader behind), not when the client left', async () => {
    const debug = spyLogs('debug');
    (await made.open()).res.emit('close');
    expect(debug()).toEqual([]);
    const behind = await made.open();
    behind.res.writableLength = 2_000_000;
    await made.post(behind.id, ping);
    expect(debug()).toEqual(['MCP: SSE stream closed (overflow)']);
    const idle = setup({ SSE_IDLE_TIMEOUT_MS: '1000' });
    jest.useFakeTimers();
    try {
      await idle.open();
      jest.advanceTimersByTime(1001);
      expect(debug()).toEqual(['MCP: SSE stream closed (overflow)', 'MCP: SSE stream closed (idle)']);
    } finally {
      jest.useRealTimers();
    }
    expect(idle.sut.openStreams).toBe(0);
  });

  it("hands a POSTed message to its stream with the request's auth, renews it, and answers 202", async () => {
    const { id } = await made.open();
    const auth = { token: 't', clientId: 'c', scopes: [] };
    expect(await made.post(id, ping, auth)).toBe(202);
    expect(await made.post(id, ping)).toBe(202);
    expect(made.received).toEqual([
      { message: ping, extra: { authInfo: auth } },
      { message: ping, extra: undefined },
    ]);
    expect(made.router.renew).toHaveBeenCalledWith(id);
  });

  it('answers 404 for an unknown stream, 400 for a body that is not JSON-RPC', async () => {
    const { id } = await made.open();
    expect(await made.post('nope', ping)).toEqual(UNKNOWN_STREAM);
    expect(await made.post(id, { hello: 'world' })).toEqual([400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message']);
    expect(made.received).toEqual([]);
    // An unknown stream is the answer before the body is read; a missing or repeated sessionId names none.
    expect(await made.post('nope', { hello: 'world' })).toEqual(UNKNOWN_STREAM);
    expect(await made.post(undefined, ping)).toEqual(UNKNOWN_STREAM);
    expect(await made.post([id, id], ping)).toEqual(UNKNOWN_STREAM);
  });

  it('answers 503, and keeps answering it, for a stream closed because its reader fell behind', async () => {
    const { res, id } = await made.open();
    res.writableLength = 2_000_000;
    const message = 'The event stream fell too far behind and was closed. Open a new stream at GET /mcp.';
    expect(await made.post(id, ping)).toEqual([503, -32000, message]);
    expect(made.sut.openStreams).toBe(0);
    expect(await made.post(id, ping)).toEqual([503, -32000, message]);
  });

  it('remembers the last 1000 streams closed that way', async () => {
    const many = setup({ MAX_SSE_STREAMS: '2000', MAX_SSE_STREAMS_PER_CLIENT: '2000' });
    const ids: string[] = [];
    for (let i = 0; i < 1001; i++) {
      const { res, id } = await many.open();
      res.writableLength = 2_000_000;
      await many.post(id, ping);
      ids.push(id);
    }
    expect(await many.post(ids[0]!, ping)).toEqual(UNKNOWN_STREAM);
    expect((await many.post(ids[1]!, ping)) as unknown[]).toContain(503);
  });

  describe('with several instances (Redis)', () => {
    beforeEach(() => void (made = setup({}, true)));

    it("sends a message for another instance's stream there, 404 when no instance has it, 503 when Redis fails", async () => {
      made.router.forward.mockResolvedValueOnce(true);
      const auth = { token: 'raw-bearer-token', clientId: 'c', scopes: ['account:read'], resource: new URL('https://target.example/mcp'), extra: { accountId: 'a', grantId: 'g' } };
      expect(await made.post('elsewhere', ping, auth)).toBe(202);
      // The verified identity crosses Redis, never the bearer token.
      const identity = { clientId: 'c', scopes: ['account:read'], resource: 'https://target.example/mcp', extra: { accountId: 'a', grantId: 'g' } };
      expect(made.router.forward).toHaveBeenCalledWith({ streamId: 'elsewhere', message: ping, auth: identity });
      expect(JSON.stringify(made.router.forward.mock.calls)).not.toContain('raw-bearer-token');
      expect(await made.post('nowhere', ping)).toEqual(UNKNOWN_STREAM);
      expect(made.router.forward).toHaveBeenLastCalledWith({ streamId: 'nowhere', message: ping });
      // A sessionId that is not one string is not forwarded.
      expect(await made.post(['a', 'b'], ping)).toEqual(UNKNOWN_STREAM);
      expect(made.router.forward).toHaveBeenCalledTimes(2);
      made.router.forward.mockRejectedValueOnce(new Error('down'));
      expect(await made.post('elsewhere', ping)).toEqual([503, -32000, 'Event streams are temporarily unavailable. Try again in a moment.']);
    });

    it('delivers a message forwarded by another instance to its stream, unless the stream is gone or behind', async () => {
      const { res, id } = await made.open();
      const deliver = (made.router as unknown as { deliver: (forwarded: ForwardedMessage) => void }).deliver;
      deliver({ streamId: id, message: ping, auth: { clientId: 'c', scopes: [], resource: 'https://target.example/mcp', extra: { accountId: 'a' } } });
      deliver({ streamId: id, message: ping });
      deliver({ streamId: 'gone', message: ping });
      expect(made.received).toEqual([
        { message: ping, extra: { authInfo: { token: '', clientId: 'c', scopes: [], resource: new URL('https://target.example/mcp'), extra: { accountId: 'a' } } } },
        { message: ping, extra: undefined },
      ]);
      expect(made.router.renew).toHaveBeenCalledWith(id);
      res.writableLength = 2_000_000;
      deliver({ streamId: id, message: ping });
      expect(made.received).toHaveLength(2);
      expect(made.sut.openStreams).toBe(0);
    });
  });

  it('closes every open stream at shutdown, saying how many', async () => {
    await made.open('10.0.0.1');
    await made.open('10.0.0.2');
    const logs = spyLogs('log');
    await made.sut.onApplicationShutdown();
    expect(logs()).toEqual(['MCP: Closing 2 SSE stream(s)']);
    expect(made.sut.openStreams).toBe(0);
    expect(made.servers.closed).toBe(2);
    await made.sut.onApplicationShutdown();
    expect(logs()).toHaveLength(1);
  });

  it('refuses a stream asked for once the stop began (it would hold the server open), with a 503 saying why', async () => {
    await made.sut.closeAll();
    expect(await refusalOf(made.open('10.0.0.1'))).toEqual([503, -32000, 'The server is restarting. Open a new stream in a moment.']);
    expect(made.sut.openStreams).toBe(0);
  });
});
