import { HttpException } from '@nestjs/common';

/** An HTTP refusal on an MCP route, answered as a JSON-RPC error object. */
export class JsonRpcHttpError extends HttpException {
  constructor(
    status: number,
    readonly rpcCode: number,
    message: string,
  ) {
    super(message, status);
  }
}
