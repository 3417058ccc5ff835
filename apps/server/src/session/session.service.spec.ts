import { describe, expect, it } from '@jest/globals';
import { MAX_CODE_ATTEMPTS, SESSION_ID_PATTERN } from '@target-auth/shared/tools';
import { demoBackend } from '../accounts/account-backend.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { sessionService } from '../testing/sessions.js';
import { MemorySessionStore } from './memory-session.store.js';
import { SessionService } from './session.service.js';
import { StepError } from './step-error.js';

const TTL = 600_000;

function setup(env: Record<string, string> = {}, maxSessions = 100) {
  const config = testConfig({ SESSION_TTL_MS: String(TTL), ...env });
  const clock = new FakeClock();
  const store = new MemorySessionStore(clock, { maxSessions, retentionMs: TTL, sweepEveryMs: 1000 });
  const demo = demoBackend(config);
  const sut = sessionService({ store, clock, config, ...demo });
  return { sut, clock, store };
}

async function refusal(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof StepError)) throw new Error(`expected a StepError, got ${String(error)}`);
  return error;
}

describe(SessionService.name, () => {
  describe('create', () => {
    it('makes unguessable ids in the documented format with no timestamp', async () => {
      const { sut, clock } = setup({}, 1000);
      const ids = new Set<string>();
      for (let i = 0; i < 200; i++) ids.add((await sut.create()).sessionId);
      expect(ids.size).toBe(200);
      for (const id of ids) {
        expect(id).toMatch(SESSION_ID_PATTERN);
        expect(id).not.toContain(String(clock.now()));
      }
    });

    it('puts 18 random bytes in every id, each byte position varying across ids', async () => {
      const { sut } = setup({}, 5000);
      const decoded: Buffer[] = [];
      for (let i = 0; i < 3000; i++) decoded.push(Buffer.from((await sut.create()).sessionId.slice('sess_'.length), 'base64url'));
      expect(decoded.every((bytes) => bytes.length === 18)).toBe(true);
      for (let position = 0; position < 18; position++) {
        const seen = new Set(decoded.map((bytes) => bytes[position]));
        // 3 000 draws of a uniform byte show nearly all 256 values; a constant or padded byte shows one.
        expect(seen.size).toBeGreaterThan(200);
      }
    });

    it('expires the pending sign-in one TTL after creation', async () => {
      const { sut, clock } = setup();
      const { expiresAt } = await sut.create();
      expect(expiresAt.getTime()).toBe(clock.now() + TTL);
    });

    it('makes room by evicting sessions nobody opened, keeping opened and signed-in ones', async () => {
      const { sut } = setup({}, 3);
      const signedIn = (await sut.create()).sessionId;
      await sut.submitCredentials(signedIn, 'a@example.com', 'x');
      const opened = (await sut.create()).sessionId;
      await sut.open(opened);
      const idle = (await sut.create()).sessionId;
      await sut.create();
      expect(await sut.view(idle)).toEqual({ state: 'unknown' });
      expect(await sut.view(opened)).toEqual({ state: 'pending', step: 'credentials' });
      expect(await sut.view(signedIn)).toEqual({ state: 'pending', step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
    });

    it('refuses new sessions when every held one is past credentials, and accepts again once they are purged', async () => {
      const { sut, clock } = setup({}, 2);
      for (let i = 0; i < 2; i++) {
        const { sessionId } = await sut.create();
        await sut.submitCredentials(sessionId, 'a@example.com', 'x');
      }
      expect((await refusal(sut.create())).code).toBe('unavailable');
      clock.advance(2 * TTL);
      await expect(sut.create()).resolves.toHaveProperty('sessionId');
    });
  });

  describe('view and expiry', () => {
    it('reads unknown and malformed ids as unknown', async () => {
      const { sut } = setup();
      expect(await sut.view('sess_AAAAAAAAAAAAAAAAAAAAAAAA')).toEqual({ state: 'unknown' });
      expect(await sut.view('../../etc/passwd')).toEqual({ state: 'unknown' });
    });

    it('is pending until the TTL passes, then expired, by the server clock', async () => {
      const { sut, clock } = setup();
      const { sessionId } = await sut.create();
      clock.advance(TTL - 1);
      expect(await sut.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });
      clock.advance(1);
      expect(await sut.view(sessionId)).toEqual({ state: 'expired' });
    });

    it('keeps answering expired until purged, then unknown', async () => {
      const { sut, clock, store } = setup();
      const { sessionId } = await sut.create();
      clock.advance(TTL);
      await store.sweep();
      expect(await sut.view(sessionId)).toEqual({ state: 'expired' });
      clock.advance(TTL);
      await store.sweep();
      expect(await sut.view(sessionId)).toEqual({ state: 'unknown' });
    });

    it('refuses both steps on an expired session', async () => {
      const { sut, clock } = setup();
      const { sessionId } = await sut.create();
      await sut.submitCredentials(sessionId, 'ada@example.com', 'pw');
      clock.advance(TTL);
      expect((await refusal(sut.verifyCode(sessionId, '123456'))).code).toBe('expired');
      expect((await refusal(sut.submitCredentials(sessionId, 'ada@example.com', 'pw'))).code).toBe('expired');
    });
  });

  describe('sign-in steps', () => {
    it('authenticates with the demo identity after credentials then any code', async () => {
      const { sut } = setup();
      const { sessionId } = await sut.create();
      await expect(sut.submitCredentials(sessionId, 'lauren@example.com', 'x')).resolves.toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
      expect(await sut.view(sessionId)).toEqual({ state: 'pending', step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
      await expect(sut.verifyCode(sessionId, '000000')).resolves.toEqual({
        authenticated: true,
        name: 'Lauren Bailey',
        email: 'lauren@example.com',
      });
      expect(await sut.view(sessionId)).toEqual({ state: 'authenticated', name: 'Lauren Bailey', email: 'lauren@example.com', profile: null });
    });

    it('remembers a signed-in session for one TTL from sign-in', async () => {
      const { sut, clock } = setup();
      const { sessionId } = await sut.create();
      await sut.submitCredentials(sessionId, 'a@example.com', 'x');
      clock.advance(TTL - 1000);
      await sut.verifyCode(sessionId, '123456');
      clock.advance(TTL - 1);
      expect((await sut.view(sessionId)).state).toBe('authenticated');
      clock.advance(1);
      expect((await sut.view(sessionId)).state).toBe('expired');
    });

    it('takes names from DEMO_USERS, case-insensitively', async () => {
      const { sut } = setup({ DEMO_USERS: '{"Ada@Example.com":{"name":"Ada Lovelace"}}' });
      const { sessionId } = await sut.create();
      await sut.submitCredentials(sessionId, 'ada@example.COM', 'x');
      await expect(sut.verifyCode(sessionId, '111111')).resolves.toMatchObject({ name: 'Ada Lovelace' });
    });

    it('refuses a code before credentials and credentials twice', async () => {
      const { sut } = setup();
      const { sessionId } = await sut.create();
      expect((await refusal(sut.verifyCode(sessionId, '123456'))).code).toBe('wrong_step');
      await sut.submitCredentials(sessionId, 'a@example.com', 'x');
      expect((await refusal(sut.submitCredentials(sessionId, 'a@example.com', 'x'))).code).toBe('wrong_step');
      await sut.verifyCode(sessionId, '123456');
      expect((await refusal(sut.verifyCode(sessionId, '123456'))).code).toBe('wrong_step');
    });

    it('refuses an empty password', async () => {
      const { sut } = setup();
      const { sessionId } = await sut.create();
      expect((await refusal(sut.submitCredentials(sessionId, 'a@example.com', ''))).code).toBe('invalid_credentials');
    });

    it('refuses unknown sessions with a clear message', async () => {
      const { sut } = setup();
      const error = await refusal(sut.submitCredentials('sess_nope', 'a@example.com', 'x'));
      expect(error.code).toBe('invalid_session');
      expect(error.message).toMatch(/Invalid session/);
    });
  });

  describe('codes and lockout (DEMO_CODE)', () => {
    async function atCodeStep() {
      const context = setup({ DEMO_CODE: '424242' });
      const { sessionId } = await context.sut.create();
      await context.sut.submitCredentials(sessionId, 'a@example.com', 'x');
      return { ...context, sessionId };
    }

    it('accepts only DEMO_CODE and counts down attempts', async () => {
      const { sut, sessionId } = await atCodeStep();
      const error = await refusal(sut.verifyCode(sessionId, '111111'));
      expect(error.code).toBe('wrong_code');
      expect(error.details.attemptsLeft).toBe(MAX_CODE_ATTEMPTS - 1);
      expect(error.message).toBe('That code is not right. 4 attempts left.');
      await expect(sut.verifyCode(sessionId, '424242')).resolves.toMatchObject({ authenticated: true });
    });

    it('locks after five wrong codes; then even the right code fails', async () => {
      const { sut, sessionId } = await atCodeStep();
      const left: (number | undefined)[] = [];
      for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) left.push((await refusal(sut.verifyCode(sessionId, '000000'))).details.attemptsLeft);
      expect(left).toEqual([4, 3, 2, 1, 0]);
      const locked = await refusal(sut.verifyCode(sessionId, '424242'));
      expect(locked.code).toBe('locked');
      expect(locked.message).toMatch(/start a new sign-in/);
      expect(await sut.view(sessionId)).toEqual({ state: 'locked' });
    });

    it('counts every one of many concurrent wrong guesses and lets exactly one right code win', async () => {
      const { sut, sessionId } = await atCodeStep();
      const guesses = await Promise.allSettled(Array.from({ length: 20 }, () => sut.verifyCode(sessionId, '999999')));
      expect(guesses.every((g) => g.status === 'rejected')).toBe(true);
      expect(await sut.view(sessionId)).toEqual({ state: 'locked' });

      const fresh = await atCodeStep();
      const rights = await Promise.allSettled(Array.from({ length: 50 }, () => fresh.sut.verifyCode(fresh.sessionId, '424242')));
      expect(rights.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });
  });

  it('keeps two sessions apart', async () => {
    const { sut } = setup({ DEMO_USERS: '{"bob@example.com":{"name":"Bob Jones"}}' });
    const a = (await sut.create()).sessionId;
    const b = (await sut.create()).sessionId;
    await sut.submitCredentials(a, 'amy@example.com', 'x');
    await sut.submitCredentials(b, 'bob@example.com', 'y');
    await sut.verifyCode(b, '222222');
    expect(await sut.view(a)).toEqual({ state: 'pending', step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
    expect(await sut.view(b)).toEqual({ state: 'authenticated', name: 'Bob Jones', email: 'bob@example.com', profile: null });
  });

  describe('handOver (account linking)', () => {
    it('gives a signed-in session\'s account once, then the session reads as expired', async () => {
      const { sut } = setup();
      const { sessionId } = await sut.create({ interaction: 'uid-1' });
      await sut.submitCredentials(sessionId, 'Ada@Example.com', 'pw');
      await sut.verifyCode(sessionId, '123456');
      expect(await sut.handOver(sessionId, 'uid-1')).toEqual({ accountId: 'demo:ada@example.com', profile: null, epoch: 0 });
      expect(await sut.handOver(sessionId, 'uid-1')).toBeNull();
      expect(await sut.view(sessionId)).toEqual({ state: 'expired' });
    });

    it('gives nothing for a pending, expired, unknown or malformed session', async () => {
      const { sut, clock } = setup();
      const { sessionId: pending } = await sut.create({ interaction: 'uid-1' });
      await sut.submitCredentials(pending, 'ada@example.com', 'pw');
      expect(await sut.handOver(pending, 'uid-1')).toBeNull();
      expect(await sut.view(pending)).toMatchObject({ state: 'pending', step: 'verify' });
      const { sessionId: late } = await sut.create({ interaction: 'uid-1' });
      await sut.submitCredentials(late, 'ada@example.com', 'pw');
      await sut.verifyCode(late, '123456');
      clock.advance(TTL);
      expect(await sut.handOver(late, 'uid-1')).toBeNull();
      expect(await sut.handOver('sess_AAAAAAAAAAAAAAAAAAAAAAAA', 'uid-1')).toBeNull();
      expect(await sut.handOver('not a session', 'uid-1')).toBeNull();
    });
  });
});
