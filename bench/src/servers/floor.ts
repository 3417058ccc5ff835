/**
 * Baseline "floor": raw node:http answering the same JSON-RPC request with a
 * canned reply (only the id is echoed): the limit of this machine and load
 * generator. Prints one JSON line: { port, sessionId }.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const sessionId = 'sess_floorfloorfloorfloorfloo';
const result =
  '"result":{"content":[{"type":"text","text":"Signed in to Target as Lauren Bailey (lauren@example.com)."}],' +
  '"structuredContent":{"authenticated":true,"email":"lauren@example.com","name":"Lauren Bailey"}}';

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    let id: unknown;
    try {
      id = (JSON.parse(body) as { id?: unknown }).id ?? null;
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},${result}}`);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, sessionId })));

process.once('SIGINT', () => process.exit(0));
