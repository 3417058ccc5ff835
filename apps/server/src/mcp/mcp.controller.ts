import { All, Controller, Get, Headers, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { RequestGuard } from '../http/request-guard.js';
import { JsonRpcExceptionFilter } from './json-rpc-exception.filter.js';
import { SseStreamsService } from './sse-streams.service.js';
import { authenticate, StreamableHttpService } from './streamable-http.service.js';
import { BearerAuth } from '../oauth/bearer-auth.js';

/** MCP over HTTP: Streamable HTTP at /mcp, legacy SSE at GET /mcp (or /sse) + POST /messages. */
@Controller()
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
@UseFilters(JsonRpcExceptionFilter)
export class McpController {
  constructor(
    private readonly streamable: StreamableHttpService,
    private readonly sse: SseStreamsService,
    private readonly bearer: BearerAuth,
  ) {}

  @Post('mcp')
  post(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.streamable.handle(req, res);
  }

  /** `/sse` too: the path legacy clients such as the MCP Inspector's CLI use for SSE. */
  @Get(['mcp', 'sse'])
  async openStream(
    @Req() req: Request,
    @Res() res: Response,
    @Headers('accept') accept = '',
    @Headers('mcp-session-id') sessionId?: string,
    @Headers('mcp-protocol-version') protocolVersion?: string,
  ): Promise<void> {
    // Streamable HTTP clients send a protocol version (and maybe a session id) on
    // their optional GET stream; a stateless server has none to offer. Only a
    // legacy HTTP+SSE client, which sends neither, gets an SSE stream here.
    if (!accept.includes('text/event-stream') || sessionId !== undefined || protocolVersion !== undefined) {
      throw new JsonRpcHttpError(405, -32000, 'Method not allowed: this server is stateless; POST JSON-RPC to /mcp.', { Allow: 'POST' });
    }
    await authenticate(this.bearer, req);
    return this.sse.open(req, res);
  }

  @All('mcp')
  otherMethods(): never {
    throw new JsonRpcHttpError(405, -32000, 'Method not allowed: POST JSON-RPC to /mcp.', { Allow: 'POST' });
  }

  /** Each message carries its own token (its tools see that one). */
  @Post('messages')
  async message(@Req() req: Request, @Res() res: Response): Promise<void> {
    await authenticate(this.bearer, req);
    return this.sse.post(req, res);
  }
}
