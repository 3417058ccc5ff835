/** What the Redis store adds to the SessionStore contract (session.store.spec.ts): its failure, retry and queueing rules. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { freePort } from '@target-auth/testing/ports';
import { redisAvailable, testRedisClient } from '../testing/redis.js';
import { itWhen } from '../testing/services.js';
import { RedisSessionStore } from './redis-session.store.js';
import type { SessionRecord } from './session.record.js';
import { failedCodes, failedOnce, isOpened, opened, pending, waiting } from '../testing/records.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';

const haveRedis = await redisAvailable();
const FUTURE = Date.now() + 3_600_000;
const OPTIONS = { retentionMs: 1000, maxSessions: 1000 };

describe('RedisSessionStore when Redis does not answer', () => {
  let client: Redis;
  beforeAll(async () => {
    client = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  });
  afterAll(() => client.disconnect());

  it('fails every operation with StoreUnavailableError, keeping the cause', async () => {
    const sut = new RedisSessionStore(client, OPTIONS);
    for (const operation of [() => sut.ping(), () => sut.size(), () => sut.read('id'), () => sut.insert('id', pending(FUTURE))]) {
      const error = await operation().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ name: 'StoreUnavailableError', message: expect.stringMatching(/^Redis: ./), cause: expect.any(Error) });
    }
  });
});

describe('RedisSessionStore', () => {
  const maybe = itWhen(haveRedis);
  let made: ReturnType<typeof testRedisClient>;
  let sut: RedisSessionStore;
  beforeAll(() => {
    if (!haveRedis) return;
    made = testRedisClient();
    sut = new RedisSessionStore(made.client, OPTIONS);
  });
  afterAll(async () => {
    if (haveRedis) await made.drop();
  });
  const ids = { next: 0 };
  const freshId = () => `redis-store-${ids.next++}`;

  maybe('answers a ping', async () => {
    await expect(sut.ping()).resolves.toBeUndefined();
  });

  maybe('lets a transition decide on an unknown id, and create the session', async () => {
    const id = freshId();
    const seen: (SessionRecord | undefined)[] = [];
    expect(
      await sut.transition(id, (record) => {
        seen.push(record);
        return { result: 'left alone' };
      }),
    ).toBe('left alone');
    expect(await sut.read(id)).toBeUndefined();
    expect(await sut.transition(id, (record) => ({ next: record ?? pending(FUTURE, true), result: 'made' }))).toBe('made');
    expect(seen).toEqual([undefined]);
    expect(isOpened(await sut.get(id))).toBe(true);
  });

  maybe('reads a half-written key as no session', async () => {
    const id = freshId();
    await made.client.hset(`session:${id}`, 'v', '1');
    expect(await sut.read(id)).toBeUndefined();
  });

  maybe(`gives up with StoreUnavailableError after 16 decisions when another writer changes the session each time`, async () => {
    const id = freshId();
    await sut.insert(id, pending(FUTURE));
    let decisions = 0;
    const busy = sut.transition(id, (record) => {
      decisions++;
      // Another instance writes between this read and this write (its command goes first on the connection).
      void made.client.hincrby(`session:${id}`, 'v', 1);
      return { next: opened(record), result: null };
    });
    await expect(busy).rejects.toThrow(new StoreUnavailableError(`Session ${id.slice(0, 9)}… changed 16 times during one step`));
    expect(decisions).toBe(16);
  });

  maybe('queues the transitions of one session in this process, so none decides on a stale record', async () => {
    const id = freshId();
    await sut.insert(id, waiting(FUTURE));
    const seen: Record<string, number[]> = { first: [], second: [], third: [] };
    const step = (name: string) =>
      sut.transition(id, (record) => {
        seen[name]!.push(failedCodes(record)!);
        return { next: failedOnce(record), result: null };
      });
    const first = step('first');
    const second = step('second');
    await first;
    // Let the first's bookkeeping run (microtasks only: the second's read is still on the wire).
    for (let tick = 0; tick < 5; tick++) await Promise.resolve();
    // Asked for while the second is still pending: it waits for it.
    await step('third');
    await second;
    expect(seen).toEqual({ first: [0], second: [1], third: [2] });
  });
});
