/**
 * Reads JSON bodies with a size limit, before any other work. A declared
 * Content-Length over the limit is refused before a byte is read, and a
 * chunked body is cut off as soon as it passes the limit (body-parser would
 * read such a body to its end first, however long it streams); both are 413
 * and close the connection so the client stops sending. Malformed JSON is 400,
 * another content type 415. As an interceptor it runs inside the controller's
 * scope, so its refusals take that surface's error shape; the MCP fast entry
 * (../mcp/mcp-fast-entry.ts) calls `readJsonBody` itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  type HttpException,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import getRawBody from 'raw-body';
import { AppConfig } from '../config/app-config.js';

@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly limit: number;

  constructor(config: AppConfig) {
    this.limit = config.maxBodyBytes;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (req.method === 'POST') req.body = await readJsonBody(req, http.getResponse<Response>(), this.limit);
    return next.handle();
  }
}

/** The parsed JSON body (undefined when empty), or a 415, 413 or 400 HttpException. */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeException('Unsupported Media Type: Content-Type must be application/json');
  }
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(res);
  let text: string;
  try {
    text = await getRawBody(req, { limit, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge(res);
    throw new BadRequestException('Could not read the request body');
  }
  try {
    return text.length === 0 ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw new BadRequestException('Parse error: the body is not valid JSON');
  }
}

/** 413, and the connection closes after the answer instead of reading the rest of the body. */
function tooLarge(res: ServerResponse): HttpException {
  res.setHeader('Connection', 'close');
  res.once('finish', () => res.req.socket.destroySoon());
  return new PayloadTooLargeException('Payload too large');
}
