/**
 * The smallest bridge between Node's HTTP objects and the SDK's web-standard handler: a
 * body-less `Request` (the body is already parsed and handed over as
 * `parsedBody`) and a `Response` written back. `@modelcontextprotocol/node`'s `toNodeHandler` does the same through
 * @hono/node-server and costs more per request (docs/benchmarks.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A web `Request` with the Node request's method, URL and headers; aborted when the client leaves. */
export function toWebRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const controller = new AbortController();
  // 'close' also follows every finished answer; only a client that left mid-way aborts.
  res.once('close', () => res.writableFinished || controller.abort());
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    signal: controller.signal,
  });
}

/** Writes `response` to `res`: a JSON body in one piece, an event stream as it comes. */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    res.end(await response.text());
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (res.destroyed) return;
    res.write(chunk);
  }
  res.end();
}
