import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { freePort } from '@target-auth/testing/ports';
import { redisAvailable, testRedisClient } from '../testing/redis.js';
import { itWhen } from '../testing/services.js';
import { AccountLimits } from './account-limits.js';
import { redisLimiters } from '../common/limiters.js';
import { type Attempt, isRefusal, LIMITS, type Refusal, UnlimitedSignIns } from './sign-in-limits.js';

const KEY = Buffer.alloc(32, 9);
const DEVICE = 'device-hash-1';

beforeEach(() => void jest.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12) }));
afterEach(() => void jest.useRealTimers());

/** Fails `times` untrusted passwords in a row; the prior failures each reservation saw. */
async function failUntrusted(limits: AccountLimits, email: string, times: number): Promise<number[]> {
  const seen = [];
  for (let i = 0; i < times; i++) {
    const reserved = await limits.reserveUntrustedAttempt(email);
    if (isRefusal(reserved)) throw new Error(`refused at ${i}`);
    seen.push(reserved.priorFailures);
  }
  return seen;
}

const granted = <T extends object>(value: T | Refusal | null): T => {
  if (value === null || isRefusal(value)) throw new Error('refused');
  return value;
};

describe(AccountLimits.name, () => {
  it('counts untrusted failures per account, whatever the case of the e-mail, and tells each attempt the failures before it', async () => {
    const sut = new AccountLimits(KEY);
    expect(await failUntrusted(sut, 'ada@example.com', 3)).toEqual([0, 1, 2]);
    expect(await failUntrusted(sut, 'ADA@Example.com ', 2)).toEqual([3, 4]);
    expect(await failUntrusted(sut, 'bob@example.com', 1)).toEqual([0]);
  });

  it('never refuses an untrusted attempt for the window: failures beyond the 5th only raise the count', async () => {
    const sut = new AccountLimits(KEY);
    const seen = await failUntrusted(sut, 'ada@example.com', 30);
    expect(seen.at(-1)).toBe(29);
  });

  it('refuses untrusted attempts past 100 failures in a day, with the wait, until the day has passed', async () => {
    const sut = new AccountLimits(KEY);
    for (let hour = 0; hour < 4; hour++) {
      await failUntrusted(sut, 'ada@example.com', 25);
      jest.advanceTimersByTime(60 * 60 * 1000);
    }
    const refused = await sut.reserveUntrustedAttempt('ada@example.com');
    expect(refused).toEqual({ retryAfterSeconds: 20 * 60 * 60 });
    expect(isRefusal(await sut.reserveUntrustedAttempt('bob@example.com'))).toBe(false);
    jest.advanceTimersByTime(20 * 60 * 60 * 1000 + 1000);
    expect(isRefusal(await sut.reserveUntrustedAttempt('ada@example.com'))).toBe(false);
  });

  it('forgets the window after a good password, but not the day: the owner signing in does not reopen the ceiling', async () => {
    const sut = new AccountLimits(KEY);
    await failUntrusted(sut, 'ada@example.com', 99);
    const right = granted<{ attempt: Attempt; priorFailures: number }>(await sut.reserveUntrustedAttempt('ada@example.com'));
    expect(right.priorFailures).toBe(99);
    await right.attempt.succeeded();
    // The success gave its reservation back (99 failures stay) and the window starts over.
    expect(await failUntrusted(sut, 'ada@example.com', 1)).toEqual([0]);
    expect(isRefusal(await sut.reserveUntrustedAttempt('ada@example.com'))).toBe(true);
  });

  it('gives a withdrawn attempt back to both counts', async () => {
    const sut = new AccountLimits(KEY);
    await failUntrusted(sut, 'ada@example.com', 4);
    for (let i = 0; i < 200; i++) await granted(await sut.reserveUntrustedAttempt('ada@example.com')).attempt.withdrawn();
    expect(await failUntrusted(sut, 'ada@example.com', 1)).toEqual([4]);
  });

  it('forgets the window after 15 minutes', async () => {
    const sut = new AccountLimits(KEY);
    await failUntrusted(sut, 'ada@example.com', 7);
    jest.advanceTimersByTime(15 * 60 * 1000 + 1000);
    expect(await failUntrusted(sut, 'ada@example.com', 1)).toEqual([0]);
  });

  it('gives a trusted browser 5 failures in 15 minutes of its own, apart from strangers and other browsers', async () => {
    const sut = new AccountLimits(KEY);
    await failUntrusted(sut, 'ada@example.com', 60);
    for (let i = 0; i < LIMITS.deviceFailures; i++) expect(await sut.reserveTrustedAttempt('ada@example.com', DEVICE)).not.toBeNull();
    expect(await sut.reserveTrustedAttempt('ADA@example.com', DEVICE)).toBeNull();
    expect(await sut.reserveTrustedAttempt('ada@example.com', 'another-device')).not.toBeNull();
    expect(await sut.reserveTrustedAttempt('bob@example.com', DEVICE)).not.toBeNull();
    jest.advanceTimersByTime(15 * 60 * 1000 + 1000);
    expect(await sut.reserveTrustedAttempt('ada@example.com', DEVICE)).not.toBeNull();
  });

  it("forgets a trusted browser's failures when it gets the password right", async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < LIMITS.deviceFailures - 1; i++) await sut.reserveTrustedAttempt('ada@example.com', DEVICE);
    await (await sut.reserveTrustedAttempt('ada@example.com', DEVICE))!.succeeded();
    for (let i = 0; i < LIMITS.deviceFailures; i++) expect(await sut.reserveTrustedAttempt('ada@example.com', DEVICE)).not.toBeNull();
    expect(await sut.reserveTrustedAttempt('ada@example.com', DEVICE)).toBeNull();
  });

  it('checks 10 wrong codes per subject and purpose an hour; a right one gives its reservation back', async () => {
    const sut = new AccountLimits(KEY);
    const account = { accountId: 'acct-1' };
    await granted(await sut.reserveCodeCheck('sign-in', account)).succeeded();
    for (let i = 0; i < LIMITS.codeFailures; i++) granted(await sut.reserveCodeCheck('sign-in', account));
    expect(await sut.reserveCodeCheck('sign-in', account)).toEqual({ retryAfterSeconds: 3600 });
    // Another purpose, another account, another address: their own budgets.
    expect(isRefusal(await sut.reserveCodeCheck('reset', account))).toBe(false);
    expect(isRefusal(await sut.reserveCodeCheck('sign-in', { accountId: 'acct-2' }))).toBe(false);
    jest.advanceTimersByTime(3600 * 1000 + 1000);
    expect(isRefusal(await sut.reserveCodeCheck('sign-in', account))).toBe(false);
  });

  it("counts a recovery's codes by the address typed (case aside), apart from the account's sign-in codes", async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < LIMITS.codeFailures; i++) granted(await sut.reserveCodeCheck('reset', { email: i % 2 ? 'Ada@example.com' : 'ada@example.com' }));
    expect(isRefusal(await sut.reserveCodeCheck('reset', { email: 'ADA@EXAMPLE.COM' }))).toBe(true);
    expect(isRefusal(await sut.reserveCodeCheck('sign-in', { accountId: 'acct-1' }))).toBe(false);
    const withdrawn = granted(await sut.reserveCodeCheck('reset', { email: 'bob@example.com' }));
    await withdrawn.withdrawn();
    for (let i = 0; i < LIMITS.codeFailures; i++) granted(await sut.reserveCodeCheck('reset', { email: 'bob@example.com' }));
  });

  it('allows 5 mails per address and purpose in 15 minutes', async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < LIMITS.codeSends; i++) expect(await sut.reserveSend('ada@example.com', 'reset')).toBeNull();
    expect(await sut.reserveSend('Ada@Example.com', 'reset')).toEqual({ retryAfterSeconds: 15 * 60 });
    expect(await sut.reserveSend('ada@example.com', 'sign-in')).toBeNull();
    expect(await sut.reserveSend('nobody@example.com', 'reset')).toBeNull();
    jest.advanceTimersByTime(15 * 60 * 1000 + 1000);
    expect(await sut.reserveSend('ada@example.com', 'reset')).toBeNull();
  });

  it('rounds waits up to whole seconds', async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < LIMITS.codeSends; i++) await sut.reserveSend('ada@example.com', 'reset');
    jest.advanceTimersByTime(898_500);
    expect(await sut.reserveSend('ada@example.com', 'reset')).toEqual({ retryAfterSeconds: 2 });
  });
});

describe(UnlimitedSignIns.name, () => {
  it('grants everything, with no failures before', async () => {
    const sut = new UnlimitedSignIns();
    for (let i = 0; i < 200; i++) {
      expect(await sut.reserveSend()).toBeNull();
      expect(await sut.reserveTrustedAttempt()).not.toBeNull();
      const untrusted = await sut.reserveUntrustedAttempt();
      expect(untrusted.priorFailures).toBe(0);
      await untrusted.attempt.succeeded();
      await untrusted.attempt.withdrawn();
      expect(isRefusal(await sut.reserveCodeCheck())).toBe(false);
    }
  });
});

const haveRedis = await redisAvailable();

describe('AccountLimits on Redis (shared by instances)', () => {
  const maybe = itWhen(haveRedis);

  maybe('two instances share every budget; an address is stored only as its keyed hash', async () => {
    jest.useRealTimers();
    const { client, drop } = testRedisClient();
    try {
      const one = new AccountLimits(KEY, redisLimiters(client));
      const other = new AccountLimits(KEY, redisLimiters(client));
      expect(await failUntrusted(one, 'ada@example.com', 2)).toEqual([0, 1]);
      expect(await failUntrusted(other, 'ADA@example.com', 2)).toEqual([2, 3]);
      for (let i = 0; i < LIMITS.codeFailures; i++) granted(await (i % 2 ? one : other).reserveCodeCheck('sign-in', { accountId: 'acct-1' }));
      expect(await one.reserveCodeCheck('sign-in', { accountId: 'acct-1' })).toMatchObject({ retryAfterSeconds: expect.any(Number) });
      for (let i = 0; i < LIMITS.codeSends; i++) expect(await (i % 2 ? one : other).reserveSend('ada@example.com', 'reset')).toBeNull();
      expect(isRefusal(await one.reserveSend('ada@example.com', 'reset'))).toBe(true);
      for (let i = 0; i < LIMITS.deviceFailures; i++) await (i % 2 ? one : other).reserveTrustedAttempt('ada@example.com', DEVICE);
      expect(await one.reserveTrustedAttempt('ada@example.com', DEVICE)).toBeNull();
      // KEYS takes no prefix of the client's: this test's own keys are those under its prefix.
      const prefix = client.options.keyPrefix!;
      const stored = (await client.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
      const named = (limiter: string) => stored.filter((key) => key.startsWith(`limit:${limiter}:`));
      for (const limiter of ['pw', 'pwday', 'pwdevice', 'code-sign-in', 'send-reset']) expect(named(limiter).length).toBeGreaterThan(0);
      expect(named('code-sign-in')).toEqual(['limit:code-sign-in:a.acct-1']);
      // The address itself, not a fragment: "ada" turns up in random base64url hashes now and then.
      expect(stored.join(' ').toLowerCase()).not.toContain('ada@example.com');
    } finally {
      await drop();
    }
  });

  maybe('reserves atomically: 60 parallel code checks from two instances check at most 10, and 150 parallel sends grant 5', async () => {
    jest.useRealTimers();
    const { client, drop } = testRedisClient();
    try {
      // Two instances with their own connections, as two processes have.
      const sameKeys = new Redis(client.options);
      const instances = [new AccountLimits(KEY, redisLimiters(client)), new AccountLimits(KEY, redisLimiters(sameKeys))];
      const checks = await Promise.all(Array.from({ length: 60 }, (_, i) => instances[i % 2]!.reserveCodeCheck('sign-in', { accountId: 'acct-9' })));
      expect(checks.filter((check) => !isRefusal(check))).toHaveLength(LIMITS.codeFailures);
      const sends = await Promise.all(Array.from({ length: 150 }, (_, i) => instances[i % 2]!.reserveSend('victim@example.com', 'reset')));
      expect(sends.filter((send) => send === null)).toHaveLength(LIMITS.codeSends);
      sameKeys.disconnect();
    } finally {
      await drop();
    }
  });
});

describe('AccountLimits when their store fails', () => {
  it('refuses every reservation with StoreUnavailableError: limits are never skipped', async () => {
    jest.useRealTimers();
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const sut = new AccountLimits(KEY, redisLimiters(client));
      const operations = [
        () => sut.reserveUntrustedAttempt('ada@example.com'),
        () => sut.reserveTrustedAttempt('ada@example.com', DEVICE),
        () => sut.reserveCodeCheck('sign-in', { accountId: 'acct-1' }),
        () => sut.reserveCodeCheck('reset', { email: 'ada@example.com' }),
        () => sut.reserveSend('ada@example.com', 'sign-in'),
      ];
      for (const operation of operations) {
        await expect(operation()).rejects.toMatchObject({ name: 'StoreUnavailableError', message: expect.stringMatching(/^Limits: ./), cause: expect.anything() });
      }
    } finally {
      client.disconnect();
    }
  });
});
