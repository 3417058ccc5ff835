/**
 * Redis for tests: the project's server (TEST_REDIS_URL, default
 * redis://127.0.0.1:6379) with a key prefix of the test's own, and, for tests
 * that stop or restart Redis, a `redis-server` of their own on a free port with
 * a temp directory. Without a reachable Redis the Redis half is skipped with a
 * printed reason, except under CI=true, where it must run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@target-auth/testing/ports';
import { Redis } from 'ioredis';
import { closeLater } from './leftovers.js';
import { serviceAvailable } from './services.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether the project's Redis answers (see services.ts for the skip rule). */
export function redisAvailable(): Promise<boolean> {
  return serviceAvailable({
    name: 'Redis',
    url: TEST_REDIS_URL,
    setting: 'TEST_REDIS_URL',
    probe: async () => {
      const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    },
  });
}

/** A client on the project's Redis whose keys start with a prefix of this test's own; `drop` deletes them. */
export function testRedisClient(): { client: Redis; drop(): Promise<void> } {
  const prefix = `target-auth-test-${randomBytes(6).toString('hex')}:`;
  const client = new Redis(TEST_REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 0 });
  return {
    client,
    drop: async () => {
      const keys = await client.keys(`${prefix}*`);
      const admin = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0 });
      try {
        // KEYS answers full names; DEL through an unprefixed client.
        if (keys.length > 0) await admin.del(...keys);
      } finally {
        admin.disconnect();
        client.disconnect();
      }
    },
  };
}

export interface OwnRedis {
  url: string;
  /** SHUTDOWN (saving the append-only file), as an operator's restart does. */
  shutdown(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Kills it at once (an outage). */
  kill(): Promise<void>;
  remove(): Promise<void>;
}

/** A redis-server of the test's own: append-only (fsync every second), in a temp dir, on a free port. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'target-auth-redis-'));
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''], {
      stdio: 'ignore',
    });
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    for (let waited = 0; ; waited += 50) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        if (waited > 5000) throw new Error(`redis-server did not start on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  // A child killed by a signal keeps exitCode null: signalCode says it has gone.
  const exited = () => new Promise<void>((resolve) => (child && child.exitCode === null && child.signalCode === null ? child.once('exit', () => resolve()) : resolve()));
  await start();
  const remove = closeLater(async () => {
    child?.kill('SIGKILL');
    await exited();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url,
    start,
    shutdown: async () => {
      const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      await client.call('SHUTDOWN').catch(() => undefined);
      client.disconnect();
      await exited();
    },
    kill: async () => {
      child?.kill('SIGKILL');
      await exited();
    },
    remove,
  };
}
