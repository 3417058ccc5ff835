/**
 * The hot path, `POST /mcp` from a non-browser client (no Origin header: host
 * connectors and SDK clients), answered before Express: the same Host check,
 * body limit, MCP handling and JSON-RPC errors as the Nest route, without the
 * router and middleware chain that cost more than half of such a request
 * (docs/benchmarks.md). Everything else, browsers (which need CORS) included,
 * goes on to the Nest application unchanged. app.ts attaches it.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { readJsonBody } from '../http/json-body.js';
import { jsonRpcAnswer } from '../http/json-rpc-error.js';
import { RequestGuard } from '../http/request-guard.js';
import { type McpHttpRequest, StreamableHttpService } from './streamable-http.service.js';
import { writeJson } from '../http/write-json.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

@Injectable()
export class McpFastEntry {
  private readonly logger = new Logger('MCP');
  private readonly limit: number;

  constructor(
    config: AppConfig,
    private readonly guard: RequestGuard,
    private readonly streamable: StreamableHttpService,
  ) {
    this.limit = config.maxBodyBytes;
  }

  /**
   * Puts the fast path in front of the server's own request listener (the
   * Express app); `track` (JSON logging) logs and binds each request it takes.
   */
  attach(server: Server, track?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): void {
    const [rest, ...others] = server.listeners('request') as Listener[];
    if (!rest || others.length > 0) throw new Error('Expected exactly one request listener (the Express app)');
    server.removeListener('request', rest);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.takes(req)) rest(req, res);
      else if (track) track(req, res, () => void this.serve(req, res));
      else void this.serve(req, res);
    });
  }

  /** POST /mcp without an Origin header (a query string is not part of any MCP request). */
  takes(req: IncomingMessage): boolean {
    return req.method === 'POST' && req.url === '/mcp' && req.headers.origin === undefined;
  }

  private async serve(req: McpHttpRequest, res: ServerResponse): Promise<void> {
    try {
      this.guard.check(req);
      req.body = await readJsonBody(req, res, this.limit);
      await this.streamable.handle(req, res);
    } catch (error) {
      if (!(error instanceof HttpException)) this.logger.error(`POST /mcp failed: ${error instanceof Error ? error.name : 'unknown'}`);
      if (res.headersSent) {
        res.end();
        return;
      }
      const answer = jsonRpcAnswer(error);
      writeJson(res, answer.status, answer.body, answer.headers);
    }
  }
}

