import { HttpException } from '@nestjs/common';

/** An HTTP refusal on an MCP route, answered as a JSON-RPC error object (with any extra headers, e.g. `Allow`). */
export class JsonRpcHttpError extends HttpException {
  constructor(
    status: number,
    readonly rpcCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message, status);
  }
}

/** How an error on an MCP route is answered: status, extra headers and a JSON-RPC error body without details. */
export function jsonRpcAnswer(error: unknown): { status: number; headers: Readonly<Record<string, string>>; body: object } {
  const status = error instanceof HttpException ? error.getStatus() : 500;
  const message = error instanceof HttpException ? error.message : 'Internal server error';
  const code = error instanceof JsonRpcHttpError ? error.rpcCode : status === 400 ? -32700 : -32000;
  const headers = error instanceof JsonRpcHttpError ? error.headers : {};
  return { status, headers, body: { jsonrpc: '2.0', error: { code, message }, id: null } };
}
