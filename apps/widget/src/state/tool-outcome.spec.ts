import { describe, expect, it } from '@jest/globals';
import { codeEvent, credentialsEvent, shownEvent } from './tool-outcome';

describe('tool outcomes', () => {
  it('reads an expired authenticate-target result, with or without isError', () => {
    const refusal = { error: 'expired', message: 'Your session has expired. Please log in again.' };
    expect(shownEvent({ isError: true, structuredContent: refusal })).toMatchObject({ type: 'session_ended' });
    expect(shownEvent({ structuredContent: refusal })).toMatchObject({ type: 'session_ended' });
  });

  it('fails the load on a result it cannot read', () => {
    expect(shownEvent({ structuredContent: { hello: 1 } }, 'sess_1')).toMatchObject({ type: 'load_failed', sessionId: 'sess_1' });
    expect(shownEvent({ isError: true, content: [{ type: 'text', text: 'Boom' }] })).toEqual({ type: 'load_failed', message: 'Boom', sessionId: undefined });
  });

  it('maps step refusals to the right events', () => {
    expect(credentialsEvent({ isError: true, structuredContent: { error: 'invalid_credentials', message: 'No.' } })).toEqual({ type: 'credentials_rejected', message: 'No.' });
    expect(codeEvent({ isError: true, structuredContent: { error: 'wrong_code', message: 'No.', attemptsLeft: 2 } })).toEqual({ type: 'code_rejected', message: 'No.', attemptsLeft: 2 });
    expect(codeEvent({ isError: true, structuredContent: { error: 'locked', message: 'Locked.' } })).toEqual({ type: 'sign_in_locked', message: 'Locked.' });
    expect(codeEvent({ isError: true, structuredContent: { error: 'invalid_session', message: 'Invalid session.' } })).toMatchObject({ type: 'session_ended' });
    expect(codeEvent({ structuredContent: { authenticated: true, name: 'N', email: 'e@x.co' } })).toEqual({ type: 'code_accepted', name: 'N', email: 'e@x.co' });
  });
});
