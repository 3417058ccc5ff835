import { describe, expect, it } from '@jest/globals';
import { DEV_PROVIDER, DEV_RIGHT_CODE, DEV_SESSION_ID, DEV_START_URL, FakeBackend } from './fake-backend';

const sessionId = DEV_SESSION_ID;

describe(FakeBackend.name, () => {
  it('follows the demo rules in the fresh scenario', () => {
    const sut = new FakeBackend('fresh');
    expect(sut.initialOutput().structuredContent).toEqual({ sessionId, authenticated: false, step: 'credentials' });
    expect(sut.call('submit-target-credentials', { sessionId, email: 'a@b.co', password: 'x' }).structuredContent).toEqual({
      step: 'verify',
      purpose: 'sign-in',
      delivery: { method: 'email', sentTo: 'a•••@b.co' },
    });
    expect(sut.call('resend-target-code', { sessionId }).structuredContent).toMatchObject({ step: 'verify' });
    expect(sut.call('verify-target-code', { sessionId, code: '999999' }).structuredContent).toMatchObject({ authenticated: true, name: 'Lauren Bailey', email: 'a@b.co' });
  });

  it('opens signed in, expired or locked as the scenario says', () => {
    expect(new FakeBackend('signed-in').initialOutput().structuredContent).toMatchObject({ authenticated: true });
    expect(new FakeBackend('expired').initialOutput()).toMatchObject({ isError: true, structuredContent: { error: 'expired' } });
    const locked = new FakeBackend('locked');
    expect(locked.initialOutput()).toMatchObject({ isError: true, structuredContent: { error: 'locked', attemptsLeft: 0 } });
    expect(locked.call('verify-target-code', { sessionId, code: DEV_RIGHT_CODE }).structuredContent).toMatchObject({ error: 'locked' });
  });

  it('counts wrong codes in the wrong-code scenario', () => {
    const sut = new FakeBackend('wrong-code');
    sut.call('submit-target-credentials', { sessionId, email: 'a@b.co', password: 'x' });
    expect(sut.call('verify-target-code', { sessionId, code: '000000' }).structuredContent).toMatchObject({ error: 'wrong_code', attemptsLeft: 4 });
    expect(sut.call('verify-target-code', { sessionId, code: DEV_RIGHT_CODE }).structuredContent).toMatchObject({ authenticated: true });
  });

  it('locks after the fifth wrong code in the wrong-code scenario', () => {
    const sut = new FakeBackend('wrong-code');
    sut.call('submit-target-credentials', { sessionId, email: 'a@b.co', password: 'x' });
    for (let i = 0; i < 4; i++) sut.call('verify-target-code', { sessionId, code: '000000' });
    expect(sut.call('verify-target-code', { sessionId, code: '000000' }).structuredContent).toMatchObject({ error: 'locked', attemptsLeft: 0 });
    expect(sut.call('verify-target-code', { sessionId, code: DEV_RIGHT_CODE }).structuredContent).toMatchObject({ error: 'locked' });
  });

  it('resets a password: code, then a new password of 8 characters or more', () => {
    const sut = new FakeBackend('fresh');
    expect(sut.call('reset-target-password', { sessionId, email: 'a@b.co' }).structuredContent).toMatchObject({ step: 'verify', purpose: 'reset' });
    expect(sut.call('verify-target-code', { sessionId, code: '111111' }).structuredContent).toEqual({ authenticated: false, step: 'new-password' });
    expect(sut.call('set-target-password', { sessionId, password: 'short' }).structuredContent).toMatchObject({ error: 'weak_password' });
    expect(sut.call('set-target-password', { sessionId, password: 'long enough' }).structuredContent).toMatchObject({ authenticated: true });
  });

  it('asks a household who is signing in', () => {
    const sut = new FakeBackend('household');
    sut.call('submit-target-credentials', { sessionId, email: 'a@b.co', password: 'x' });
    const picker = sut.call('verify-target-code', { sessionId, code: '111111' }).structuredContent as { profiles: { id: string }[] };
    expect(picker).toMatchObject({ step: 'profile' });
    expect(sut.call('select-target-profile', { sessionId, profileId: 'nobody' }).structuredContent).toMatchObject({ error: 'invalid_input' });
    expect(sut.call('select-target-profile', { sessionId, profileId: picker.profiles[1]!.id }).structuredContent).toMatchObject({ authenticated: true, profile: 'Sam Bailey' });
  });

  it('offers Google in the upstream scenario: a start link and code, two polls still away, then signed in; cancel goes back', () => {
    const sut = new FakeBackend('upstream');
    expect(sut.initialOutput().structuredContent).toEqual({ sessionId, authenticated: false, step: 'credentials', providers: [DEV_PROVIDER] });
    expect(new FakeBackend('fresh').initialOutput().structuredContent).not.toHaveProperty('providers');
    expect(sut.call('start-target-upstream', { sessionId, provider: 'google' }).structuredContent).toMatchObject({ step: 'upstream', provider: DEV_PROVIDER, url: DEV_START_URL, code: 'BCDF-GHJK' });
    expect(sut.call('check-target-upstream', { sessionId }).structuredContent).toEqual({ sessionId, authenticated: false, step: 'upstream' });
    expect(sut.call('check-target-upstream', { sessionId, cancel: true }).structuredContent).toEqual({ sessionId, authenticated: false, step: 'credentials' });
    sut.call('start-target-upstream', { sessionId, provider: 'google' });
    expect(sut.call('check-target-upstream', { sessionId }).structuredContent).toMatchObject({ step: 'upstream' });
    expect(sut.call('check-target-upstream', { sessionId }).structuredContent).toMatchObject({ step: 'upstream' });
    expect(sut.call('check-target-upstream', { sessionId }).structuredContent).toMatchObject({ authenticated: true, name: 'Lauren Bailey' });
    expect(sut.call('start-target-upstream', { sessionId, provider: 'google' })).toMatchObject({ isError: true });
  });
});
