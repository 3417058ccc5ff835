/**
 * The smallest bridge between Node's HTTP objects and the SDK's web-standard handler: a
 * body-less `Request` (the body is already parsed and handed over as
 * `parsedBody`) and a `Response` written back. `@modelcontextprotocol/node`'s `toNodeHandler` does the same through
 * @hono/node-server and costs more per request (docs/benchmarks.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A web `Request` with the Node request's method and URL, and the headers the
 * SDK reads: the media types and the `Mcp-*` protocol headers (copying every
 * header cost a tenth of a request). It carries no abort signal of ours: the
 * tools answer in microseconds, and an answer whose client left is dropped.
 */
export function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'content-type' || name === 'accept' || name.startsWith('mcp-')) headers.append(name, raw[i + 1]!);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { method: req.method, headers });
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
