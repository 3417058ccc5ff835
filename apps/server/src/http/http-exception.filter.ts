/**
 * The default error answer, `{ error, message }` with the HTTP status, for any
 * route whose controller chose no shape of its own; the API adds its domain
 * refusals (../api/api-exception.filter.ts) and MCP answers JSON-RPC errors
 * (../mcp/json-rpc-exception.filter.ts). Unexpected errors are logged by name
 * only and answered without stack, path or input.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  protected readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    const { status, body, headers = {} } = this.answer(error, http.getRequest<Request>());
    res.status(status).set(headers).json(body);
  }

  /** The status, body and any extra headers for an error; subclasses answer in their own shape. */
  protected answer(error: unknown, req: Request): { status: number; body: object; headers?: Readonly<Record<string, string>> } {
    const status = error instanceof HttpException ? error.getStatus() : 500;
    const message = error instanceof HttpException ? error.message : 'Internal server error';
    this.report(error, req, status);
    return { status, body: { error: errorCode(status), message } };
  }

  /** Logs an unexpected error by name, and a refusal of ours that answers 5xx with its message. */
  protected report(error: unknown, req: Request, status: number): void {
    const path = req.originalUrl.split('?')[0] ?? '';
    if (!(error instanceof HttpException)) this.logger.error(`${req.method} ${path} failed: ${error instanceof Error ? error.name : 'unknown'}`);
    else if (status >= 500) this.logger.warn(`${req.method} ${path} refused: ${error.message}`);
  }
}

function errorCode(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_input';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return status >= 500 ? 'unavailable' : 'error';
  }
}
