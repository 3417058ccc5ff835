import { describe, expect, it, jest } from '@jest/globals';
import { type ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { PasskeyError } from '../accounts/passkeys.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { StepError } from '../session/step-error.js';
import { PasskeyPageExceptionFilter, PasskeyPageRefusal } from './passkey-page-exception.filter.js';

/** What the filter answers for `error`: status, headers and body. */
function answer(error: unknown) {
  const res = { headersSent: false, status: jest.fn(), set: jest.fn(), json: jest.fn() };
  res.status.mockReturnValue(res);
  res.set.mockReturnValue(res);
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'POST', originalUrl: '/auth/passkey' }) }) } as unknown as ArgumentsHost;
  const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  try {
    new PasskeyPageExceptionFilter().catch(error, host);
  } finally {
    logged.mockRestore();
  }
  return { status: res.status.mock.calls[0]![0], headers: res.set.mock.calls[0]![0] as Record<string, string>, body: res.json.mock.calls[0]![0] };
}

describe(PasskeyPageExceptionFilter.name, () => {
  it("answers the page's own refusals and refused passkeys in their words, never cached", () => {
    expect(answer(new PasskeyPageRefusal(403, 'forbidden', 'Not from here.'))).toEqual({ status: 403, headers: { 'Cache-Control': 'no-store' }, body: { error: 'forbidden', message: 'Not from here.' } });
    expect(new PasskeyPageRefusal(403, 'forbidden', 'x').name).toBe('PasskeyPageRefusal');
    expect(answer(new PasskeyError('That passkey could not be checked. Try again.'))).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store' },
      body: { error: 'passkey_refused', message: 'That passkey could not be checked. Try again.' },
    });
  });

  it('says a sign-in that is over, expired or locked is gone (410), and any other step refusal is a bad request', () => {
    for (const code of ['invalid_session', 'expired', 'locked'] as const) {
      expect(answer(new StepError(code, 'Start again from the chat.'))).toEqual({ status: 410, headers: { 'Cache-Control': 'no-store' }, body: { error: 'gone', message: 'Start again from the chat.' } });
    }
    expect(answer(new StepError('wrong_step', 'Choose who is signing in.'))).toEqual({ status: 400, headers: { 'Cache-Control': 'no-store' }, body: { error: 'invalid_request', message: 'Choose who is signing in.' } });
  });

  it('asks to try again later when a store does not answer, in its own words or the page\'s', () => {
    expect(answer(new StepError('unavailable', 'Sign-in is busy.'))).toEqual({
      status: 503,
      headers: { 'Cache-Control': 'no-store', 'Retry-After': '5' },
      body: { error: 'unavailable', message: 'Sign-in is busy.' },
    });
    expect(answer(new StoreUnavailableError('redis down'))).toMatchObject({ status: 503, body: { error: 'unavailable', message: 'Signing in is unavailable for a moment. Try again shortly.' } });
  });

  it('answers the rest as usual, without caching and without the error itself', () => {
    expect(answer(new BadRequestException('Malformed JSON.'))).toEqual({ status: 400, headers: { 'Cache-Control': 'no-store' }, body: { error: 'invalid_input', message: 'Malformed JSON.' } });
    expect(answer(new Error('secret detail'))).toEqual({ status: 500, headers: { 'Cache-Control': 'no-store' }, body: { error: 'unavailable', message: 'Internal server error' } });
  });
});
