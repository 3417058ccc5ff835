/**
 * Codes are mailed through a durable outbox: the request never waits for
 * SMTP, a mail server that is down gets the code once it is back, a restart
 * of this server loses nothing queued, and a mail refused for good is logged
 * without secrets and counted in /metrics.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { freePort } from '@target-auth/testing/ports';
import { embeddedTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { captureOutput } from '../src/testing/logs.js';
import { call, connectV2, raw, type Running, startServer } from './helpers.js';
import { accountsCli, TestMailbox } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
let database: TestDatabase;
let env: Record<string, string>;
let smtpPort: number;
const logged: string[] = [];

async function reset(server: Running, email: string): Promise<{ ms: number; content: unknown }> {
  const client = await connectV2(server.baseUrl);
  try {
    const sessionId = (await call(client, ToolName.createSession)).structuredContent!['sessionId'] as string;
    const started = performance.now();
    const answer = await call(client, ToolName.startPasswordReset, { sessionId, email });
    return { ms: performance.now() - started, content: answer.structuredContent };
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  database = embeddedTestDatabase();
  smtpPort = await freePort();
  env = { ...database.env, DEMO_MODE: 'false', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, METRICS: 'true', LOG_LEVEL: 'log' };
  for (const email of ['down@example.com', 'restart@example.com', 'refused@example.com']) {
    expect(await accountsCli(['add', '--email', email, '--name', 'Mail Test', '--password-stdin'], env, `${PASSWORD}\n`)).toMatchObject({ code: 0 });
  }
  captureOutput(logged);
}, 60_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await database.drop();
});

describe('the mail outbox (e2e)', () => {
  it('answers at once while SMTP is down, and mails the code once the mail server is back', async () => {
    const server = await startServer(env);
    try {
      const answer = await reset(server, 'down@example.com');
      expect(answer.content).toEqual({ step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'd•••@example.com' } });
      expect(answer.ms).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const mailbox = new TestMailbox();
      await mailbox.start(smtpPort);
      try {
        await mailbox.until((mails) => mails.some((mail) => mail.to === 'down@example.com'), 20_000);
        expect(await mailbox.nextCode('down@example.com')).toMatch(/^\d{6}$/);
        expect(logged.join('')).toMatch(/Mail not sent \(Error \(ESOCKET\)\); attempt 1, retrying in 2 s\./);
      } finally {
        await mailbox.stop();
      }
    } finally {
      await server.close();
    }
  }, 60_000);

  it('keeps what it queued across a restart of the server: the next start sends it', async () => {
    const before = await startServer(env);
    await reset(before, 'restart@example.com');
    await before.close();
    const mailbox = new TestMailbox();
    await mailbox.start(smtpPort);
    const after = await startServer(env);
    try {
      await mailbox.until((mails) => mails.some((mail) => mail.to === 'restart@example.com'), 10_000);
      expect(mailbox.count('restart@example.com')).toBe(1);
    } finally {
      await after.close();
      await mailbox.stop();
    }
  }, 60_000);

  it('logs a mail refused for good without the address or code, and counts it in /metrics', async () => {
    const mailbox = new TestMailbox((to) => to === 'refused@example.com');
    await mailbox.start(smtpPort);
    const server = await startServer(env);
    try {
      await reset(server, 'refused@example.com');
      await reset(server, 'nobody@example.com');
      const metrics = async () => (await raw(server.baseUrl, { method: 'GET', path: '/metrics' })).body;
      for (let waited = 0; !(await metrics()).includes('target_auth_mail_total{outcome="failed"} 1') && waited < 10_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const scraped = await metrics();
      expect(scraped).toContain('target_auth_mail_total{outcome="failed"} 1');
      expect(scraped).toContain('target_auth_mail_total{outcome="discarded"} 1');
      expect(scraped).toMatch(/^target_auth_mail_queued 0$/m);
      const log = logged.join('');
      expect(log).toMatch(/Mail given up: the mail server refused a code for good \(Error \(EENVELOPE\), 550\)\./);
      expect(log).not.toContain('refused@example.com');
    } finally {
      await server.close();
      await mailbox.stop();
    }
  }, 60_000);
});
