/**
 * The smallest bridge between Express and the SDK's web-standard handler: a
 * body-less `Request` (the body is already parsed and handed over as
 * `parsedBody`) and a `Response` written back. `@modelcontextprotocol/node`'s `toNodeHandler` does the same through
 * @hono/node-server and costs more per request (docs/benchmarks.md).
 */
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** A web `Request` with the Node request's method, URL and headers; aborted when the client leaves. */
export function toWebRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.originalUrl}`, {
    method: req.method,
    headers,
    signal: controller.signal,
  });
}

/** Writes `response` to `res`, its body streamed through as it comes. */
export async function writeWebResponse(response: Response, res: ExpressResponse): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (res.destroyed) return;
    res.write(chunk);
  }
  res.end();
}
