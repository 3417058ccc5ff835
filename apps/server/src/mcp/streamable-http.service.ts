/**
 * Streamable HTTP at POST /mcp, one stateless exchange per POST, so any
 * instance can answer any request. The SDK's own entry, `createMcpHandler`,
 * serves revision 2026-07-28 (`server/discover`, the per-request envelope);
 * the 2025 revisions take the documented composition's other branch: the
 * SDK's classifier routes them to our legacy leg (legacy-json.transport.ts),
 * which answers in JSON from the same factory. In front of both: the batch
 * policy (batch-policy.ts).
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  type AuthInfo,
  classifyInboundRequest,
  createMcpHandler,
  type JSONRPCMessage,
  type McpHttpHandler,
  parseJSONRPCMessage,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import type { Request, Response } from 'express';
import { JsonRpcHttpError } from '../http/json-rpc-error.js';
import { applyBatchPolicy, MAX_BATCH_ANSWER_BYTES } from './batch-policy.js';
import { LegacyJsonTransport } from './legacy-json.transport.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { toWebRequest, writeWebResponse } from './web-exchange.js';

type WithAuth = Request & { auth?: AuthInfo };

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

@Injectable()
export class StreamableHttpService implements OnApplicationShutdown {
  private readonly logger = new Logger('MCP');
  private readonly modern: McpHttpHandler;

  constructor(private readonly factory: McpServerFactory) {
    this.modern = createMcpHandler(({ era, authInfo }) => factory.create({ era, ...(authInfo && { authInfo }) }), {
      legacy: 'reject',
      onerror: (error) => this.logger.debug(`MCP request refused: ${error.message}`),
    });
  }

  /** One POST /mcp exchange. */
  async handle(req: WithAuth, res: Response): Promise<void> {
    const protocolVersionHeader = header(req, 'mcp-protocol-version');
    const body = applyBatchPolicy(req.body, protocolVersionHeader);
    if (body === undefined) {
      res.status(202).end();
      return;
    }
    const outcome = classifyInboundRequest({
      httpMethod: 'POST',
      body,
      ...(protocolVersionHeader !== undefined && { protocolVersionHeader }),
      ...(header(req, 'mcp-method') !== undefined && { mcpMethodHeader: header(req, 'mcp-method') }),
      ...(header(req, 'mcp-name') !== undefined && { mcpNameHeader: header(req, 'mcp-name') }),
    });
    switch (outcome.kind) {
      case 'reject':
        res.status(outcome.httpStatus).json({ jsonrpc: '2.0', error: { code: outcome.code, message: outcome.message, data: outcome.data }, id: echoableId(body) });
        return;
      case 'modern':
        return this.serveModern(req, res, body);
      case 'legacy':
        return this.serveLegacy(req, res, body, protocolVersionHeader);
    }
  }

  private async serveModern(req: WithAuth, res: Response, body: unknown): Promise<void> {
    const response = await this.modern.fetch(toWebRequest(req, res), { parsedBody: body, ...(req.auth && { authInfo: req.auth }) });
    await writeWebResponse(response, res);
  }

  /** A 2025-era exchange: the SDK's stateless transport's checks, then a fresh server over a JSON transport. */
  private async serveLegacy(req: WithAuth, res: Response, body: unknown, version: string | undefined): Promise<void> {
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
      res.status(202).end();
      return;
    }
    const server = this.factory.create({ era: 'legacy', ...(req.auth && { authInfo: req.auth }) });
    const transport = new LegacyJsonTransport(requestIds);
    // A client that leaves aborts handlers still running. An answered exchange
    // holds nothing and is simply dropped (closing would cost an error per call).
    let answered = false;
    res.once('close', () => answered || void server.close());
    await server.connect(transport);
    transport.deliver(messages, req.auth ? { authInfo: req.auth } : undefined);
    const responses = await transport.answered;
    answered = true;
    if (res.writableEnded) return;
    const text = JSON.stringify(batch ? responses : responses[0]);
    if (batch && Buffer.byteLength(text) > MAX_BATCH_ANSWER_BYTES) throw tooLarge();
    res.status(200).type('application/json').send(text);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.modern.close();
  }
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

/** The id of a single request, for an error answer that can name it. */
function echoableId(body: unknown): string | number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
