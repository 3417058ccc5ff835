/**
 * One stateless Streamable HTTP exchange as an SDK `Transport`: the POSTed
 * messages go to a fresh McpServer, its responses are collected and answered
 * as one JSON body. It replaces the SDK's StreamableHTTPServerTransport for
 * POST /mcp because that one converts every Node request to a Web Request and
 * back (measured: a quarter of each request's CPU; docs/benchmarks.md). The
 * header and message checks follow that transport's JSON-response mode.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type JSONRPCRequest,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import type { Request } from 'express';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';

const MAX_BATCH_SIZE = 100;

const isRequest = (message: JSONRPCMessage): message is JSONRPCRequest => 'method' in message && 'id' in message;

/** The checked messages of a POST and the ids of its requests, or an HTTP refusal. */
export function readMessages(req: Request): { messages: JSONRPCMessage[]; requestIds: RequestId[]; batch: boolean } {
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    throw new JsonRpcHttpError(406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  const body: unknown = req.body;
  const batch = Array.isArray(body);
  const raw = batch ? body : [body];
  if (raw.length === 0 || raw.length > MAX_BATCH_SIZE) {
    throw new JsonRpcHttpError(400, -32600, `Invalid Request: a batch holds 1 to ${MAX_BATCH_SIZE} messages`);
  }
  const messages: JSONRPCMessage[] = [];
  for (const item of raw) {
    const parsed = JSONRPCMessageSchema.safeParse(item);
    if (!parsed.success) throw new JsonRpcHttpError(400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
    messages.push(parsed.data);
  }
  const requests = messages.filter(isRequest);
  const initializing = requests.some((message) => message.method === 'initialize');
  if (initializing && messages.length > 1) {
    throw new JsonRpcHttpError(400, -32600, 'Invalid Request: Only one initialization request is allowed');
  }
  const version = req.headers['mcp-protocol-version'];
  if (!initializing && typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new JsonRpcHttpError(400, -32000, `Bad Request: Unsupported protocol version: ${version}`);
  }
  return { messages, requestIds: requests.map((message) => message.id), batch };
}

export class StatelessJsonTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  private readonly awaiting: Set<RequestId>;
  private readonly responses: JSONRPCMessage[] = [];
  private settle!: (responses: JSONRPCMessage[]) => void;
  /** Resolves with every response once each request has one (or the exchange closed). */
  readonly answered = new Promise<JSONRPCMessage[]>((resolve) => (this.settle = resolve));

  constructor(requestIds: RequestId[]) {
    this.awaiting = new Set(requestIds);
  }

  async start(): Promise<void> {}

  /** Keeps responses to this POST's requests; server notifications have nowhere to go without a stream. */
  async send(message: JSONRPCMessage): Promise<void> {
    if ('method' in message || !('id' in message) || message.id === undefined || !this.awaiting.delete(message.id)) return;
    this.responses.push(message);
    if (this.awaiting.size === 0) this.settle(this.responses);
  }

  async close(): Promise<void> {
    this.settle(this.responses);
    this.onclose?.();
  }
}
