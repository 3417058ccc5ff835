/**
 * Connects HTTP requests to MCP servers. Streamable HTTP is stateless (a new
 * server and transport per POST, JSON responses), so any instance can answer.
 * The legacy HTTP+SSE transport keeps one server per open stream, and every
 * `POST /messages?sessionId=…` is handed to that stream's transport.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { readMessages, StatelessJsonTransport } from './stateless-json.transport.js';

const SSE_MESSAGES_PATH = '/messages';

@Injectable()
export class McpTransportService implements OnApplicationShutdown {
  private readonly logger = new Logger('MCP');
  private readonly streams = new Map<string, SSEServerTransport>();

  constructor(
    private readonly factory: McpServerFactory,
    private readonly config: AppConfig,
  ) {}

  /** One Streamable HTTP exchange, answered as JSON (202 when it holds no request). */
  async handleStreamable(req: Request, res: Response): Promise<void> {
    const { messages, requestIds, batch } = readMessages(req);
    if (requestIds.length === 0) {
      res.status(202).end();
      return;
    }
    const server = this.factory.create();
    const transport = new StatelessJsonTransport(requestIds);
    // Closing aborts handlers still running for a client that left. An answered
    // exchange holds nothing (no timers, no streams) and is simply dropped, which
    // also spares the SDK's close path its per-call Error (a stack trace each).
    let answered = false;
    res.on('close', () => answered || void server.close());
    await server.connect(transport);
    const requestInfo = { headers: req.headers };
    for (const message of messages) transport.onmessage?.(message, { requestInfo });
    const responses = await transport.answered;
    answered = true;
    if (!res.writableEnded) res.status(200).json(batch ? responses : responses[0]);
  }

  /** Opens a legacy SSE stream; its first event names the POST endpoint. */
  async openSseStream(req: Request, res: Response): Promise<void> {
    if (this.streams.size >= this.config.maxSseStreams) {
      throw new JsonRpcHttpError(503, -32000, 'Too many open event streams. Try again later.');
    }
    const transport = new SSEServerTransport(SSE_MESSAGES_PATH, res);
    const server = this.factory.create();
    this.streams.set(transport.sessionId, transport);
    transport.onclose = () => this.streams.delete(transport.sessionId);
    req.on('close', () => void server.close());
    await server.connect(transport);
  }

  /** Hands a POSTed message to the SSE stream it belongs to. */
  async handleSseMessage(req: Request, res: Response): Promise<void> {
    const id = typeof req.query['sessionId'] === 'string' ? req.query['sessionId'] : '';
    const transport = this.streams.get(id);
    if (!transport) throw new JsonRpcHttpError(404, -32001, 'Unknown or closed SSE session. Open a new stream at GET /mcp.');
    await transport.handlePostMessage(req, res, req.body);
  }


  async onApplicationShutdown(): Promise<void> {
    const open = [...this.streams.values()];
    if (open.length > 0) this.logger.log(`Closing ${open.length} SSE stream(s)`);
    await Promise.all(open.map((transport) => transport.close()));
  }
}
