/**
 * Real-mode limits under parallel requests, on two instances of the built
 * server sharing Redis and PostgreSQL (and, for the memory store, on one):
 * each budget is reserved before the work, so no burst overshoots it. Also
 * the credentials epoch across instances: a reset on one ends the other's
 * sign-ins at once.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { settle } from '../src/testing/teardown.js';
import { ToolName } from '@target-auth/shared/tools';
import { totpCode } from '../src/accounts/totp.js';
import { postgresAvailable, postgresTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { redisAvailable, TEST_REDIS_URL } from '../src/testing/redis.js';
import { itWhen } from '../src/testing/services.js';
import { call, connectV2 } from './helpers.js';
import { type Instance, startInstance } from './instances.js';
import { accountsCli, TestMailbox } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const available = (await postgresAvailable()) && (await redisAvailable());
const maybe = itWhen(available);
const mailbox = new TestMailbox();
let database: TestDatabase;
let env: Record<string, string>;
let instances: Instance[] = [];
const secrets = new Map<string, string>();

async function tool(instance: Instance, name: string, args: Record<string, unknown> = {}) {
  const client = await connectV2(instance.url);
  try {
    return (await call(client, name, args)).structuredContent as Record<string, unknown>;
  } finally {
    await client.close();
  }
}
const newSession = async (instance: Instance) => (await tool(instance, ToolName.createSession))['sessionId'] as string;

async function addAccount(email: string, totp = false): Promise<void> {
  expect(await accountsCli(['add', '--email', email, '--name', 'Parallel Test', '--password-stdin'], env, `${PASSWORD}\n`)).toMatchObject({ code: 0 });
  if (!totp) return;
  const enabled = await accountsCli(['totp', 'enable', email], env);
  secrets.set(email, /secret=([A-Z2-7]+)/.exec(enabled.stdout)![1]!);
}

/** How many of these answers had their code checked (a wrong code or a lock), not refused by the budget. */
const checked = (answers: Record<string, unknown>[]) => answers.filter((answer) => answer['error'] !== 'rate_limited').length;

beforeAll(async () => {
  if (!available) return;
  database = await postgresTestDatabase();
  // A Redis database of this suite's own on the project's server (flushed first: no other suite uses number 14).
  const redisUrl = `${TEST_REDIS_URL.replace(/\/\d*$/, '')}/14`;
  env = { ...database.env, DEMO_MODE: 'false', SMTP_URL: await mailbox.start(), REDIS_URL: redisUrl };
  const { Redis } = await import('ioredis');
  const flush = new Redis(redisUrl);
  await flush.flushdb();
  flush.disconnect();
  await addAccount('totp@example.com', true);
  await addAccount('victim@example.com');
  await addAccount('epoch@example.com');
  instances = await Promise.all([startInstance(env), startInstance(env)]);
}, 120_000);

afterAll(async () => {
  await settle(
    ...instances.map((instance) => () => instance.stop()),
    () => mailbox.stop(),
    () => database?.drop(),
  );
});

describe('limits under parallel requests, two instances on Redis (e2e)', () => {
  maybe('checks at most 10 wrong authenticator codes of one account, of 60 sent at once to both instances', async () => {
    const email = 'totp@example.com';
    const sessions: string[] = [];
    for (let i = 0; i < 12; i++) {
      const sessionId = await newSession(instances[i % 2]!);
      expect(await tool(instances[i % 2]!, ToolName.submitCredentials, { sessionId, email, password: PASSWORD })).toMatchObject({ delivery: { method: 'totp' } });
      sessions.push(sessionId);
    }
    const right = totpCode(secrets.get(email)!, Date.now());
    const wrong = right === '000000' ? '111111' : '000000';
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => tool(instances[i % 2]!, ToolName.verifyCode, { sessionId: sessions[i % 12]!, code: wrong })));
    expect(checked(answers)).toBeLessThanOrEqual(10);
    expect(answers.some((answer) => answer['error'] === 'rate_limited')).toBe(true);
  });

  maybe('mails at most 5 reset codes to one address for 150 resets in 150 sessions at once', async () => {
    const email = 'victim@example.com';
    const sessions = await Promise.all(Array.from({ length: 150 }, (_, i) => newSession(instances[i % 2]!)));
    const answers = await Promise.all(sessions.map((sessionId, i) => tool(instances[i % 2]!, ToolName.startPasswordReset, { sessionId, email })));
    expect(answers.filter((answer) => answer['step'] === 'verify')).toHaveLength(5);
    expect(answers.filter((answer) => answer['error'] === 'rate_limited')).toHaveLength(145);
    await mailbox.until((mails) => mails.filter((mail) => mail.to === email).length >= 5, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailbox.count(email)).toBe(5);
  });

  maybe('a new password set through one instance ends the sign-ins of the other at once', async () => {
    const email = 'epoch@example.com';
    const [one, other] = instances as [Instance, Instance];
    const signedIn = await newSession(one);
    await tool(one, ToolName.submitCredentials, { sessionId: signedIn, email, password: PASSWORD });
    await tool(other, ToolName.verifyCode, { sessionId: signedIn, code: await mailbox.nextCode(email) });
    expect(await tool(other, ToolName.authStatus, { sessionId: signedIn })).toMatchObject({ authenticated: true });
    const resetting = await newSession(other);
    await tool(other, ToolName.startPasswordReset, { sessionId: resetting, email });
    await tool(other, ToolName.verifyCode, { sessionId: resetting, code: await mailbox.nextCode(email) });
    await tool(other, ToolName.setPassword, { sessionId: resetting, password: 'Lantern-Maple-Voyage-7' });
    expect(await tool(one, ToolName.authStatus, { sessionId: signedIn })).toEqual({ authenticated: false, expired: true });
    expect(await tool(other, ToolName.authStatus, { sessionId: signedIn })).toEqual({ authenticated: false, expired: true });
    expect(await tool(one, ToolName.authStatus, { sessionId: resetting })).toMatchObject({ authenticated: true });
  });
});
