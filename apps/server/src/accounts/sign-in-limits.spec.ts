import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { freePort } from '@target-auth/testing/ports';
import { redisAvailable, testRedisClient } from '../testing/redis.js';
import { AccountLimits, redisLimiters } from './account-limits.js';
import { LIMITS } from './sign-in-limits.js';
import { itWhen } from '../testing/services.js';

const KEY = Buffer.alloc(32, 9);

beforeEach(() => void jest.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12) }));
afterEach(() => void jest.useRealTimers());

async function failPasswords(limits: AccountLimits, email: string, times: number): Promise<(number | null)[]> {
  const answers = [];
  for (let i = 0; i < times; i++) answers.push(await limits.passwordFailed(email));
  return answers;
}

describe(AccountLimits.name, () => {
  it('blocks an account after 5 failed passwords in 15 minutes, whatever the case of the e-mail', async () => {
    const sut = new AccountLimits(KEY);
    expect(await failPasswords(sut, 'ada@example.com', 4)).toEqual([null, null, null, null]);
    expect(await sut.passwordGate('ADA@example.com')).toEqual({ retryAfterSeconds: null, failures: 4 });
    expect(await sut.passwordFailed('Ada@Example.com')).toBe(15 * 60);
    expect(await sut.passwordGate('ada@example.com')).toEqual({ retryAfterSeconds: 15 * 60, failures: 5 });
    expect(await sut.passwordGate('bob@example.com')).toEqual({ retryAfterSeconds: null, failures: 0 });
  });

  it('rounds the wait up to whole seconds', async () => {
    const sut = new AccountLimits(KEY);
    await failPasswords(sut, 'ada@example.com', LIMITS.passwordFailures);
    jest.advanceTimersByTime(898_500);
    expect((await sut.passwordGate('ada@example.com')).retryAfterSeconds).toBe(2);
    jest.advanceTimersByTime(1400);
    expect((await sut.passwordGate('ada@example.com')).retryAfterSeconds).toBe(1);
  });

  it('doubles the block each time the same day, up to an hour', async () => {
    const sut = new AccountLimits(KEY);
    const blocks = [];
    for (let round = 0; round < 4; round++) {
      const answers = await failPasswords(sut, 'ada@example.com', LIMITS.passwordFailures);
      blocks.push(answers.at(-1));
      jest.advanceTimersByTime((answers.at(-1) ?? 0) * 1000 + 1000);
      expect((await sut.passwordGate('ada@example.com')).retryAfterSeconds).toBeNull();
    }
    expect(blocks).toEqual([900, 1800, 3600, 3600]);
  });

  it('forgets failures after a good password, and after the window', async () => {
    const sut = new AccountLimits(KEY);
    await failPasswords(sut, 'ada@example.com', 4);
    await sut.passwordAccepted('ada@example.com');
    expect((await sut.passwordGate('ada@example.com')).failures).toBe(0);
    await failPasswords(sut, 'ada@example.com', 4);
    jest.advanceTimersByTime(15 * 60 * 1000 + 1000);
    expect((await sut.passwordGate('ada@example.com')).failures).toBe(0);
  });

  it('locks the code step of an account for an hour at the tenth wrong code', async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < 9; i++) expect(await sut.codeFailed('acct-1')).toBeNull();
    expect(await sut.codeGate('acct-1')).toBeNull();
    expect(await sut.codeFailed('acct-1')).toBe(3600);
    expect(await sut.codeGate('acct-1')).toBe(3600);
    expect(await sut.codeGate('acct-2')).toBeNull();
    jest.advanceTimersByTime(3600 * 1000 + 1000);
    expect(await sut.codeGate('acct-1')).toBeNull();
  });

  it('answers a failure counted while already blocked with the time left, without extending the block', async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < LIMITS.codeFailures; i++) await sut.codeFailed('acct-1');
    jest.advanceTimersByTime(600_000);
    expect(await sut.codeFailed('acct-1')).toBe(3000);
    expect(await sut.codeGate('acct-1')).toBe(3000);
    await failPasswords(sut, 'ada@example.com', LIMITS.passwordFailures);
    jest.advanceTimersByTime(100_000);
    expect(await sut.passwordFailed('ada@example.com')).toBe(800);
    expect((await sut.passwordGate('ada@example.com')).retryAfterSeconds).toBe(800);
  });

  it('allows 5 codes sent per account in 15 minutes', async () => {
    const sut = new AccountLimits(KEY);
    for (let i = 0; i < 5; i++) {
      expect(await sut.sendGate('acct-1')).toBeNull();
      await sut.codeSent('acct-1');
    }
    expect(await sut.sendGate('acct-1')).toBe(15 * 60);
    jest.advanceTimersByTime(15 * 60 * 1000 + 1000);
    expect(await sut.sendGate('acct-1')).toBeNull();
  });
});

const haveRedis = await redisAvailable();

describe('AccountLimits on Redis (shared by instances)', () => {
  const maybe = itWhen(haveRedis);

  maybe('blocks passwords, locks codes and bounds sends with the same numbers, and two instances share the budget', async () => {
    jest.useRealTimers();
    const { client, drop } = testRedisClient();
    try {
      const one = new AccountLimits(KEY, redisLimiters(client));
      const other = new AccountLimits(KEY, redisLimiters(client));
      for (let i = 0; i < 2; i++) expect(await one.passwordFailed('ada@example.com')).toBeNull();
      for (let i = 0; i < 2; i++) expect(await other.passwordFailed('ADA@example.com')).toBeNull();
      expect(await one.passwordGate('ada@example.com')).toEqual({ retryAfterSeconds: null, failures: 4 });
      expect(await other.passwordFailed('ada@example.com')).toBe(900);
      expect((await one.passwordGate('ada@example.com')).retryAfterSeconds).toBeGreaterThan(890);
      for (let i = 0; i < 9; i++) expect(await (i % 2 ? one : other).codeFailed('acct-1')).toBeNull();
      expect(await one.codeFailed('acct-1')).toBe(3600);
      expect(await other.codeGate('acct-1')).toBeGreaterThan(3590);
      for (let i = 0; i < 5; i++) await (i % 2 ? one : other).codeSent('acct-2');
      expect(await one.sendGate('acct-2')).toBeGreaterThan(890);
      // Each limiter under its own name; an address only as its keyed hash.
      const stored = (await client.keys('*')).map((key) => key.slice(client.options.keyPrefix!.length));
      const named = (limiter: string) => stored.filter((key) => key.startsWith(`limit:${limiter}:`));
      expect(named('pw').length).toBeGreaterThan(0);
      expect(named('pwblock').length).toBeGreaterThan(0);
      expect(named('code')).toEqual(['limit:code:acct-1']);
      expect(named('send')).toEqual(['limit:send:acct-2']);
      expect(stored.join(' ')).not.toMatch(/ada|example/i);
    } finally {
      await drop();
    }
  });
});


describe('AccountLimits when their store fails', () => {
  it('refuses every check and count with StoreUnavailableError: limits are never skipped', async () => {
    jest.useRealTimers();
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const sut = new AccountLimits(KEY, redisLimiters(client));
      const operations = [
        () => sut.passwordGate('ada@example.com'),
        () => sut.passwordFailed('ada@example.com'),
        () => sut.passwordAccepted('ada@example.com'),
        () => sut.codeGate('acct-1'),
        () => sut.codeFailed('acct-1'),
        () => sut.sendGate('acct-1'),
        () => sut.codeSent('acct-1'),
      ];
      for (const operation of operations) {
        await expect(operation()).rejects.toMatchObject({ name: 'StoreUnavailableError', message: expect.stringMatching(/^Limits: ./), cause: expect.anything() });
      }
    } finally {
      client.disconnect();
    }
  });
});
