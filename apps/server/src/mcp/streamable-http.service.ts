/**
 * Streamable HTTP at POST /mcp, one stateless exchange per POST, so any
 * instance can answer any request. The SDK's own entry, `createMcpHandler`,
 * serves revision 2026-07-28 (`server/discover`, the per-request envelope);
 * the 2025 revisions take the documented composition's other branch (the
 * SDK's `isLegacyRequest` rule: no envelope claim, no modern version header)
 * to our legacy leg (legacy-json.transport.ts), which answers in JSON from the
 * same factory. In front of both: the batch policy (batch-policy.ts).
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  type AuthInfo,
  createMcpHandler,
  type JSONRPCMessage,
  type McpHttpHandler,
  parseJSONRPCMessage,
  PROTOCOL_VERSION_META_KEY,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { writeJson } from '../http/write-json.js';
import { BearerAuth, InvalidTokenError, TokenCheckUnavailableError } from '../oauth/bearer-auth.js';
import { applyBatchPolicy, MAX_BATCH_ANSWER_BYTES } from './batch-policy.js';
import { LegacyJsonTransport } from './legacy-json.transport.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { toWebRequest, writeWebResponse } from './web-exchange.js';

/** A request whose JSON body is read and whose bearer token, if any, is verified. */
export type McpHttpRequest = IncomingMessage & { body?: unknown; auth?: AuthInfo };

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

@Injectable()
export class StreamableHttpService implements OnApplicationShutdown {
  private readonly logger = new Logger('MCP');
  private readonly modern: McpHttpHandler;

  constructor(
    private readonly factory: McpServerFactory,
    private readonly bearer: BearerAuth,
  ) {
    this.modern = createMcpHandler(({ era }) => factory.create(era), {
      legacy: 'reject',
      onerror: (error) => this.logger.debug(`MCP request refused: ${error.message}`),
    });
  }

  /** One POST /mcp exchange, on plain Node objects: Express and the fast entry (mcp-fast-entry.ts) both call it. */
  async handle(req: McpHttpRequest, res: ServerResponse): Promise<void> {
    await authenticate(this.bearer, req);
    const protocolVersionHeader = header(req, 'mcp-protocol-version');
    const body = applyBatchPolicy(req.body, protocolVersionHeader);
    if (body === undefined) {
      res.writeHead(202).end();
      return;
    }
    if (isLegacyTraffic(body, protocolVersionHeader)) return this.serveLegacy(req, res, body, protocolVersionHeader);
    return this.serveModern(req, res, body);
  }

  private async serveModern(req: McpHttpRequest, res: ServerResponse, body: unknown): Promise<void> {
    const response = await this.modern.fetch(toWebRequest(req), { parsedBody: body, ...(req.auth && { authInfo: req.auth }) });
    await writeWebResponse(response, res);
  }

  /** A 2025-era exchange: the SDK's stateless transport's checks, then a fresh server over a JSON transport. */
  private async serveLegacy(req: McpHttpRequest, res: ServerResponse, body: unknown, version: string | undefined): Promise<void> {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      throw new JsonRpcHttpError(406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    const batch = Array.isArray(body);
    const messages = (batch ? body : [body]).map(toMessage);
    const initializing = messages.some((m) => 'method' in m && m.method === 'initialize');
    if (initializing && messages.length > 1) throw new JsonRpcHttpError(400, -32600, 'Invalid Request: Only one initialization request is allowed');
    if (!initializing && version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      throw new JsonRpcHttpError(400, -32000, `Bad Request: Unsupported protocol version: ${version}`);
    }
    const requestIds: RequestId[] = messages.flatMap((m) => ('method' in m && 'id' in m ? [m.id] : []));
    if (requestIds.length === 0) {
      res.writeHead(202).end();
      return;
    }
    const server = this.factory.create('legacy');
    const transport = new LegacyJsonTransport(requestIds);
    // A client that leaves aborts handlers still running. An answered exchange
    // holds nothing and is simply dropped (closing would cost an error per call).
    let answered = false;
    res.once('close', () => answered || void server.close());
    await server.connect(transport);
    transport.deliver(messages, req.auth ? { authInfo: req.auth } : undefined);
    const responses = await transport.answered;
    answered = true;
    // The client left (the exchange was closed with nothing answered): there is no one to write to.
    if (res.destroyed || responses.length === 0) return;
    const text = JSON.stringify(batch ? responses : responses[0]);
    if (batch && Buffer.byteLength(text) > MAX_BATCH_ANSWER_BYTES) throw tooLarge();
    writeJson(res, 200, text);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.modern.close();
  }
}

/**
 * Verifies the request's bearer token into `req.auth`; an invalid one (or
 * none, with REQUIRE_AUTH) is a 401 with the `WWW-Authenticate` challenge,
 * and a token store that does not answer a 503.
 */
export async function authenticate(bearer: BearerAuth, req: McpHttpRequest): Promise<void> {
  try {
    const auth = await bearer.authenticate(req);
    if (auth) req.auth = auth;
  } catch (error) {
    if (error instanceof TokenCheckUnavailableError) throw new JsonRpcHttpError(503, -32000, error.message, { 'Retry-After': '1' });
    if (!(error instanceof InvalidTokenError)) throw error;
    throw new JsonRpcHttpError(401, -32000, `Unauthorized: ${error.message}`, { 'WWW-Authenticate': bearer.challenge(error) });
  }
}

const FIRST_MODERN_REVISION = '2026-07-28';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * 2025-era traffic by the SDK's own rule (`isLegacyRequest`): no message
 * claims a revision in its `_meta` envelope and no `MCP-Protocol-Version`
 * header names 2026-07-28 or later. Anything else goes to `createMcpHandler`,
 * which classifies it fully and answers or refuses it; checking only this
 * here spares the 2025 leg the full classifier (~20 µs a request).
 */
export function isLegacyTraffic(body: unknown, protocolVersionHeader: string | undefined): boolean {
  if (protocolVersionHeader !== undefined && !(protocolVersionHeader.trim() < FIRST_MODERN_REVISION)) return false;
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.every((message) => {
    const meta = isObject(message) && isObject(message['params']) ? message['params']['_meta'] : undefined;
    return !(isObject(meta) && PROTOCOL_VERSION_META_KEY in meta);
  });
}


function toMessage(item: unknown): JSONRPCMessage {
  try {
    return parseJSONRPCMessage(item);
  } catch {
    throw new JsonRpcHttpError(400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
  }
}

function tooLarge(): JsonRpcHttpError {
  return new JsonRpcHttpError(400, -32600, 'Invalid Request: the answer to this batch is too large; send fewer requests at once');
}
