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
