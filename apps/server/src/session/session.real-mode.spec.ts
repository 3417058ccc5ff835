/** The sign-in steps with real codes and per-account limits (the pieces real mode binds), on a fake clock. */
import { createHmac } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import type { ProfileChoice } from '@target-auth/shared/tools';
import { type Account, AccountDirectory, type IdentityResolution } from '../accounts/account-directory.js';
import type { QueuedCode } from '../accounts/mail-outbox.js';
import { MailedOneTimeCodes } from '../accounts/mailed-one-time-codes.js';
import { ProofOfWork } from '../accounts/proof-of-work.js';
import { AccountLimits } from '../accounts/account-limits.js';
import { memoryLimiters } from '../common/limiters.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { spyLogs } from '../testing/logs.js';
import { sessionService } from '../testing/sessions.js';
import { MemorySessionStore } from './memory-session.store.js';
import { StepError } from './step-error.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const ADA: Account = { id: 'acct-ada', email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email', epoch: 0 };

class OneAccount extends AccountDirectory {
  async verifyCredentials(email: string, password: string) {
    return email === ADA.email && password === PASSWORD ? ADA : null;
  }
  async findForRecovery(email: string) {
    return email === ADA.email ? ADA : null;
  }
  async findById(id: string) {
    return id === ADA.id ? ADA : null;
  }
  async setPassword() {
    return 0;
  }
  async addProfile() {
    return null;
  }
  async linkedIdentities() {
    return [];
  }
  async setAuthenticator() {
    return null;
  }
  async hasPassword() {
    return true;
  }
  async unlinkIdentity() {
    return { unlinked: false as const, reason: 'not_found' as const };
  }
  async endSignIns() {
    return 0;
  }
  async isTrustedDevice() {
    return false;
  }
  async trustDevice() {}
  async profiles(): Promise<ProfileChoice[]> {
    return [{ id: 'p1', name: 'Ada Lovelace' }];
  }
  async verifyTotp() {
    return false;
  }
  async resolveIdentity(): Promise<IdentityResolution> {
    return { kind: 'refused', message: 'No upstream sign-in here.' };
  }
  async linkIdentity() {
    return false;
  }
}

function setup() {
  const config = testConfig({ SESSION_TTL_MS: String(3_600_000), CODE_TTL_MS: '600000' });
  const clock = new FakeClock();
  const mails: (QueuedCode & { expiresAt: number })[] = [];
  const outbox = { enqueue: async (mail: QueuedCode, expiresAt: number) => void mails.push({ ...mail, expiresAt }) };
  const sut = sessionService({
    store: new MemorySessionStore(clock, { maxSessions: 100, retentionMs: 600_000, sweepEveryMs: 1000 }),
    clock,
    config,
    directory: new OneAccount(),
    codes: new MailedOneTimeCodes(Buffer.alloc(32, 1), outbox),
    limits: new AccountLimits(Buffer.alloc(32, 2)),
    proofOfWork: new ProofOfWork('secret', memoryLimiters),
  });
  return { sut, clock, mails };
}

async function refusal(promise: Promise<unknown>): Promise<StepError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof StepError)) throw new Error(`expected a StepError, got ${String(error)}`);
  return error;
}

describe('SessionService with real codes', () => {
  it('queues a six-digit code, valid CODE_TTL_MS, that the session keeps only as an HMAC', async () => {
    const { sut, clock, mails } = setup();
    const { sessionId } = await sut.create();
    await sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ email: ADA.email, purpose: 'sign-in', expiresAt: clock.now() + 600_000 });
    expect(mails[0]!.code).toMatch(/^\d{6}$/);
    const kept = await (sut as unknown as { store: MemorySessionStore }).store.get(sessionId);
    const hmac = createHmac('sha256', Buffer.alloc(32, 1)).update(`${sessionId}:${mails[0]!.code}`).digest('base64url');
    expect(kept?.step === 'verify' && kept.method === 'email' ? kept.codeCheck : undefined).toBe(hmac);
    expect(Object.values(kept ?? {})).not.toContain(mails[0]!.code);
    const codes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const other = await sut.create();
      await sut.submitCredentials(other.sessionId, ADA.email, PASSWORD).catch(() => undefined);
    }
    for (const mail of mails) codes.add(mail.code);
    expect(codes.size).toBeGreaterThan(1);
  });

  it('refuses a code past CODE_TTL_MS as expired, without counting it as wrong', async () => {
    const { sut, clock, mails } = setup();
    const { sessionId } = await sut.create();
    await sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    clock.advance(600_000);
    const expired = await refusal(sut.verifyCode(sessionId, mails[0]!.code));
    expect(expired.code).toBe('code_expired');
    clock.advance(-1);
    await expect(sut.verifyCode(sessionId, mails[0]!.code)).resolves.toMatchObject({ authenticated: true, profile: 'Ada Lovelace' });
  });

  it('resends after the 30 s cooldown; the new code replaces the old one', async () => {
    const { sut, clock, mails } = setup();
    const { sessionId } = await sut.create();
    await sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    clock.advance(29_000);
    const early = await refusal(sut.resendCode(sessionId));
    expect(early.code).toBe('rate_limited');
    expect(early.details.retryAfterSeconds).toBe(1);
    clock.advance(1_000);
    await expect(sut.resendCode(sessionId)).resolves.toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'a•••@example.com' } });
    expect(mails).toHaveLength(2);
    expect((await refusal(sut.verifyCode(sessionId, mails[0]!.code === mails[1]!.code ? '000000' : mails[0]!.code))).code).toBe('wrong_code');
    await expect(sut.verifyCode(sessionId, mails[1]!.code)).resolves.toMatchObject({ authenticated: true });
  });

  it('sends at most 5 codes per address in 15 minutes, across sessions', async () => {
    const { sut, clock, mails } = setup();
    const { sessionId } = await sut.create();
    await sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      await sut.resendCode(sessionId);
    }
    clock.advance(30_000);
    expect((await refusal(sut.resendCode(sessionId))).code).toBe('rate_limited');
    const other = await sut.create();
    const refused = await refusal(sut.submitCredentials(other.sessionId, ADA.email, PASSWORD));
    expect(refused.code).toBe('rate_limited');
    expect(refused.details.retryAfterSeconds).toBeGreaterThan(800);
    expect(mails).toHaveLength(5);
  });

  it('turns a code that cannot be queued into "unavailable" without leaking why, back at credentials, and logs its kind', async () => {
    const errors = spyLogs('error');
    const clock = new FakeClock();
    const failing = sessionService({
      store: new MemorySessionStore(clock, { maxSessions: 100, retentionMs: 600_000, sweepEveryMs: 1000 }),
      clock,
      config: testConfig(),
      directory: new OneAccount(),
      codes: new MailedOneTimeCodes(Buffer.alloc(32, 1), { enqueue: async () => Promise.reject(new Error('insert failed for ada@example.com')) }),
      limits: new AccountLimits(Buffer.alloc(32, 2)),
      proofOfWork: new ProofOfWork('secret', memoryLimiters),
    });
    const { sessionId } = await failing.create();
    const error = await refusal(failing.submitCredentials(sessionId, ADA.email, PASSWORD));
    expect(error.code).toBe('unavailable');
    expect(error.message).not.toContain('ada@example.com');
    // The session is back at credentials: the person can simply try again.
    expect(await failing.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });
    expect(errors()).toEqual(['Sessions: Code not queued: Error']);
    jest.restoreAllMocks();
  });
});
