import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it, jest } from '@jest/globals';
import { readJsonBody } from './json-body.js';

function request(headers: Record<string, string>, body?: string | Error): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers });
  if (body instanceof Error) setImmediate(() => stream.destroy(body));
  else stream.end(body ?? '');
  return stream as unknown as IncomingMessage;
}

function response() {
  const res = Object.assign(new EventEmitter(), { setHeader: jest.fn(), req: { socket: { destroySoon: jest.fn() } } });
  return res as typeof res & ServerResponse;
}

const json = { 'content-type': 'Application/JSON ; charset=utf-8' };

describe(readJsonBody.name, () => {
  it('reads JSON of any letter case and parameters, and nothing as undefined', async () => {
    await expect(readJsonBody(request(json, '{"a":1}'), response(), 100)).resolves.toEqual({ a: 1 });
    await expect(readJsonBody(request(json, ''), response(), 100)).resolves.toBeUndefined();
  });

  it('refuses another media type, or none, with 415', async () => {
    for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/json-seq' }] as Record<string, string>[]) {
      await expect(readJsonBody(request(headers, '{}'), response(), 100)).rejects.toMatchObject({
        status: 415,
        message: 'Unsupported Media Type: Content-Type must be application/json',
      });
    }
  });

  it('answers an oversized body with 413 and closes the connection once answered, declared or not', async () => {
    for (const headers of [{ ...json, 'content-length': '101' }, json]) {
      const res = response();
      await expect(readJsonBody(request(headers, 'x'.repeat(101)), res, 100)).rejects.toMatchObject({ status: 413, message: 'Payload too large' });
      expect(res.setHeader).toHaveBeenCalledWith('Connection', 'close');
      expect(res.req.socket.destroySoon).not.toHaveBeenCalled();
      res.emit('finish');
      expect(res.req.socket.destroySoon).toHaveBeenCalledTimes(1);
    }
  });

  it('answers a body that cannot be read, or is not JSON, with 400 and no detail', async () => {
    const res = response();
    await expect(readJsonBody(request(json, new Error('socket hang up')), res, 100)).rejects.toMatchObject({
      status: 400,
      message: 'Could not read the request body',
    });
    expect(res.setHeader).not.toHaveBeenCalled();
    await expect(readJsonBody(request(json, '{"a":'), response(), 100)).rejects.toMatchObject({ status: 400, message: 'Parse error: the body is not valid JSON' });
  });
});
