/**
 * Real mode on a laptop: no SMTP_URL, no SECRET_KEY. The key is generated into
 * DATA_DIR once (and said so once), codes land as .eml files in
 * DATA_DIR/outbox (said once, never the code), and the HTTP API runs the
 * password reset with the same rules as the tools.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { embeddedTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { captureOutput } from '../src/testing/logs.js';
import { settle } from '../src/testing/teardown.js';
import { call, connect, raw, type Running, startServer } from './helpers.js';
import { accountsCli } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
let database: TestDatabase;
let env: Record<string, string>;
const logged: string[] = [];

const outbox = () => join(database.dataDir, 'outbox');
const mails = () => readdirSync(outbox()).filter((file) => file.endsWith('.eml')).sort().map((file) => join(outbox(), file));
/** The outbox once it holds `count` mails (mails are sent after the answer, by the mail outbox). */
async function mailsWhen(count: number): Promise<string[]> {
  for (let waited = 0; (!existsSync(outbox()) || mails().length < count) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return mails();
}
const codeIn = (file: string) => /^\s+(\d{6})$/m.exec(readFileSync(file, 'utf8'))![1]!;

beforeAll(async () => {
  database = embeddedTestDatabase();
  env = { ...database.env, DEMO_MODE: 'false', LOG_LEVEL: 'log' };
  expect((await accountsCli(['add', '--email', 'laptop@example.com', '--name', 'Lee Laptop', '--password-stdin'], env, `${PASSWORD}\n`)).code).toBe(0);
  captureOutput(logged);
}, 60_000);

let server: Running;

afterAll(async () => {
  jest.restoreAllMocks();
  await settle(
    // Undefined when the first test failed before starting it.
    () => (server as Running | undefined)?.close(),
    () => database?.drop(),
  );
});

describe('real mode without SMTP_URL or SECRET_KEY (e2e)', () => {
  it('generates SECRET_KEY into DATA_DIR once and says so once', async () => {
    server = await startServer(env);
    expect(statSync(join(database.dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    await server.close();
    server = await startServer(env);
    expect(logged.join('').match(/SECRET_KEY is not set: generated one into/g)).toHaveLength(1);
    expect(logged.join('')).toMatch(new RegExp(`\\[Accounts\\] .*Accounts: embedded database in ${database.dataDir}\\.`));
    const ready = await raw(server.baseUrl, { method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { store: 'ok', database: 'ok' }, backends: { store: 'memory', database: 'embedded' } });
  }, 60_000);

  it('writes code mails to DATA_DIR/outbox (mode 0600), says where once per start, and never logs the code', async () => {
    const outboxLines = () => logged.join('').match(/SMTP_URL is not set: codes are written as \.eml files to/g) ?? [];
    // The server was started twice above; each start said it once, before any mail.
    expect(outboxLines()).toHaveLength(2);
    const client = await connect(server.baseUrl);
    for (let i = 0; i < 2; i++) {
      const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
      expect((await call(client, ToolName.submitCredentials, { sessionId, email: 'laptop@example.com', password: PASSWORD })).isError).toBeFalsy();
      if (i === 0) {
        const code = codeIn((await mailsWhen(1))[0]!);
        expect((await call(client, ToolName.verifyCode, { sessionId, code })).structuredContent).toMatchObject({ authenticated: true, name: 'Lee Laptop' });
      }
    }
    await client.close();
    expect(await mailsWhen(2)).toHaveLength(2);
    const mail = readFileSync(mails()[0]!, 'utf8');
    expect(mail).toMatch(/^To: Lee Laptop <laptop@example.com>$/m);
    expect(mail).toMatch(/^Content-Type: multipart\/alternative/m);
    // CODE_TTL_MS is 10 minutes by default; the mail says so.
    expect(mail).toContain('It is valid for 10 minutes and works once.');
    expect(statSync(mails()[0]!).mode & 0o777).toBe(0o600);
    const log = logged.join('');
    expect(outboxLines()).toHaveLength(2);
    for (const file of mails()) expect(log).not.toContain(codeIn(file));
  });

  it('logs no failure when a client leaves before its answer (argon2 makes the step slow enough)', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    await client.close();
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: ToolName.submitCredentials, arguments: { sessionId, email: 'laptop@example.com', password: 'Wrong-Password-12' } } });
    await new Promise<void>((resolve) => {
      const socket = connectTcp(Number(new URL(server.baseUrl).port), '127.0.0.1', () => {
        socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        setTimeout(() => (socket.destroy(), resolve()), 5);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logged.join('')).not.toContain('POST /mcp failed');
  });

  it('runs "Forgot password?" through the HTTP API, with the policy and the code', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    await client.close();
    const post = async (path: string, body: object) => {
      const answer = await raw(server.baseUrl, { path: `/api/session/${path}`, body: JSON.stringify({ sessionId, ...body }) });
      return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
    };
    const before = mails().length;
    expect(await post('reset', { email: 'laptop@example.com' })).toEqual({
      status: 200,
      body: { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'l•••@example.com' } },
    });
    expect(await mailsWhen(before + 1)).toHaveLength(before + 1);
    const code = codeIn(mails().at(-1)!);
    expect(readFileSync(mails().at(-1)!, 'utf8')).toContain('password reset code');
    expect(await post('password', { password: 'Lantern-Maple-Voyage-7' })).toMatchObject({ status: 409, body: { error: 'wrong_step' } });
    expect(await post('authenticate', { code })).toEqual({ status: 200, body: { authenticated: false, step: 'new-password' } });
    expect(await post('password', { password: 'password123' })).toMatchObject({ status: 422, body: { error: 'weak_password' } });
    expect(await post('password', { password: 'Lantern-Maple-Voyage-7' })).toEqual({
      status: 200,
      body: { authenticated: true, name: 'Lee Laptop', email: 'laptop@example.com', profile: 'Lee Laptop' },
    });
    await server.close();
  });
});
