/**
 * What one hostile client could do to the server without signing in, each
 * measured against the real app: amplification through batches, a stream
 * nobody reads, cancelled requests, oversized bodies, SSE slots, and a flood
 * of new sessions.
 */
import { Agent, request } from 'node:http';
import { connect as tcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { call, connect, MCP_ACCEPT, raw, rpc, type Running, startServer } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens a raw TCP connection, sends `head` (and `body`), and resolves with the first bytes answered and the time taken. */
function rawExchange(port: number, head: string, feed?: (socket: Socket) => void): Promise<{ text: string; ms: number; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = tcp(port, '127.0.0.1', () => {
      socket.write(head);
      feed?.(socket);
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => undefined);
    socket.once('data', (chunk) => resolve({ text: chunk.toString(), ms: Date.now() - started, closed }));
    setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref();
  });
}

/** An SSE stream opened on a raw socket; `endpoint` is the POST path its first event names. */
async function openRawStream(port: number, localAddress = '127.0.0.1'): Promise<{ socket: Socket; status: number; endpoint: string }> {
  return new Promise((resolve, reject) => {
    const socket = tcp({ port, host: '127.0.0.1', localAddress }, () => {
      socket.write(`GET /sse HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
      const endpoint = /data: (\/messages\?sessionId=\S+)/.exec(text)?.[1];
      if (status && (endpoint || status !== 200) && text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve({ socket, status, endpoint: endpoint ?? '' });
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe('hardening (e2e)', () => {
  describe('batches, cancellation and bodies', () => {
    let server: Running;
    let port: number;
    let widgetUri: string;

    beforeAll(async () => {
      server = await startServer({ MAX_BODY_BYTES: '16384' });
      port = Number(new URL(server.baseUrl).port);
      const client = await connect(server.baseUrl);
      widgetUri = (await client.listResources()).resources[0]!.uri;
      await client.close();
    });
    afterAll(() => server.close());

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, ...headers }, body: JSON.stringify(body) });

    it('refuses a batch of 100 widget reads without doing the work', async () => {
      const batch = Array.from({ length: 100 }, (_, i) => rpc('resources/read', { uri: widgetUri }, i));
      const res = await post(batch);
      expect(res.status).toBe(400);
      expect(res.body.length).toBeLessThan(1000);
      expect(JSON.parse(res.body).error.message).toMatch(/a batch holds 1 to 10 messages/);
    });

    it('answers an allowed batch of widget reads within 4 MB', async () => {
      const batch = Array.from({ length: 10 }, (_, i) => rpc('resources/read', { uri: widgetUri }, i));
      const res = await post(batch);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toHaveLength(10);
      expect(Buffer.byteLength(res.body)).toBeLessThanOrEqual(4 * 1024 * 1024);
    });

    it('refuses any batch for revisions that dropped batching', async () => {
      for (const version of ['2025-06-18', '2025-11-25']) {
        const res = await post([rpc('tools/list', {}, 1), rpc('tools/list', {}, 2)], { 'mcp-protocol-version': version });
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body).error.message).toMatch(/does not allow JSON-RPC batches/);
      }
      const older = await post([rpc('tools/list', {}, 1), rpc('tools/list', {}, 2)], { 'mcp-protocol-version': '2025-03-26' });
      expect(older.status).toBe(200);
    });

    it('answers at once when a batch cancels its own request', async () => {
      const started = Date.now();
      const alone = await post([rpc('tools/call', { name: ToolName.createSession, arguments: {} }, 7), { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } }]);
      expect(alone.status).toBe(202);
      const mixed = await post([
        rpc('tools/list', {}, 1),
        rpc('tools/call', { name: ToolName.createSession, arguments: {} }, 2),
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'changed my mind' } },
      ]);
      expect(mixed.status).toBe(200);
      expect((JSON.parse(mixed.body) as { id: number }[]).map((answer) => answer.id)).toEqual([1]);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses a declared oversized body before reading it, and closes the connection', async () => {
      const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 10485760\r\n\r\n`;
      const { text, ms, closed } = await rawExchange(port, head, (socket) => socket.write('{"jsonrpc":"2.0",'));
      expect(text).toMatch(/^HTTP\/1\.1 413/);
      expect(ms).toBeLessThan(1000);
      await closed;
    });

    it('cuts a chunked body off at the limit while it streams', async () => {
      const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n`;
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      const { text, ms, closed } = await rawExchange(port, head, (socket) => {
        const chunk = 'x'.repeat(1024);
        timer = setInterval(() => {
          if (socket.destroyed) return clearInterval(timer);
          socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
          sent += chunk.length;
        }, 5);
      });
      clearInterval(timer);
      expect(text).toMatch(/^HTTP\/1\.1 413/);
      expect(ms).toBeLessThan(1000);
      expect(sent).toBeLessThan(64 * 1024);
      await closed;
    });
  });

  describe('legacy SSE streams', () => {
    let server: Running;
    let port: number;

    beforeAll(async () => {
      server = await startServer({ MAX_SSE_STREAMS: '10', MAX_SSE_STREAMS_PER_CLIENT: '2', SSE_IDLE_TIMEOUT_MS: '1000', SSE_MAX_BUFFER_BYTES: '1048576' });
      port = Number(new URL(server.baseUrl).port);
    });
    afterAll(() => server.close());

    it('caps open streams per client address, leaving slots for others', async () => {
      const mine = [await openRawStream(port), await openRawStream(port)];
      expect(mine.map((s) => s.status)).toEqual([200, 200]);
      const third = await openRawStream(port);
      expect(third.status).toBe(429);
      const other = await openRawStream(port, '127.0.0.2');
      expect(other.status).toBe(200);
      for (const stream of [...mine, third, other]) stream.socket.destroy();
    });

    it('closes a stream that receives no message for the idle time, and keeps a busy one', async () => {
      const idle = await openRawStream(port);
      const busy = await openRawStream(port, '127.0.0.3');
      const idleClosed = new Promise<number>((resolve) => idle.socket.once('end', () => resolve(Date.now())));
      const started = Date.now();
      for (let i = 0; i < 6; i++) {
        await sleep(300);
        const res = await raw(server.baseUrl, { path: busy.endpoint, body: JSON.stringify(rpc('ping', {}, i)) });
        expect(res.status).toBe(202);
      }
      expect((await idleClosed) - started).toBeGreaterThanOrEqual(900);
      expect(busy.socket.destroyed).toBe(false);
      busy.socket.destroy();
    });

    it('drops a stream whose reader stopped once 1 MB is queued, refusing what would feed it', async () => {
      const stream = await openRawStream(port, '127.0.0.4');
      stream.socket.pause();
      const client = await connect(server.baseUrl);
      const uri = (await client.listResources()).resources[0]!.uri;
      await client.close();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const body = JSON.stringify(rpc('resources/read', { uri }, 1));
      const statuses: number[] = [];
      global.gc?.();
      const before = process.memoryUsage().rss;
      for (let i = 0; i < 1500; i++) {
        statuses.push(
          await new Promise<number>((resolve, reject) => {
            const req = request(new URL(stream.endpoint, server.baseUrl), { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
              res.resume();
              res.once('end', () => resolve(res.statusCode ?? 0));
            });
            req.once('error', reject);
            req.end(body);
          }),
        );
      }
      const grown = process.memoryUsage().rss - before;
      agent.destroy();
      stream.socket.destroy();
      const firstRefusal = statuses.findIndex((status) => status !== 202);
      expect(firstRefusal).toBeGreaterThan(0);
      expect(statuses[firstRefusal]).toBe(503);
      expect(statuses.slice(firstRefusal).every((status) => status === 503)).toBe(true);
      expect(grown).toBeLessThan(150 * 1024 * 1024);
    });
  });

  describe('a flood of new sessions', () => {
    let server: Running;

    beforeAll(async () => {
      server = await startServer({ MAX_SESSIONS: '300' });
    });
    afterAll(() => server.close());

    it('does not stop another client from signing in, and no limit keyed on the address refuses the flood', async () => {
      const deadline = Date.now() + 8000;
      const floodStatuses = new Map<number, number>();
      const batch = JSON.stringify(Array.from({ length: 10 }, (_, i) => rpc('tools/call', { name: ToolName.createSession, arguments: {} }, i)));
      const flood = async () => {
        while (Date.now() < deadline) {
          const res = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: batch });
          floodStatuses.set(res.status, (floodStatuses.get(res.status) ?? 0) + 1);
        }
      };
      const signIns: boolean[] = [];
      const signer = async () => {
        const client = await connect(server.baseUrl);
        while (Date.now() < deadline + 1000) {
          try {
            const created = await call(client, ToolName.createSession);
            const { sessionId } = created.structuredContent as { sessionId: string };
            await call(client, ToolName.authenticate, { sessionId });
            await sleep(100);
            await call(client, ToolName.submitCredentials, { sessionId, email: 'ada@example.com', password: 'pw' });
            const done = await call(client, ToolName.verifyCode, { sessionId, code: '123456' });
            signIns.push(done.isError !== true && (await call(client, ToolName.authStatus, { sessionId })).structuredContent?.['authenticated'] === true);
          } catch {
            signIns.push(false);
          }
          await sleep(200);
        }
        await client.close();
      };
      await Promise.all([flood(), flood(), flood(), flood(), signer()]);
      expect(signIns.length).toBeGreaterThanOrEqual(10);
      expect(signIns.filter(Boolean).length / signIns.length).toBeGreaterThanOrEqual(0.95);
      expect([...floodStatuses.keys()]).toEqual([200]);
      expect(floodStatuses.get(200)).toBeGreaterThan(30);
    });
  });
});
