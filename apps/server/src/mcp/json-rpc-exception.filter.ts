import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { jsonRpcAnswer } from '../http/json-rpc-error.js';

/** MCP's HTTP refusals as JSON-RPC error objects (the fast entry answers with the same `jsonRpcAnswer`). */
@Catch()
export class JsonRpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('MCP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    if (!(error instanceof HttpException)) {
      const req = http.getRequest<Request>();
      this.logger.error(`${req.method} ${req.originalUrl.split('?')[0]} failed: ${error instanceof Error ? error.name : 'unknown'}`);
    }
    const answer = jsonRpcAnswer(error);
    res.status(answer.status).set(answer.headers).json(answer.body);
  }
}
