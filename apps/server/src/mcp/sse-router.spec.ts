/** Legacy SSE across instances: who owns a stream, and forwarding a message to its owner over Redis. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { Redis } from 'ioredis';
import { freePort } from '@target-auth/testing/ports';
import type { AppConfig } from '../config/app-config.js';
import type { RedisConnection } from '../redis/redis.module.js';
import { redisAvailable, TEST_REDIS_URL, testRedisClient } from '../testing/redis.js';
import { itWhen } from '../testing/services.js';
import { type ForwardedMessage, SseRouter } from './sse-router.js';

const haveRedis = await redisAvailable();
const config = { sse: { idleTimeoutMs: 30_000 } } as AppConfig;
const ping: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };
const router = (client: Redis | null) => new SseRouter({ client } as RedisConnection, config);

describe('SseRouter without Redis', () => {
  it('knows only local streams: nothing to claim, nothing forwarded', async () => {
    const sut = router(null);
    await sut.onModuleInit();
    expect(sut.enabled).toBe(false);
    await expect(sut.claim('s')).resolves.toBeUndefined();
    await expect(sut.renew('s')).resolves.toBeUndefined();
    await expect(sut.release('s')).resolves.toBeUndefined();
    expect(await sut.forward({ streamId: 's', message: ping })).toBe(false);
    await sut.onApplicationShutdown();
  });

  it('answers "unavailable" when Redis does not answer a claim or a lookup', async () => {
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const sut = router(down);
      await expect(sut.claim('s')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      await expect(sut.forward({ streamId: 's', message: ping })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      await expect(sut.renew('s')).resolves.toBeUndefined();
      await expect(sut.release('s')).resolves.toBeUndefined();
    } finally {
      down.disconnect();
    }
  });
});

describe('SseRouter on Redis', () => {
  const maybe = itWhen(haveRedis);
  let made: ReturnType<typeof testRedisClient>;
  let owner: SseRouter;
  let other: SseRouter;
  const delivered: ForwardedMessage[] = [];
  let arrived: () => void = () => undefined;

  /** Subscriptions are made in the background: waits until the router's channel has its listener. */
  async function subscribed(sut: SseRouter): Promise<void> {
    for (let waited = 0; Number((await made.client.pubsub('NUMSUB', `target-auth:sse:${sut.instanceId}`))[1]) === 0; waited += 20) {
      if (waited > 5000) throw new Error('no subscription');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    if (!haveRedis) return;
    made = testRedisClient();
    owner = router(made.client);
    other = router(made.client);
    owner.deliver = (forwarded) => {
      delivered.push(forwarded);
      arrived();
    };
    await Promise.all([owner.onModuleInit(), other.onModuleInit()]);
    await subscribed(owner);
  });
  afterAll(async () => {
    if (!haveRedis) return;
    await Promise.all([owner.onApplicationShutdown(), other.onApplicationShutdown()]);
    await made.drop();
  });

  maybe('records the owner of a stream for the idle timeout and a minute, renewed by traffic', async () => {
    expect(owner.enabled).toBe(true);
    await owner.claim('owned');
    expect(await made.client.get('sse:owned')).toBe(owner.instanceId);
    const ttl = await made.client.pttl('sse:owned');
    expect(ttl).toBeGreaterThan(89_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
    await made.client.pexpire('sse:owned', 1000);
    await owner.renew('owned');
    expect(await made.client.pttl('sse:owned')).toBeGreaterThan(89_000);
    await owner.release('owned');
    expect(await made.client.exists('sse:owned')).toBe(0);
  });

  maybe("forwards a message to the stream's owner, with its verified identity; not to itself, nor for a stream nobody owns", async () => {
    await owner.claim('s1');
    const forwarded: ForwardedMessage = { streamId: 's1', message: ping, auth: { clientId: 'c', scopes: ['account:read'], extra: { accountId: 'a' } } };
    const received = new Promise<void>((resolve) => (arrived = resolve));
    expect(await other.forward(forwarded)).toBe(true);
    await received;
    expect(delivered).toEqual([forwarded]);
    expect(await owner.forward(forwarded)).toBe(false);
    expect(await other.forward({ streamId: 'nobody', message: ping })).toBe(false);
    await owner.release('s1');
    expect(await other.forward(forwarded)).toBe(false);
  });

  maybe('says false when the owner no longer listens', async () => {
    await made.client.set('sse:orphan', 'an-instance-that-left');
    expect(await other.forward({ streamId: 'orphan', message: ping })).toBe(false);
  });

  maybe('drops a malformed forwarded message with a warning', async () => {
    const warned = new Promise<string>((resolve) =>
      jest.spyOn(Logger.prototype, 'warn').mockImplementationOnce(function (this: { context?: string }, message) {
        resolve(`${this.context}: ${String(message)}`);
      }),
    );
    const before = delivered.length;
    await made.client.publish(`target-auth:sse:${owner.instanceId}`, '{not json');
    expect(await warned).toBe('MCP: Dropped a malformed forwarded SSE message');
    expect(delivered).toHaveLength(before);
  });

  maybe("subscribes on the app's client, which has no offline queue, before that client has connected", async () => {
    const client = new Redis(TEST_REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const sut = router(client);
    try {
      await sut.onModuleInit();
      await subscribed(sut);
    } finally {
      await sut.onApplicationShutdown();
      client.disconnect();
    }
  });
});
