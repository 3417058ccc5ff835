import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { jsonRpcAnswer } from '../http/json-rpc-error.js';

/** MCP's HTTP refusals as JSON-RPC error objects (the fast entry answers with the same `jsonRpcAnswer`). */
@Catch()
export class JsonRpcExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request): { status: number; body: object; headers: Readonly<Record<string, string>> } {
    const answer = jsonRpcAnswer(error);
    this.report(error, req, answer.status);
    return answer;
  }
}
