import type { ServerResponse } from 'node:http';

/** Writes a JSON answer with plain Node calls (no Express helpers: the fast entry has none). */
export function writeJson(res: ServerResponse, status: number, body: object | string, headers: Readonly<Record<string, string>> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
