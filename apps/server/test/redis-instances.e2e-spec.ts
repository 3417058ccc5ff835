/**
 * Several instances on one Redis (REDIS_URL), as behind a load balancer with
 * no sticky sessions: a sign-in hopping between instances, a race of wrong
 * codes over three instances, an instance killed mid-sign-in, Redis restarted,
 * and Redis gone and back. The instances are the built server (dist/main.js);
 * Redis is a redis-server of this test's own (append-only, temp dir).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_CODE_ATTEMPTS, ToolName, UNAVAILABLE_MESSAGE } from '@target-auth/shared/tools';
import { Redis } from 'ioredis';
import { ownRedis, type OwnRedis } from '../src/testing/redis.js';
import { call, connect, raw } from './helpers.js';
import { type Instance, startInstance } from './instances.js';

const CODE = '246810';
let redis: OwnRedis;
let instances: Instance[];
let a: Instance, b: Instance, c: Instance;

async function tool(instance: Instance, name: string, args: Record<string, unknown> = {}) {
  const client = await connect(instance.url);
  try {
    return await call(client, name, args);
  } finally {
    await client.close();
  }
}

const api = async (instance: Instance, path: string, body: object) => {
  const answer = await raw(instance.url, { path: `/api/session/${path}`, body: JSON.stringify(body) });
  return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body) as Record<string, unknown> };
};

/** A legacy SSE stream read by hand: its POST endpoint, and the JSON-RPC messages it carries, one by one. */
function openSseStream(instance: Instance): Promise<{ endpoint: string; next(): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: string }[] = [];
    const waiting: (() => void)[] = [];
    const req = request(`${instance.url}/sse`, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          events.push({ event, data });
          for (const wake of waiting.splice(0)) wake();
        }
      });
      const take = async (kind: string): Promise<string> => {
        const deadline = Date.now() + 5000;
        for (;;) {
          const index = events.findIndex((item) => item.event === kind);
          if (index >= 0) return events.splice(index, 1)[0]!.data;
          if (Date.now() > deadline) throw new Error(`no ${kind} event within 5 s`);
          await new Promise<void>((wake) => {
            const timer = setTimeout(wake, 100);
            waiting.push(() => (clearTimeout(timer), wake()));
          });
        }
      };
      take('endpoint').then(
        (endpoint) => resolve({ endpoint, next: async () => JSON.parse(await take('message')) as unknown, close: () => req.destroy() }),
        reject,
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const newSession = async (instance: Instance) => (await tool(instance, ToolName.createSession)).structuredContent!['sessionId'] as string;

beforeAll(async () => {
  redis = await ownRedis();
  const env = { REDIS_URL: redis.url, DEMO_CODE: CODE, LOG_LEVEL: 'warn' };
  instances = await Promise.all([startInstance(env), startInstance(env), startInstance(env)]);
  [a, b, c] = instances as [Instance, Instance, Instance];
}, 60_000);

afterAll(async () => {
  await Promise.all((instances ?? []).map((instance) => instance.stop('SIGKILL')));
  await redis?.remove();
});

describe('instances sharing one Redis (e2e)', () => {
  it('signs in with every step on another instance, over MCP and over the HTTP API', async () => {
    const sessionId = await newSession(a);
    expect((await tool(b, ToolName.authenticate, { sessionId })).structuredContent).toMatchObject({ step: 'credentials' });
    expect((await tool(b, ToolName.submitCredentials, { sessionId, email: 'ada@example.com', password: 'pw' })).structuredContent).toMatchObject({ step: 'verify' });
    expect((await tool(c, ToolName.verifyCode, { sessionId, code: CODE })).structuredContent).toMatchObject({ authenticated: true });
    expect((await tool(a, ToolName.authStatus, { sessionId })).structuredContent).toEqual({ authenticated: true, email: 'ada@example.com', name: 'Lauren Bailey' });

    const viaApi = await newSession(c);
    expect((await api(a, 'credentials', { sessionId: viaApi, email: 'bob@example.com', password: 'pw' })).status).toBe(200);
    expect(await api(b, 'authenticate', { sessionId: viaApi, code: CODE })).toMatchObject({ status: 200, body: { authenticated: true, email: 'bob@example.com' } });
    expect((await tool(c, ToolName.authStatus, { sessionId: viaApi })).structuredContent).toMatchObject({ authenticated: true, email: 'bob@example.com' });
  });

  it('counts 200 parallel wrong codes over three instances exactly to the lockout', async () => {
    const sessionId = await newSession(a);
    await api(a, 'credentials', { sessionId, email: 'race@example.com', password: 'pw' });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => api(instances[i % 3]!, 'authenticate', { sessionId, code: '000000' })));
    const wrong = answers.filter((answer) => answer.status === 401).map((answer) => answer.body['attemptsLeft']);
    expect(wrong.sort()).toEqual([1, 2, 3, 4]);
    expect(answers.filter((answer) => answer.status === 423)).toHaveLength(200 - (MAX_CODE_ATTEMPTS - 1));
    expect(answers.every((answer) => answer.status === 401 || answer.status === 423)).toBe(true);
    expect((await api(b, 'authenticate', { sessionId, code: CODE })).status).toBe(423);
    expect((await tool(c, ToolName.authStatus, { sessionId })).structuredContent).toEqual({ authenticated: false, locked: true });
  });

  it('finishes a sign-in on another instance after the one that took the credentials is killed', async () => {
    const sessionId = await newSession(a);
    await tool(b, ToolName.submitCredentials, { sessionId, email: 'kill@example.com', password: 'pw' });
    expect(await b.stop('SIGKILL')).toBeNull();
    expect((await tool(c, ToolName.verifyCode, { sessionId, code: CODE })).structuredContent).toMatchObject({ authenticated: true, email: 'kill@example.com' });
    expect((await tool(a, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: true });
    b = await startInstance({ REDIS_URL: redis.url, DEMO_CODE: CODE, LOG_LEVEL: 'warn' });
    instances[1] = b;
  });

  it('delivers a legacy SSE message posted to another instance on the stream that owns it', async () => {
    const stream = await openSseStream(a);
    try {
      const post = (instance: Instance, body: object) =>
        raw(instance.url, { path: stream.endpoint, body: JSON.stringify(body) });
      const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'sse', version: '1' } } };
      expect((await post(b, initialize)).status).toBe(202);
      expect(await stream.next()).toMatchObject({ id: 1, result: { protocolVersion: '2024-11-05' } });
      expect((await post(c, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
      expect((await post(c, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: ToolName.createSession, arguments: {} } })).status).toBe(202);
      expect(await stream.next()).toMatchObject({ id: 2, result: { structuredContent: { message: 'Session created' } } });
      const unknown = await raw(b.url, { path: '/messages?sessionId=nobody', body: JSON.stringify(initialize) });
      expect(unknown.status).toBe(404);
    } finally {
      stream.close();
    }
  });

  it('keeps every session, its step, attempts and expiry across a Redis restart', async () => {
    const pending = await newSession(a);
    const verifying = await newSession(a);
    await tool(a, ToolName.submitCredentials, { sessionId: verifying, email: 'v@example.com', password: 'pw' });
    await tool(b, ToolName.verifyCode, { sessionId: verifying, code: '000000' });
    await tool(c, ToolName.verifyCode, { sessionId: verifying, code: '000000' });
    const signedIn = await newSession(a);
    await tool(a, ToolName.submitCredentials, { sessionId: signedIn, email: 's@example.com', password: 'pw' });
    await tool(a, ToolName.verifyCode, { sessionId: signedIn, code: CODE });
    const inspect = new Redis(redis.url, { keyPrefix: 'target-auth:', maxRetriesPerRequest: 0, lazyConnect: true });
    await inspect.connect();
    const expiries = async () => Promise.all([pending, verifying, signedIn].map((id) => inspect.pexpiretime(`session:${id}`)));
    const before = await expiries();
    inspect.disconnect();

    await redis.shutdown();
    await redis.start();
    await Promise.all(instances.map((instance) => instance.ready()));

    await inspect.connect();
    expect(await expiries()).toEqual(before);
    inspect.disconnect();
    expect((await tool(b, ToolName.authStatus, { sessionId: pending })).structuredContent).toEqual({ authenticated: false, email: null, name: null });
    expect((await tool(c, ToolName.authStatus, { sessionId: signedIn })).structuredContent).toMatchObject({ authenticated: true, email: 's@example.com' });
    const third = await tool(a, ToolName.verifyCode, { sessionId: verifying, code: '000000' });
    expect(third.structuredContent).toMatchObject({ error: 'wrong_code', attemptsLeft: 2 });
  }, 60_000);

  it('answers "unavailable" within 2 s while Redis is gone, never signs anyone in, and recovers when it returns', async () => {
    const sessionId = await newSession(a);
    await tool(a, ToolName.submitCredentials, { sessionId, email: 'outage@example.com', password: 'pw' });
    await redis.kill();

    for (const instance of instances) {
      const started = Date.now();
      const result = await tool(instance, ToolName.verifyCode, { sessionId, code: CODE });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toEqual({ error: 'unavailable', message: UNAVAILABLE_MESSAGE });
    }
    const started = Date.now();
    const status = await tool(b, ToolName.authStatus, { sessionId });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(status.structuredContent).toMatchObject({ error: 'unavailable' });
    const viaApi = await api(c, 'authenticate', { sessionId, code: CODE });
    expect(viaApi).toMatchObject({ status: 503, body: { error: 'unavailable', message: UNAVAILABLE_MESSAGE } });
    expect(viaApi.headers['retry-after']).toBe('5');
    const ready = await raw(a.url, { method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'unavailable', checks: { store: 'failed' }, backends: { store: 'redis' } });
    expect((await raw(a.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect(instances.every((instance) => instance.child.exitCode === null)).toBe(true);

    await redis.start();
    await Promise.all(instances.map((instance) => instance.ready()));
    const after = await newSession(c);
    await tool(a, ToolName.submitCredentials, { sessionId: after, email: 'back@example.com', password: 'pw' });
    expect((await tool(b, ToolName.verifyCode, { sessionId: after, code: CODE })).structuredContent).toMatchObject({ authenticated: true });
    for (const instance of instances) expect(instance.output()).not.toMatch(/at .*\.js:\d+/);
  }, 60_000);
});
