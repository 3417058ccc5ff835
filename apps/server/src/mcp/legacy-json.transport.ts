/**
 * One stateless 2025-era Streamable HTTP exchange as an SDK `Transport`: the
 * POSTed messages go to a fresh server, its responses are collected and
 * answered as one JSON body. This is the "legacy leg" the SDK's docs let an
 * application wire itself next to `createMcpHandler` (see
 * streamable-http.service.ts); ours skips the SDK leg's web Request/Response,
 * streams and abort signals, which cost more than half of a request here
 * (docs/benchmarks.md). The SDK's `Server` still does all the dispatching.
 */
import type { JSONRPCMessage, MessageExtraInfo, RequestId, Transport } from '@modelcontextprotocol/server';

export class LegacyJsonTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  private readonly awaiting: Set<RequestId>;
  private readonly responses: JSONRPCMessage[] = [];
  private settle!: (responses: JSONRPCMessage[]) => void;
  /** Resolves with every response once each request has one (or the exchange closed). */
  readonly answered = new Promise<JSONRPCMessage[]>((resolve) => (this.settle = resolve));

  constructor(requestIds: readonly RequestId[]) {
    this.awaiting = new Set(requestIds);
  }

  async start(): Promise<void> {}

  /** Delivers the exchange's messages to the server. */
  deliver(messages: readonly JSONRPCMessage[], extra?: MessageExtraInfo): void {
    for (const message of messages) this.onmessage?.(message, extra);
  }

  /** Keeps responses to this POST's requests; server notifications have nowhere to go without a stream. */
  async send(message: JSONRPCMessage): Promise<void> {
    if ('method' in message || message.id === undefined || !this.awaiting.delete(message.id)) return;
    this.responses.push(message);
    if (this.awaiting.size === 0) this.settle(this.responses);
  }

  async close(): Promise<void> {
    this.settle(this.responses);
    this.onclose?.();
  }
}
