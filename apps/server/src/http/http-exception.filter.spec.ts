import { describe, expect, it, jest } from '@jest/globals';
import { type ArgumentsHost, HttpException, Logger } from '@nestjs/common';
import { HttpExceptionFilter } from './http-exception.filter.js';

function answer(error: unknown, headersSent = false) {
  const res = { headersSent, status: jest.fn(), set: jest.fn(), json: jest.fn(), end: jest.fn() };
  res.status.mockReturnValue(res);
  res.set.mockReturnValue(res);
  const req = { method: 'POST', originalUrl: '/api/session/credentials?password=hunter2' };
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  const error_ = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    new HttpExceptionFilter().catch(error, host);
    const contexts = [...error_.mock.contexts, ...warn.mock.contexts].map((logger) => (logger as { context?: string }).context);
    return { res, contexts, logged: { error: error_.mock.calls.map(String), warn: warn.mock.calls.map(String) } };
  } finally {
    error_.mockRestore();
    warn.mockRestore();
  }
}

describe(HttpExceptionFilter.name, () => {
  it('names each refusal by its status', () => {
    const codes = Object.fromEntries(
      [400, 401, 403, 404, 405, 409, 413, 415, 422, 500, 503].map((status) => [status, answer(new HttpException('Nope.', status)).res.json.mock.calls[0]![0]]),
    );
    expect(codes).toEqual({
      400: { error: 'invalid_input', message: 'Nope.' },
      401: { error: 'unauthorized', message: 'Nope.' },
      403: { error: 'forbidden', message: 'Nope.' },
      404: { error: 'not_found', message: 'Nope.' },
      405: { error: 'method_not_allowed', message: 'Nope.' },
      409: { error: 'error', message: 'Nope.' },
      413: { error: 'payload_too_large', message: 'Nope.' },
      415: { error: 'unsupported_media_type', message: 'Nope.' },
      422: { error: 'error', message: 'Nope.' },
      500: { error: 'unavailable', message: 'Nope.' },
      503: { error: 'unavailable', message: 'Nope.' },
    });
  });

  it('answers an unexpected error with 500 and no detail, and logs its name and the path without the query', () => {
    const { res, logged } = answer(new TypeError('secret detail'));
    expect(res.status).toHaveBeenCalledWith(500);
    expect(res.json).toHaveBeenCalledWith({ error: 'unavailable', message: 'Internal server error' });
    expect(logged).toEqual({ error: ['POST /api/session/credentials failed: TypeError'], warn: [] });
    expect(answer('a string').logged.error).toEqual(['POST /api/session/credentials failed: unknown']);
    expect(answer(new Error('x')).contexts).toEqual(['HTTP']);
  });

  it('logs a refused request only when the refusal is the server’s fault (5xx)', () => {
    expect(answer(new HttpException('Down.', 503)).logged).toEqual({ error: [], warn: ['POST /api/session/credentials refused: Down.'] });
    expect(answer(new HttpException('Down.', 500)).logged.warn).toHaveLength(1);
    expect(answer(new HttpException('No.', 499)).logged).toEqual({ error: [], warn: [] });
  });

  it('only ends a response whose headers are already out', () => {
    const { res } = answer(new HttpException('Late.', 500), true);
    expect(res.end).toHaveBeenCalled();
    expect(res.status).not.toHaveBeenCalled();
  });
});
