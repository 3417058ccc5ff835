/** The SessionStore contract, run against the memory store and against Redis (the project's server). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { FakeClock } from '../testing/fakes.js';
import { redisAvailable, testRedisClient } from '../testing/redis.js';
import { MemorySessionStore } from './memory-session.store.js';
import { RedisSessionStore } from './redis-session.store.js';
import { decodeSession, encodeSession } from './session.codec.js';
import { SessionRecord } from './session.record.js';
import type { SessionStore } from './session.store.js';
import { itWhen } from '../testing/services.js';

const haveRedis = await redisAvailable();
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
    const record = new SessionRecord(FUTURE, { step: 'verify', email: 'a@example.com', name: 'A', method: 'email', codeCheck: 'c', codeSentAt: 5 });
    expect(await sut.store.insert('one', record)).toBe(true);
    const read = await sut.store.read('one');
    expect(read?.record).toEqual(record);
    expect(typeof read?.version).toBe('number');
    expect(await sut.store.read('none')).toBeUndefined();
    expect(await sut.store.get('one')).toEqual(record);
  });

  maybe('applies a decision and returns its result; no decision leaves the record as is', async () => {
    await sut.store.insert('two', new SessionRecord(FUTURE));
    expect(await sut.store.transition('two', (record) => ({ next: record!.with({ failedCodes: 1 }), result: 'moved' }))).toBe('moved');
    expect((await sut.store.get('two'))?.failedCodes).toBe(1);
    expect(await sut.store.transition('two', () => ({ result: 'kept' }))).toBe('kept');
    expect((await sut.store.get('two'))?.failedCodes).toBe(1);
  });

  maybe('loses no update under 50 concurrent transitions in one process', async () => {
    await sut.store.insert('busy', new SessionRecord(FUTURE));
    await Promise.all(Array.from({ length: 50 }, () => sut.store.transition('busy', (record) => ({ next: record!.with({ failedCodes: record!.failedCodes + 1 }), result: null }))));
    expect((await sut.store.get('busy'))?.failedCodes).toBe(50);
  });

  maybe('when full, evicts the oldest never-opened sign-in, then the oldest at credentials, never one past them', async () => {
    const small = make(3);
    try {
      const { store } = small;
      await store.insert('verify', new SessionRecord(FUTURE + 100, { step: 'verify', email: 'a@example.com' }));
      await store.insert('opened', new SessionRecord(FUTURE + 200));
      await store.transition('opened', (record) => ({ next: record!.with({ opened: true }), result: null }));
      await store.insert('fresh', new SessionRecord(FUTURE + 300));
      expect(await store.insert('new1', new SessionRecord(FUTURE + 400))).toBe(true);
      expect(await store.get('fresh')).toBeUndefined();
      expect(await store.get('opened')).toBeDefined();
      expect(await store.insert('new2', new SessionRecord(FUTURE + 500))).toBe(true);
      expect(await store.get('new1')).toBeUndefined();
      // Signed in: past credentials, never evicted.
      await store.transition('new2', (record) => ({ next: record!.with({ step: 'authenticated' }), result: null }));
      expect(await store.insert('new3', new SessionRecord(FUTURE + 600))).toBe(true);
      expect(await store.get('opened')).toBeUndefined();
      expect(await store.get('new2')).toBeDefined();
      await store.transition('new3', (record) => ({ next: record!.with({ step: 'verify' }), result: null }));
      expect(await store.insert('refused', new SessionRecord(FUTURE + 700))).toBe(false);
      expect(await store.get('verify')).toBeDefined();
      expect(await store.size()).toBe(3);
    } finally {
      await small.drop();
    }
  });

  maybe('propagates what the decision throws, writing nothing', async () => {
    await sut.store.insert('throws', new SessionRecord(FUTURE));
    await expect(sut.store.transition('throws', () => { throw new Error('refused'); })).rejects.toThrow('refused');
    expect((await sut.store.get('throws'))?.step).toBe('credentials');
  });

  if (kind === 'Redis') {
    maybe('reads in one round trip, and a transition from a fresh read writes in one more', async () => {
      const client = sut.client!;
      const counter = countCommands(client);
      await sut.store.insert('trips', new SessionRecord(FUTURE));
      let before = counter.count();
      const read = await sut.store.read('trips');
      expect(counter.count() - before).toBe(1);
      before = counter.count();
      await sut.store.transition('trips', (record) => ({ next: record!.with({ opened: true }), result: null }), read);
      expect(counter.count() - before).toBe(1);
    });

    maybe('refuses a write from a stale read, then decides again on the fresh record', async () => {
      await sut.store.insert('stale', new SessionRecord(FUTURE));
      const stale = await sut.store.read('stale');
      // Another instance writes in between.
      const otherInstance = new RedisSessionStore(sut.client!, { retentionMs: 300, maxSessions: 1000 });
      await otherInstance.transition('stale', (record) => ({ next: record!.with({ failedCodes: 1 }), result: null }));
      const seen: number[] = [];
      await sut.store.transition('stale', (record) => {
        seen.push(record!.failedCodes);
        return { next: record!.with({ failedCodes: record!.failedCodes + 1 }), result: null };
      }, stale);
      expect(seen).toEqual([0, 1]);
      expect((await sut.store.get('stale'))?.failedCodes).toBe(2);
    });

    maybe('lets Redis expire a session one retention after it expires', async () => {
      await sut.store.insert('short', new SessionRecord(Date.now() + 200));
      expect(await sut.store.get('short')).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await sut.store.get('short')).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await sut.store.get('short')).toBeUndefined();
    });
  }
});

describe('the serialised session', () => {
  it('keeps every field, and refuses a format it does not know', () => {
    const record = new SessionRecord(123, {
      step: 'profile',
      failedCodes: 2,
      accountId: 'acct',
      email: 'e@example.com',
      name: 'N',
      profile: 'P',
      purpose: 'reset',
      method: 'totp',
      codeCheck: 'check',
      codeSentAt: 99,
      opened: true,
      epoch: 1_764_000_000,
      device: 'device-hash',
      interaction: 'uid-1',
    });
    expect(decodeSession(encodeSession(record))).toEqual(record);
    expect(encodeSession(new SessionRecord(1)).length).toBeLessThan(150);
    expect(() => decodeSession('{"f":3,"x":1,"s":"credentials"}')).toThrow(/Unknown session format 3/);
  });

  it('reads a signed-in session written by the release before (format 1) with no epoch, so it reads as ended', () => {
    const older = '{"f":1,"x":5,"s":"authenticated","n":0,"a":"acct","e":"e@example.com","m":"N","p":null,"u":"sign-in","d":"email","c":null,"t":1,"o":1}';
    expect(decodeSession(older)).toMatchObject({ step: 'authenticated', accountId: 'acct', epoch: null, device: null, interaction: null });
  });

  it('refuses a stored record without its expiry or step, by name, and fills the fields an older writer left out', () => {
    for (const text of ['{"f":1,"s":"credentials"}', '{"f":1,"x":"1","s":"credentials"}', '{"f":1,"x":1}', '{"f":1,"x":1,"s":2}', '{"f":2,"x":1}']) {
      expect(() => decodeSession(text)).toThrow(expect.objectContaining({ name: 'SessionFormatError', message: expect.stringMatching(/^Unknown session format [12]$/) }));
    }
    const record = decodeSession('{"f":1,"x":5,"s":"verify"}');
    expect({ ...record }).toEqual({ ...new SessionRecord(5, { step: 'verify' }) });
    expect(record.purpose).toBe('sign-in');
  });
});
