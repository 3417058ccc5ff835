/**
 * The legacy HTTP+SSE transport: `GET /mcp` (or `/sse`) opens a stream with a
 * server of its own, and `POST /messages?sessionId=…` hands a message to it.
 * Streams are capped overall and per client address (one client cannot take
 * every slot), closed after an idle time, and closed when their reader falls
 * too far behind; a POST to such a stream is refused (503), never queued.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type AuthInfo, type JSONRPCMessage, parseJSONRPCMessage } from '@modelcontextprotocol/server';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { type ForwardedMessage, forwardedAuth, receivedAuth, SseRouter } from './sse-router.js';
import { SseStreamTransport } from './sse-stream.transport.js';

const SSE_MESSAGES_PATH = '/messages';

const unknownStream = () => new JsonRpcHttpError(404, -32001, 'Unknown or closed SSE session. Open a new stream at GET /mcp.');
/** Streams closed for a slow reader that are still answered 503 (not 404), most recent first out last. */
const OVERFLOW_MEMORY = 1000;

@Injectable()
export class SseStreamsService implements OnApplicationShutdown {
  private readonly logger = new Logger('MCP');
  private readonly streams = new Map<string, SseStreamTransport>();
  private readonly perAddress = new Map<string, number>();
  private readonly overflowed = new Set<string>();

  constructor(
    private readonly factory: McpServerFactory,
    private readonly config: AppConfig,
    private readonly router: SseRouter,
  ) {
    router.deliver = (forwarded) => this.deliverForwarded(forwarded);
  }

  /** Opens a stream; its first event names the POST endpoint. */
  async open(req: Request, res: Response): Promise<void> {
    const address = req.socket.remoteAddress ?? 'unknown';
    // A stream asked for while the server stops would hold it open: refused, as a full server refuses.
    if (this.stopping) throw new JsonRpcHttpError(503, -32000, 'The server is restarting. Open a new stream in a moment.');
    if (this.streams.size >= this.config.sse.maxStreams) {
      throw new JsonRpcHttpError(503, -32000, 'Too many open event streams. Try again later.');
    }
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.config.sse.maxStreamsPerClient) {
      throw new JsonRpcHttpError(429, -32000, 'Too many open event streams from this client. Close one and try again.');
    }
    const { sse } = this.config;
    const transport = new SseStreamTransport(res, { endpoint: SSE_MESSAGES_PATH, maxBufferedBytes: sse.maxBufferedBytes, idleMs: sse.idleTimeoutMs });
    this.streams.set(transport.id, transport);
    this.perAddress.set(address, mine + 1);
    const server = this.factory.create('legacy');
    transport.onclose = () => {
      this.streams.delete(transport.id);
      void this.router.release(transport.id);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
      if (transport.closedBy === 'overflow') this.rememberOverflow(transport.id);
      if (transport.closedBy === 'overflow' || transport.closedBy === 'idle') this.logger.debug(`SSE stream closed (${transport.closedBy})`);
      void server.close();
    };
    await server.connect(transport);
    // Another instance may receive this stream's POSTs (several instances on one Redis).
    await this.router.claim(transport.id).catch(() => this.logger.warn('SSE stream not shared: Redis unavailable'));
  }

  /**
   * Hands one POSTed message to its stream, here or (several instances) on the
   * instance that owns it: 202, or 404 (unknown), 503 (reader too slow), 400
   * (not JSON-RPC).
   */
  async post(req: Request, res: Response): Promise<void> {
    const id = req.query['sessionId'];
    if (typeof id !== 'string') throw unknownStream();
    const transport = this.streams.get(id);
    if (this.overflowed.has(id) || transport?.closeIfBehind()) {
      throw new JsonRpcHttpError(503, -32000, 'The event stream fell too far behind and was closed. Open a new stream at GET /mcp.');
    }
    if (!transport && !this.router.enabled) throw unknownStream();
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(req.body);
    } catch {
      throw new JsonRpcHttpError(400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
    }
    const authInfo = (req as Request & { auth?: AuthInfo }).auth;
    if (transport) {
      transport.receive(message, authInfo ? { authInfo } : undefined);
      void this.router.renew(id);
    } else if (!(await this.forward({ streamId: id, message, ...(authInfo ? { auth: forwardedAuth(authInfo) } : {}) }))) {
      throw unknownStream();
    }
    res.status(202).end();
  }

  private async forward(forwarded: ForwardedMessage): Promise<boolean> {
    try {
      return await this.router.forward(forwarded);
    } catch {
      throw new JsonRpcHttpError(503, -32000, 'Event streams are temporarily unavailable. Try again in a moment.');
    }
  }

  /** A message another instance received for a stream of this one. */
  private deliverForwarded({ streamId, message, auth }: ForwardedMessage): void {
    const transport = this.streams.get(streamId);
    if (!transport || transport.closeIfBehind()) return;
    transport.receive(message, auth ? { authInfo: receivedAuth(auth) } : undefined);
    void this.router.renew(streamId);
  }

  private rememberOverflow(id: string): void {
    this.overflowed.add(id);
    if (this.overflowed.size > OVERFLOW_MEMORY) this.overflowed.delete(this.overflowed.values().next().value!);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeAll();
  }

  private stopping = false;

  /** Ends every open stream and refuses new ones from now on (a graceful stop: streams would hold the server open). */
  async closeAll(): Promise<void> {
    this.stopping = true;
    const open = [...this.streams.values()];
    if (open.length > 0) this.logger.log(`Closing ${open.length} SSE stream(s)`);
    await Promise.all(open.map((transport) => transport.close()));
  }
}
