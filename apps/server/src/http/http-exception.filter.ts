/**
 * The one place errors become HTTP answers. MCP routes answer JSON-RPC error
 * objects, the REST API `{ error, message }`. Unexpected errors are logged by
 * name only and answered without stack, path or input.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StepError } from '../session/step-error.js';
import { jsonRpcAnswer } from './json-rpc-error.js';

const STEP_STATUS: Record<StepError['code'], number> = {
  invalid_input: 400,
  invalid_session: 404,
  expired: 410,
  wrong_step: 409,
  invalid_credentials: 401,
  wrong_code: 401,
  locked: 423,
  unavailable: 503,
};

const isRpcPath = (path: string): boolean => path === '/mcp' || path === '/messages';

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // Middleware mounted on a path sees `path` relative to it; the original URL is whole.
    const path = req.originalUrl.split('?')[0] ?? '';
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof StepError) {
      res.status(STEP_STATUS[error.code]).json(error.toResult());
      return;
    }
    const status = error instanceof HttpException ? error.getStatus() : 500;
    const message = error instanceof HttpException ? error.message : 'Internal server error';
    if (!(error instanceof HttpException)) this.logger.error(`${req.method} ${path} failed: ${error instanceof Error ? error.name : 'unknown'}`);
    else if (status >= 500) this.logger.warn(`${req.method} ${path} refused: ${message}`);
    if (isRpcPath(path)) {
      const answer = jsonRpcAnswer(error);
      res.status(answer.status).set(answer.headers).json(answer.body);
      return;
    }
    res.status(status).json({ error: errorCode(status), message });
  }
}

function errorCode(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_input';
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
