/**
 * One instance on Redis, in process: the Redis round trips each call makes
 * (get-target-auth-status 1, verify-target-code 2), and /readyz.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import type { Redis } from 'ioredis';
import { ToolName } from '@target-auth/shared/tools';
import { RedisConnection } from '../src/redis/redis.module.js';
import { redisAvailable, TEST_REDIS_URL } from '../src/testing/redis.js';
import { call, connect, raw, type Running, startServer } from './helpers.js';
import { itWhen } from '../src/testing/services.js';

const haveRedis = await redisAvailable();
const maybe = itWhen(haveRedis);

describe('one instance on Redis (e2e)', () => {
  let server: Running;
  let commands = 0;

  beforeAll(async () => {
    if (!haveRedis) return;
    server = await startServer({ REDIS_URL: TEST_REDIS_URL, DEMO_CODE: '135790' });
    const client = server.app.get(RedisConnection).client as Redis;
    await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())));
    const original = client.sendCommand.bind(client);
    client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
      commands++;
      return original(...args);
    });
  });
  afterAll(async () => {
    if (haveRedis) await server.close();
  });

  maybe('makes 1 Redis round trip for get-target-auth-status and 2 for verify-target-code', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    await call(client, ToolName.submitCredentials, { sessionId, email: 'ada@example.com', password: 'pw' });
    const counted = async (name: string, args: Record<string, unknown>) => {
      const before = commands;
      const result = await call(client, name, args);
      return { result, trips: commands - before };
    };
    const wrong = await counted(ToolName.verifyCode, { sessionId, code: '000000' });
    expect(wrong.result.structuredContent).toMatchObject({ error: 'wrong_code' });
    expect(wrong.trips).toBe(2);
    const right = await counted(ToolName.verifyCode, { sessionId, code: '135790' });
    expect(right.result.structuredContent).toMatchObject({ authenticated: true });
    expect(right.trips).toBe(2);
    const status = await counted(ToolName.authStatus, { sessionId });
    expect(status.result.structuredContent).toMatchObject({ authenticated: true });
    expect(status.trips).toBe(1);
    await client.close();
  });

  maybe('is ready while Redis answers', async () => {
    const ready = await raw(server.baseUrl, { method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { store: 'ok' }, backends: { store: 'redis' } });
  });
});
