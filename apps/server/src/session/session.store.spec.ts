/** The SessionStore contract, run against the memory store and against Redis (the project's server). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { FakeClock } from '../testing/fakes.js';
import { redisAvailable, testRedisClient } from '../testing/redis.js';
import { MemorySessionStore } from './memory-session.store.js';
import { RedisSessionStore } from './redis-session.store.js';
import { decodeSession, encodeSession } from './session.codec.js';
import type { SessionRecord } from './session.record.js';
import { failedCodes, failedOnce, opened, pending, signedIn, waiting } from '../testing/records.js';
import type { SessionStore } from './session.store.js';
import { itWhen } from '../testing/services.js';

const haveRedis = await redisAvailable();
const away = (expiresAt: number): SessionRecord => ({ step: 'upstream', expiresAt, provider: 'google', attempt: { state: 's', nonce: 'n', verifier: 'v' }, browser: 'b' });
const FUTURE = Date.now() + 3_600_000;

/** Counts the commands a client sends: the round trips a store makes. */
function countCommands(client: Redis): { count(): number } {
  let sent = 0;
  const original = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    sent++;
    return original(...args);
  });
  return { count: () => sent };
}

type Made = { store: SessionStore; client?: Redis; drop(): Promise<void> };
const kinds: [string, boolean, (maxSessions?: number) => Made][] = [
  [
    'memory',
    true,
    (maxSessions = 1000) => ({
      store: new MemorySessionStore(new FakeClock(Date.now()), { maxSessions, retentionMs: 1000, sweepEveryMs: 1000 }),
      drop: async () => undefined,
    }),
  ],
  [
    'Redis',
    haveRedis,
    (maxSessions = 1000) => {
      const { client, drop } = testRedisClient();
      return { store: new RedisSessionStore(client, { retentionMs: 300, maxSessions }), client, drop };
    },
  ],
];

describe.each(kinds)('SessionStore contract on %s', (kind, available, make) => {
  const maybe = itWhen(available);
  let sut: ReturnType<typeof make>;
  beforeAll(() => {
    if (available) sut = make();
  });
  afterAll(async () => {
    if (available) await sut.drop();
  });

  maybe('reads back what was inserted, and nothing for an unknown id', async () => {
    const record = waiting(FUTURE);
    expect(await sut.store.insert('one', record)).toBe(true);
    const read = await sut.store.read('one');
    expect(read?.record).toEqual(record);
    expect(typeof read?.version).toBe('number');
    expect(await sut.store.read('none')).toBeUndefined();
    expect(await sut.store.get('one')).toEqual(record);
  });

  maybe('applies a decision and returns its result; no decision leaves the record as is', async () => {
    await sut.store.insert('two', waiting(FUTURE));
    expect(await sut.store.transition('two', (record) => ({ next: failedOnce(record), result: 'moved' }))).toBe('moved');
    expect(failedCodes(await sut.store.get('two'))).toBe(1);
    expect(await sut.store.transition('two', () => ({ result: 'kept' }))).toBe('kept');
    expect(failedCodes(await sut.store.get('two'))).toBe(1);
  });

  maybe('loses no update under 50 concurrent transitions in one process', async () => {
    await sut.store.insert('busy', waiting(FUTURE));
    await Promise.all(Array.from({ length: 50 }, () => sut.store.transition('busy', (record) => ({ next: failedOnce(record), result: null }))));
    expect(failedCodes(await sut.store.get('busy'))).toBe(50);
  });

  maybe('when full, evicts the oldest never-opened sign-in, then the oldest at credentials, never one past them', async () => {
    const small = make(3);
    try {
      const { store } = small;
      await store.insert('verify', waiting(FUTURE + 100));
      await store.insert('opened', pending(FUTURE + 200));
      await store.transition('opened', (record) => ({ next: opened(record), result: null }));
      await store.insert('fresh', pending(FUTURE + 300));
      expect(await store.insert('new1', pending(FUTURE + 400))).toBe(true);
      expect(await store.get('fresh')).toBeUndefined();
      expect(await store.get('opened')).toBeDefined();
      expect(await store.insert('new2', pending(FUTURE + 500))).toBe(true);
      expect(await store.get('new1')).toBeUndefined();
      // Signed in: past credentials, never evicted.
      await store.transition('new2', (record) => ({ next: signedIn(record!.expiresAt), result: null }));
      expect(await store.insert('new3', pending(FUTURE + 600))).toBe(true);
      expect(await store.get('opened')).toBeUndefined();
      expect(await store.get('new2')).toBeDefined();
      // Away at an upstream provider: nothing proven yet, evicted like a session waiting for credentials.
      await store.transition('new3', (record) => ({ next: away(record!.expiresAt), result: null }));
      expect(await store.insert('new4', pending(FUTURE + 700))).toBe(true);
      expect(await store.get('new3')).toBeUndefined();
      await store.transition('new4', (record) => ({ next: waiting(record!.expiresAt), result: null }));
      expect(await store.insert('refused', pending(FUTURE + 800))).toBe(false);
      expect(await store.get('verify')).toBeDefined();
      expect(await store.size()).toBe(3);
    } finally {
      await small.drop();
    }
  });

  maybe('propagates what the decision throws, writing nothing', async () => {
    await sut.store.insert('throws', pending(FUTURE));
    await expect(sut.store.transition('throws', () => { throw new Error('refused'); })).rejects.toThrow('refused');
    expect((await sut.store.get('throws'))?.step).toBe('credentials');
  });

  if (kind === 'Redis') {
    maybe('reads in one round trip, and a transition from a fresh read writes in one more', async () => {
      const client = sut.client!;
      const counter = countCommands(client);
      await sut.store.insert('trips', pending(FUTURE));
      let before = counter.count();
      const read = await sut.store.read('trips');
      expect(counter.count() - before).toBe(1);
      before = counter.count();
      await sut.store.transition('trips', (record) => ({ next: opened(record), result: null }), read);
      expect(counter.count() - before).toBe(1);
    });

    maybe('refuses a write from a stale read, then decides again on the fresh record', async () => {
      await sut.store.insert('stale', waiting(FUTURE));
      const stale = await sut.store.read('stale');
      // Another instance writes in between.
      const otherInstance = new RedisSessionStore(sut.client!, { retentionMs: 300, maxSessions: 1000 });
      await otherInstance.transition('stale', (record) => ({ next: failedOnce(record), result: null }));
      const seen: number[] = [];
      await sut.store.transition('stale', (record) => {
        seen.push(failedCodes(record)!);
        return { next: failedOnce(record), result: null };
      }, stale);
      expect(seen).toEqual([0, 1]);
      expect(failedCodes(await sut.store.get('stale'))).toBe(2);
    });

    maybe('lets Redis expire a session one retention after it expires', async () => {
      await sut.store.insert('short', pending(Date.now() + 200));
      expect(await sut.store.get('short')).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await sut.store.get('short')).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await sut.store.get('short')).toBeUndefined();
    });
  }
});

describe('the serialised session', () => {
  const holder = { accountId: 'acct', email: 'e@example.com', name: 'N', epoch: 1_764_000_000 };
  const wait = { step: 'verify', failedCodes: 2, codeSentAt: 99, expiresAt: 123 } as const;
  const identity = { provider: 'google', issuer: 'https://accounts.google.com', subject: 'g-1', email: 'e@example.com', emailVerified: true, name: 'N' };
  const records: [string, SessionRecord][] = [
    ['pending, from a hosted page', { step: 'credentials', expiresAt: 123, opened: false, interaction: 'uid-1' }],
    ['pending and opened', { step: 'credentials', expiresAt: 123, opened: true }],
    ['signing in, mailed code', { ...wait, purpose: 'sign-in', method: 'email', codeCheck: 'check', account: holder, device: 'device-hash' }],
    ['signing in, demo code', { ...wait, purpose: 'sign-in', method: 'demo', codeCheck: '', account: holder }],
    ['signing in, authenticator', { ...wait, purpose: 'sign-in', method: 'totp', account: holder }],
    ['resetting, mailbox', { ...wait, purpose: 'reset', method: 'email', codeCheck: 'check', email: 'typed@example.com' }],
    ['resetting, authenticator', { ...wait, purpose: 'reset', method: 'totp', account: holder, interaction: 'uid-2' }],
    ['new password', { step: 'new-password', expiresAt: 123, account: holder, device: 'device-hash' }],
    ['profile', { step: 'profile', expiresAt: 123, account: holder }],
    ['signed in, a profile', { step: 'authenticated', expiresAt: 123, account: holder, profile: 'P', device: 'device-hash', interaction: 'uid-3' }],
    ['signed in, no profiles', { step: 'authenticated', expiresAt: 123, account: holder, profile: null }],
    ['locked', { step: 'locked', expiresAt: 123 }],
    ['away at a provider', { step: 'upstream', expiresAt: 123, provider: 'google', attempt: { state: 'st', nonce: 'no', verifier: 've' }, browser: 'cookie-hash', interaction: 'uid-4' }],
    ['waiting on a start link', { step: 'upstream', expiresAt: 123, provider: 'google', handOff: { link: 'link-hash', code: 'code-hash', tries: 2 } }],
    ['a passkey page open', { step: 'upstream', expiresAt: 123, provider: 'passkey', browser: 'cookie-hash', device: 'device-hash' }],
    ['linking, mailed code', { ...wait, purpose: 'link', method: 'email', codeCheck: 'check', account: holder, identity, secondFactor: 'totp' }],
    ['linking, authenticator', { ...wait, purpose: 'link', method: 'totp', account: holder, identity: { ...identity, email: null, emailVerified: false, name: null } }],
  ];

  it.each(records)('keeps a record %s as it was, and only what its step has', (_name, record) => {
    expect(decodeSession(encodeSession(record))).toEqual(record);
    const written = Object.entries(JSON.parse(encodeSession(record)) as Record<string, unknown>);
    expect(written.filter(([key, value]) => value === null && key !== 'p')).toEqual([]);
  });

  it('writes a pending session in under 60 bytes, and refuses a format it does not know', () => {
    expect(encodeSession(pending(1_764_000_000_000))).toBe('{"f":2,"x":1764000000000,"s":"credentials","o":0}');
    expect(() => decodeSession('{"f":3,"x":1,"s":"credentials"}')).toThrow(/Unknown session format 3/);
  });

  it('reads format 2 as a release before per-step records wrote it (every field, unused ones null)', () => {
    const flat = (fields: string) => `{"f":2,"x":5,"n":1,"p":null,"d":"email","c":"check","t":4,"o":1,"q":7,"v":null,"i":null,${fields}}`;
    expect(decodeSession(flat('"s":"verify","u":"reset","a":null,"e":"typed@example.com","m":null'))).toEqual({
      step: 'verify', purpose: 'reset', method: 'email', codeCheck: 'check', email: 'typed@example.com', failedCodes: 1, codeSentAt: 4, expiresAt: 5,
    });
    expect(decodeSession(flat('"s":"credentials","u":"sign-in","a":null,"e":null,"m":null'))).toEqual({ step: 'credentials', expiresAt: 5, opened: true });
    expect(decodeSession(flat('"s":"authenticated","u":"sign-in","a":"acct","e":"e@example.com","m":"N"'))).toEqual({
      step: 'authenticated', expiresAt: 5, profile: null, account: { accountId: 'acct', email: 'e@example.com', name: 'N', epoch: 7 },
    });
  });

  it('reads a signed-in session written by the release before (format 1) with no epoch as ended', () => {
    const older = '{"f":1,"x":5,"s":"authenticated","n":0,"a":"acct","e":"e@example.com","m":"N","p":null,"u":"sign-in","d":"email","c":null,"t":1,"o":1}';
    expect(decodeSession(older)).toMatchObject({ step: 'authenticated', expiresAt: 0, account: { accountId: 'acct' } });
  });

  it('refuses, by name, a stored record without its expiry or step, and one whose step lacks its fields', () => {
    for (const text of ['{"f":1,"s":"credentials"}', '{"f":1,"x":"1","s":"credentials"}', '{"f":1,"x":1}', '{"f":1,"x":1,"s":2}', '{"f":2,"x":1}', '{"f":2,"x":1,"s":"waiting"}']) {
      expect(() => decodeSession(text)).toThrow(expect.objectContaining({ name: 'SessionFormatError', message: expect.stringMatching(/^Unknown session format [12]$/) }));
    }
    for (const text of [
      '{"f":2,"x":1,"s":"verify"}',
      '{"f":2,"x":1,"s":"verify","d":"email","c":"check","u":"reset"}',
      '{"f":2,"x":1,"s":"verify","d":"email","u":"sign-in","a":"acct","e":"e@example.com","m":"N","q":1}',
      '{"f":2,"x":1,"s":"verify","d":"totp","u":"reset","e":"e@example.com"}',
      '{"f":2,"x":1,"s":"profile","a":"acct","e":"e@example.com"}',
      '{"f":1,"x":1,"s":"authenticated"}',
      '{"f":2,"x":1,"s":"upstream","r":"google","b":"h"}',
      '{"f":2,"x":1,"s":"upstream","r":"passkey"}',
      '{"f":2,"x":1,"s":"upstream","r":"passkey","b":"h","k":["s","n"]}',
      '{"f":2,"x":1,"s":"verify","d":"email","c":"c","u":"link","a":"acct","e":"e@example.com","m":"N","q":1,"w":"email"}',
      '{"f":2,"x":1,"s":"verify","d":"email","c":"c","u":"link","a":"acct","e":"e@example.com","m":"N","q":1,"l":["google","i","s",null,1,null]}',
    ]) {
      expect(() => decodeSession(text)).toThrow(expect.objectContaining({ name: 'SessionFormatError', message: expect.stringMatching(/^Session record \(format [12]\) at step \S+ lacks its fields$/) }));
    }
  });
});
