import { describe, expect, it, jest } from '@jest/globals';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { LegacyJsonTransport } from './legacy-json.transport.js';

const result = (id: number | string): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} });

describe(LegacyJsonTransport.name, () => {
  it('hands every POSTed message to the server, with its extra information', () => {
    const sut = new LegacyJsonTransport([1]);
    const seen: unknown[] = [];
    sut.onmessage = (message, extra) => seen.push([message, extra]);
    const messages: JSONRPCMessage[] = [{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', method: 'notifications/initialized' }];
    sut.deliver(messages, { authInfo: { token: 't', clientId: 'c', scopes: [] } });
    expect(seen).toEqual(messages.map((message) => [message, { authInfo: { token: 't', clientId: 'c', scopes: [] } }]));
  });

  it('answers once every request has its response, keeping only those responses', async () => {
    const sut = new LegacyJsonTransport([1, 'two']);
    let answered: JSONRPCMessage[] | undefined;
    void sut.answered.then((responses) => (answered = responses));
    await sut.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    await sut.send({ jsonrpc: '2.0', id: 9, method: 'sampling/createMessage', params: {} });
    // A server request that happens to reuse an awaited id is not that request's answer.
    await sut.send({ jsonrpc: '2.0', id: 1, method: 'elicitation/create', params: {} });
    await sut.send(result(7));
    await sut.send(result(1));
    await sut.send(result(1));
    await Promise.resolve();
    expect(answered).toBeUndefined();
    await sut.send(result('two'));
    expect(await sut.answered).toEqual([result(1), result('two')]);
  });

  it('answers with what it has when the exchange closes, and says it closed', async () => {
    const sut = new LegacyJsonTransport([1, 2]);
    const onclose = jest.fn();
    sut.onclose = onclose;
    await sut.send(result(2));
    await sut.close();
    expect(await sut.answered).toEqual([result(2)]);
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('delivers and closes without a server attached', async () => {
    const sut = new LegacyJsonTransport([1]);
    expect(() => sut.deliver([{ jsonrpc: '2.0', id: 1, method: 'ping' }])).not.toThrow();
    await expect(sut.close()).resolves.toBeUndefined();
    expect(await sut.answered).toEqual([]);
  });
});
