import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { toWebRequest, writeWebResponse } from './web-exchange.js';

function nodeRequest(rawHeaders: string[], url?: string, host?: string): IncomingMessage {
  return { rawHeaders, url, method: 'POST', headers: host === undefined ? {} : { host } } as unknown as IncomingMessage;
}

/** A ServerResponse that records what is written; `destroyAfter` destroys it after that many writes. */
function nodeResponse(destroyAfter = Infinity) {
  const sink = { statusCode: 0, headers: {} as Record<string, string>, chunks: [] as string[], writes: 0, ended: false, destroyed: false };
  const res = {
    get destroyed() {
      return sink.destroyed;
    },
    set statusCode(value: number) {
      sink.statusCode = value;
    },
    setHeader: (name: string, value: string) => void (sink.headers[name] = value),
    write: (chunk: Uint8Array) => {
      sink.chunks.push(Buffer.from(chunk).toString());
      sink.writes++;
      if (sink.chunks.length >= destroyAfter) sink.destroyed = true;
      return true;
    },
    end: (body?: string) => {
      if (body !== undefined) sink.chunks.push(body);
      sink.ended = true;
    },
  };
  return { res: res as unknown as ServerResponse, sink };
}

describe(toWebRequest.name, () => {
  it('keeps the method, the URL on its host, and only the media-type and Mcp-* headers', () => {
    const request = toWebRequest(
      nodeRequest(['Content-Type', 'application/json', 'ACCEPT', 'text/event-stream', 'Mcp-Session-Id', 'abc', 'MCP-Protocol-Version', '2025-11-25', 'Cookie', 'secret', 'Authorization', 'Bearer x', 'X-Mcp-Other', 'no'], '/mcp?x=1', 'example.test:8080'),
    );
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://example.test:8080/mcp?x=1');
    expect([...request.headers]).toEqual([
      ['accept', 'text/event-stream'],
      ['content-type', 'application/json'],
      ['mcp-protocol-version', '2025-11-25'],
      ['mcp-session-id', 'abc'],
    ]);
  });

  it('reads a request without Host or URL as localhost, /', () => {
    expect(toWebRequest(nodeRequest([])).url).toBe('http://localhost/');
  });
});

describe(writeWebResponse.name, () => {
  it('writes status and headers, and ends a response without a body', async () => {
    const { res, sink } = nodeResponse();
    await writeWebResponse(new Response(null, { status: 202, headers: { 'mcp-session-id': 's1' } }), res);
    expect(sink).toMatchObject({ statusCode: 202, headers: { 'mcp-session-id': 's1' }, chunks: [], ended: true });
  });

  it('writes a JSON body in one piece', async () => {
    const { res, sink } = nodeResponse();
    await writeWebResponse(new Response('{"a":1}', { status: 200, headers: { 'content-type': 'application/json' } }), res);
    expect(sink).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' }, chunks: ['{"a":1}'], writes: 0, ended: true });
    // A body without a media type is no stream either.
    const bare = nodeResponse();
    await writeWebResponse(new Response(new Blob(['Not here']), { status: 404 }), bare.res);
    expect(bare.sink).toMatchObject({ statusCode: 404, chunks: ['Not here'], writes: 0, ended: true });
  });

  it('streams an event stream as it comes, and stops once the client is gone', async () => {
    const events = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const event of ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']) controller.enqueue(new TextEncoder().encode(event));
          controller.close();
        },
      });
    const whole = nodeResponse();
    await writeWebResponse(new Response(events(), { headers: { 'content-type': 'text/event-stream; charset=utf-8' } }), whole.res);
    expect(whole.sink).toMatchObject({ chunks: ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'], writes: 3, ended: true });
    const cut = nodeResponse(1);
    await writeWebResponse(new Response(events(), { headers: { 'content-type': 'text/event-stream' } }), cut.res);
    expect(cut.sink).toMatchObject({ chunks: ['data: 1\n\n'], ended: false });
  });
});
