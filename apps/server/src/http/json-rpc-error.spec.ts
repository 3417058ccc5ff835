import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { JsonRpcHttpError, jsonRpcAnswer } from './json-rpc-error.js';

describe(jsonRpcAnswer.name, () => {
  it('answers an unexpected error as a bare 500, without its message', () => {
    expect(jsonRpcAnswer(new Error('password=hunter2 at db.ts:12'))).toEqual({
      status: 500,
      headers: {},
      body: { jsonrpc: '2.0', error: { code: -32000, message: 'Internal server error' }, id: null },
    });
  });

  it('keeps an HTTP refusal: status and message, -32700 for a 400, -32000 otherwise', () => {
    expect(jsonRpcAnswer(new BadRequestException('Body is not JSON'))).toMatchObject({ status: 400, body: { error: { code: -32700, message: 'Body is not JSON' } } });
    expect(jsonRpcAnswer(new NotFoundException('Unknown session'))).toMatchObject({ status: 404, body: { error: { code: -32000, message: 'Unknown session' } } });
  });

  it('keeps a JSON-RPC refusal its own code and headers', () => {
    const answer = jsonRpcAnswer(new JsonRpcHttpError(405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' }));
    expect(answer).toEqual({ status: 405, headers: { allow: 'GET, POST, DELETE' }, body: { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null } });
  });
});
