import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Response } from 'express';
import { SseStreamTransport } from './sse-stream.transport.js';

/** An express Response that keeps what is written; `writableLength` is set by the test (what the client has not read). */
class FakeResponse extends EventEmitter {
  head: [number, Record<string, string>] | undefined;
  written: string[] = [];
  ended = false;
  destroyed = false;
  writableLength = 0;
  writeHead(status: number, headers: Record<string, string>) {
    this.head = [status, headers];
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    return true;
  }
  end() {
    this.ended = true;
    return this;
  }
  destroy() {
    this.destroyed = true;
    return this;
  }
}

const OPTIONS = { endpoint: '/messages', maxBufferedBytes: 1000, idleMs: 5000 };
const ping: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };
const frame = (message: JSONRPCMessage) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

async function started() {
  const res = new FakeResponse();
  const sut = new SseStreamTransport(res as unknown as Response, OPTIONS);
  const onclose = jest.fn();
  sut.onclose = onclose;
  await sut.start();
  return { res, sut, onclose };
}

beforeEach(() => void jest.useFakeTimers());
afterEach(() => void jest.useRealTimers());

describe(SseStreamTransport.name, () => {
  it('opens an event stream and names the POST endpoint with its own random id', async () => {
    const { res, sut } = await started();
    expect(sut.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await started()).sut.id).not.toBe(sut.id);
    expect(res.head).toEqual([200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' }]);
    expect(res.written).toEqual([`event: endpoint\ndata: /messages?sessionId=${sut.id}\n\n`]);
  });

  it('sends each server message as a message event, and nothing once closed', async () => {
    const { res, sut, onclose } = await started();
    await sut.send(ping);
    expect(res.written.slice(1)).toEqual([frame(ping)]);
    await sut.close();
    expect({ closedBy: sut.closedBy, ended: res.ended, destroyed: res.destroyed }).toEqual({ closedBy: 'server', ended: true, destroyed: false });
    await sut.send(ping);
    expect(res.written).toHaveLength(2);
    await sut.close();
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('drops the stream, queue and all, when a message would take the unread bytes past the bound', async () => {
    const { res, sut, onclose } = await started();
    res.writableLength = OPTIONS.maxBufferedBytes - Buffer.byteLength(frame(ping));
    await sut.send(ping);
    expect(sut.closedBy).toBeUndefined();
    res.writableLength += 1;
    await sut.send(ping);
    expect({ closedBy: sut.closedBy, destroyed: res.destroyed, ended: res.ended, written: res.written.length }).toEqual({ closedBy: 'overflow', destroyed: true, ended: false, written: 2 });
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('says whether the reader is behind the bound, closing the stream if so', async () => {
    const { res, sut } = await started();
    res.writableLength = OPTIONS.maxBufferedBytes;
    expect(sut.closeIfBehind()).toBe(false);
    res.writableLength += 1;
    expect(sut.closeIfBehind()).toBe(true);
    expect({ closedBy: sut.closedBy, destroyed: res.destroyed }).toEqual({ closedBy: 'overflow', destroyed: true });
  });

  it('closes after the idle time without a client message; each message restarts the clock', async () => {
    const { res, sut, onclose } = await started();
    const seen: unknown[] = [];
    sut.onmessage = (message, extra) => seen.push([message, extra]);
    jest.advanceTimersByTime(4999);
    sut.receive(ping, { authInfo: { token: 't', clientId: 'c', scopes: [] } });
    expect(seen).toEqual([[ping, { authInfo: { token: 't', clientId: 'c', scopes: [] } }]]);
    jest.advanceTimersByTime(4999);
    expect(sut.closedBy).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect({ closedBy: sut.closedBy, ended: res.ended }).toEqual({ closedBy: 'idle', ended: true });
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('ends when the client goes away, and stops its idle clock', async () => {
    const { res, sut, onclose } = await started();
    res.emit('close');
    expect(sut.closedBy).toBe('client');
    jest.advanceTimersByTime(10_000);
    expect(sut.closedBy).toBe('client');
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('takes a message and closes before it is started or has a server attached', async () => {
    const res = new FakeResponse();
    const sut = new SseStreamTransport(res as unknown as Response, OPTIONS);
    expect(() => sut.receive(ping)).not.toThrow();
    await expect(sut.close()).resolves.toBeUndefined();
    expect(sut.closedBy).toBe('server');
    expect(res.ended).toBe(true);
  });
});
