/**
 * One legacy HTTP+SSE stream as an SDK `Transport`: the `endpoint` event, then
 * every server message as a `message` event. The v2 SDK no longer serves this
 * transport (its frozen v1 copy buffers without bound and echoes bad bodies
 * into error answers), so it lives here, with what a public server needs: an
 * outgoing buffer that a client who stops reading cannot grow past a bound
 * (the stream is closed and its queue dropped) and an idle timeout.
 * SseStreamsService (sse-streams.service.ts) owns the open streams.
 */
import { randomBytes } from 'node:crypto';
import type { JSONRPCMessage, MessageExtraInfo, Transport } from '@modelcontextprotocol/server';
import type { Response } from 'express';

export interface SseStreamOptions {
  /** Path the client POSTs its messages to; the stream id is added as `sessionId`. */
  endpoint: string;
  /** Bytes that may wait for a slow reader before the stream is closed. */
  maxBufferedBytes: number;
  /** Closes the stream when no message arrives for this long. */
  idleMs: number;
}

export type SseCloseReason = 'client' | 'server' | 'idle' | 'overflow';

export class SseStreamTransport implements Transport {
  /** 144 random bits; the `sessionId` of the POST endpoint. */
  readonly id = randomBytes(18).toString('base64url');
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Why the stream ended, once it has. */
  closedBy: SseCloseReason | undefined;

  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: Response,
    private readonly options: SseStreamOptions,
  ) {}

  async start(): Promise<void> {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
    });
    this.res.write(`event: endpoint\ndata: ${this.options.endpoint}?sessionId=${this.id}\n\n`);
    this.res.on('close', () => this.end('client'));
    this.idleTimer = setTimeout(() => this.end('idle'), this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Whether the client has stopped reading past the bound; if so, closes the stream. */
  closeIfBehind(): boolean {
    if (this.res.writableLength <= this.options.maxBufferedBytes) return false;
    this.end('overflow');
    return true;
  }

  /** Hands a client message (already checked) to the server and restarts the idle clock. */
  receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.idleTimer?.refresh();
    this.onmessage?.(message, extra);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closedBy) return;
    const frame = `event: message\ndata: ${JSON.stringify(message)}\n\n`;
    if (this.res.writableLength + Buffer.byteLength(frame) > this.options.maxBufferedBytes) {
      this.end('overflow');
      return;
    }
    this.res.write(frame);
  }

  async close(): Promise<void> {
    this.end('server');
  }

  private end(reason: SseCloseReason): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    clearTimeout(this.idleTimer);
    // A reader that stopped would never take what is queued: drop it with the socket.
    if (reason === 'overflow') this.res.destroy();
    else this.res.end();
    this.onclose?.();
  }
}
