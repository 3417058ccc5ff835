/**
 * Real mode end to end (DEMO_MODE=false): accounts made with the built CLI in
 * the embedded database, codes read from mails received by an SMTP server in
 * this process, the SDK client signing in; then the limits per account, the
 * challenge, recovery, profiles and TOTP.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Client as ModernClient } from '@modelcontextprotocol/client';
import { type ProofOfWorkChallenge, ToolName } from '@target-auth/shared/tools';
import { totpCode } from '../src/accounts/totp.js';
import { embeddedTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { KeyRing } from '../src/accounts/secret-key.js';
import { AccountStore } from '../src/accounts/store/account-store.js';
import { openDatabase } from '../src/accounts/store/database.js';
import { captureOutput } from '../src/testing/logs.js';
import { settle } from '../src/testing/teardown.js';
import { call as callTool, connectV2, raw, type Running, startServer } from './helpers.js';
import { accountsCli, solve, TestMailbox } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const mailbox = new TestMailbox();
let database: TestDatabase;
let env: Record<string, string>;
let server: Running;
let client: ModernClient;
let totpSecret: string;
/** Everything the server wrote, and every tool result and API answer the tests saw. */
const logged: string[] = [];
const answers: string[] = [];
const secrets = new Set<string>([PASSWORD, 'Lantern-Maple-Voyage-7']);

const call: typeof callTool = async (...args) => {
  const result = await callTool(...args);
  answers.push(JSON.stringify(result));
  return result;
};

async function addAccount(email: string, name: string, password = PASSWORD): Promise<void> {
  const added = await accountsCli(['add', '--email', email, '--name', name, '--password-stdin'], env, `${password}\n`);
  expect(added).toMatchObject({ code: 0 });
}

const sessionIds: string[] = [];
async function newSession(): Promise<string> {
  const sessionId = (await call(client, ToolName.createSession)).structuredContent!['sessionId'] as string;
  sessionIds.push(sessionId);
  return sessionId;
}

async function credentials(sessionId: string, email: string, password = PASSWORD, altcha?: string) {
  return call(client, ToolName.submitCredentials, { sessionId, email, password, ...(altcha ? { altcha } : {}) });
}

beforeAll(async () => {
  const smtpUrl = await mailbox.start();
  database = embeddedTestDatabase();
  env = { ...database.env, DEMO_MODE: 'false', SMTP_URL: smtpUrl, MAIL_FROM: 'Target <no-reply@target.test>' };
  await addAccount('ada@example.com', 'Ada Lovelace');
  await addAccount('grace@example.com', 'Grace Hopper');
  await addAccount('guess@example.com', 'Guess Target');
  await addAccount('race@example.com', 'Race Condition');
  await addAccount('reset@example.com', 'Rita Reset');
  await addAccount('home@example.com', 'Sam Home');
  expect(await accountsCli(['profile', 'add', 'home@example.com', 'Alex Home'], env)).toMatchObject({ code: 0 });
  await addAccount('off@example.com', 'Off Account');
  expect(await accountsCli(['disable', 'off@example.com'], env)).toMatchObject({ code: 0 });
  await addAccount('app@example.com', 'App User');
  await addAccount('device@example.com', 'Dee Vice');
  await addAccount('parallel@example.com', 'Para Llel');
  expect((await accountsCli(['totp', 'enable', 'parallel@example.com'], env)).code).toBe(0);
  await addAccount('epoch@example.com', 'Eppie Och');
  const totp = await accountsCli(['totp', 'enable', 'app@example.com'], env);
  expect(totp.code).toBe(0);
  totpSecret = /secret=([A-Z2-7]+)/.exec(totp.stdout)![1]!;
  captureOutput(logged);
  server = await startServer({ ...env, LOG_LEVEL: 'verbose' });
  client = await connectV2(server.baseUrl);
}, 120_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await settle(
    () => client?.close(),
    () => server?.close(),
    () => mailbox.stop(),
    () => database?.drop(),
  );
});

describe('real accounts (e2e)', () => {
  it('signs in an account made with the CLI, with the code read from the mail', async () => {
    const sessionId = await newSession();
    const accepted = await credentials(sessionId, 'ada@example.com');
    expect(accepted.structuredContent).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'a•••@example.com' } });
    const code = await mailbox.codeFor('ada@example.com');
    const mail = mailbox.mails.find((item) => item.to === 'ada@example.com')!;
    expect(mail.subject).toContain('sign-in code');
    expect(mail.html).toContain(code);
    const signedIn = await call(client, ToolName.verifyCode, { sessionId, code });
    expect(signedIn.structuredContent).toEqual({ authenticated: true, name: 'Ada Lovelace', email: 'ada@example.com', profile: 'Ada Lovelace' });
    const status = await call(client, ToolName.authStatus, { sessionId });
    expect(status.structuredContent).toEqual({ authenticated: true, email: 'ada@example.com', name: 'Ada Lovelace', profile: 'Ada Lovelace' });
    // A code is good once: the same code in the same session now finds it signed in.
    expect((await call(client, ToolName.verifyCode, { sessionId, code })).structuredContent).toMatchObject({ error: 'wrong_step' });
  });

  it('answers unknown e-mail, wrong password and disabled account alike', async () => {
    for (const [email, password] of [
      ['nobody@example.com', PASSWORD],
      ['grace@example.com', 'not-the-password'],
      ['off@example.com', PASSWORD],
    ] as const) {
      const refused = await credentials(await newSession(), email, password);
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toEqual({ error: 'invalid_credentials', message: 'Email or password is incorrect.' });
    }
  });

  it('asks a stranger for a proof of work from the third failed password, more work after the fifth, and still lets the right password in', async () => {
    const email = 'guess@example.com';
    for (let i = 0; i < 3; i++) expect((await credentials(await newSession(), email, `wrong-${i}`)).structuredContent).toMatchObject({ error: 'invalid_credentials' });
    const asked = await credentials(await newSession(), email, 'wrong-3');
    expect(asked.structuredContent).toMatchObject({ error: 'challenge_required', challenge: { parameters: expect.any(Object), signature: expect.any(String) } });
    const altcha = await solve(asked.structuredContent!['challenge'] as ProofOfWorkChallenge);
    expect((await credentials(await newSession(), email, 'wrong-3', altcha)).structuredContent).toMatchObject({ error: 'invalid_credentials' });
    // The same solution is good once.
    expect((await credentials(await newSession(), email, 'wrong-4', altcha)).structuredContent).toMatchObject({ error: 'challenge_required' });
    const counters: number[] = [];
    const solvedTry = async (password: string) => {
      const challenge = (await credentials(await newSession(), email, password)).structuredContent!['challenge'] as ProofOfWorkChallenge;
      const answer = await solve(challenge);
      counters.push((JSON.parse(Buffer.from(answer, 'base64').toString()) as { solution: { counter: number } }).solution.counter);
      return credentials(await newSession(), email, password, answer);
    };
    for (let i = 4; i < 8; i++) expect((await solvedTry(`wrong-${i}`)).structuredContent).toMatchObject({ error: 'invalid_credentials' });
    // Failures 6 and 7 each cost more work than the 5th.
    expect(counters[2]).toBeGreaterThan(counters[1]!);
    expect(counters[3]).toBeGreaterThan(counters[2]!);
    // The HTTP API asks too (428), never refusing outright.
    const api = await raw(server.baseUrl, { path: '/api/session/credentials', body: JSON.stringify({ sessionId: await newSession(), email, password: PASSWORD }) });
    expect(api.status).toBe(428);
    // The owner, from any browser, with the work done, gets in.
    expect((await solvedTry(PASSWORD)).structuredContent).toMatchObject({ step: 'verify' });
    // Another account is not affected.
    expect((await credentials(await newSession(), 'grace@example.com')).structuredContent).toMatchObject({ step: 'verify' });
  });

  it("lets a browser that signed in before straight in while strangers guess, and an unknown browser's key counts for nothing", async () => {
    const email = 'device@example.com';
    const phone = 'p'.repeat(43);
    const sessionId = await newSession();
    await call(client, ToolName.submitCredentials, { sessionId, email, password: PASSWORD, device: phone });
    await call(client, ToolName.verifyCode, { sessionId, code: await mailbox.nextCode(email) });
    for (let i = 0; i < 12; i++) await credentials(await newSession(), email, `wrong-${i}`);
    expect((await credentials(await newSession(), email)).structuredContent).toMatchObject({ error: 'challenge_required' });
    const stranger = await call(client, ToolName.submitCredentials, { sessionId: await newSession(), email, password: PASSWORD, device: 'q'.repeat(43) });
    expect(stranger.structuredContent).toMatchObject({ error: 'challenge_required' });
    const trusted = await call(client, ToolName.submitCredentials, { sessionId: await newSession(), email, password: PASSWORD, device: phone });
    expect(trusted.structuredContent).toMatchObject({ step: 'verify', purpose: 'sign-in' });
    await mailbox.nextCode(email);
    // A device key that is not one is refused as input, not ignored.
    const malformed = await call(client, ToolName.submitCredentials, { sessionId: await newSession(), email, password: PASSWORD, device: 'short' });
    expect(malformed.structuredContent).toMatchObject({ error: 'invalid_input' });
  });

  it('sends one code for two racing submits, and refuses a resend within the cooldown', async () => {
    const sessionId = await newSession();
    const before = mailbox.count('race@example.com');
    const answers = await Promise.all([credentials(sessionId, 'race@example.com'), credentials(sessionId, 'race@example.com')]);
    expect(answers.filter((answer) => !answer.isError)).toHaveLength(1);
    expect(answers.find((answer) => answer.isError)?.structuredContent).toMatchObject({ error: 'wrong_step' });
    await mailbox.codeFor('race@example.com', before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.count('race@example.com')).toBe(before + 1);
    const resend = await call(client, ToolName.resendCode, { sessionId });
    expect(resend.structuredContent).toMatchObject({ error: 'rate_limited' });
    expect(resend.structuredContent!['retryAfterSeconds']).toBeLessThanOrEqual(30);
  });

  it('locks the code step of an account after 10 wrong codes across its sessions', async () => {
    const email = 'grace@example.com';
    const wrongCodes = async (sessionId: string, count: number) => {
      const answers = [];
      for (let i = 0; i < count; i++) answers.push((await call(client, ToolName.verifyCode, { sessionId, code: '000000' })).structuredContent);
      return answers;
    };
    const sessions: string[] = [];
    const before = mailbox.count(email);
    for (let i = 0; i < 3; i++) {
      const sessionId = await newSession();
      expect((await credentials(sessionId, email)).isError).toBeFalsy();
      sessions.push(sessionId);
    }
    const first = await wrongCodes(sessions[0]!, 5);
    expect(first.at(-1)).toMatchObject({ error: 'locked' });
    const second = await wrongCodes(sessions[1]!, 5);
    expect(second.at(-1)).toMatchObject({ error: 'locked' });
    // Ten wrong codes: the third session's right code is refused for the hour.
    const code = await mailbox.codeFor(email, before + 2);
    const refused = await call(client, ToolName.verifyCode, { sessionId: sessions[2]!, code });
    expect(refused.structuredContent).toMatchObject({ error: 'rate_limited' });
    expect(refused.structuredContent!['retryAfterSeconds']).toBeGreaterThan(3500);
  });

  it('checks at most 10 wrong authenticator codes of one account, of 60 sent at once across 12 sessions', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < 12; i++) {
      const sessionId = await newSession();
      expect((await credentials(sessionId, 'parallel@example.com')).structuredContent).toMatchObject({ delivery: { method: 'totp' } });
      sessions.push(sessionId);
    }
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => call(client, ToolName.verifyCode, { sessionId: sessions[i % 12]!, code: '000000' })));
    const checkedCodes = answers.filter((answer) => answer.structuredContent!['error'] !== 'rate_limited');
    expect(checkedCodes.length).toBeLessThanOrEqual(10);
  });

  it('resets a forgotten password with a mailed code, refusing a weak new one', async () => {
    const email = 'reset@example.com';
    const sessionId = await newSession();
    const started = await call(client, ToolName.startPasswordReset, { sessionId, email });
    expect(started.structuredContent).toEqual({ step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'r•••@example.com' } });
    const code = await mailbox.codeFor(email);
    expect(mailbox.mails.find((mail) => mail.to === email)!.subject).toContain('password reset code');
    expect((await call(client, ToolName.verifyCode, { sessionId, code })).structuredContent).toEqual({ authenticated: false, step: 'new-password' });
    for (const weak of ['short', 'password123', 'reset-2024-reset']) {
      const refused = await call(client, ToolName.setPassword, { sessionId, password: weak });
      expect(refused.structuredContent).toMatchObject({ error: 'weak_password' });
      expect(JSON.stringify(refused)).not.toContain(weak);
    }
    const signedIn = await call(client, ToolName.setPassword, { sessionId, password: 'Lantern-Maple-Voyage-7' });
    expect(signedIn.structuredContent).toMatchObject({ authenticated: true, name: 'Rita Reset' });
    expect((await credentials(await newSession(), email)).structuredContent).toMatchObject({ error: 'invalid_credentials' });
    expect((await credentials(await newSession(), email, 'Lantern-Maple-Voyage-7')).structuredContent).toMatchObject({ step: 'verify' });
  });

  it('answers a reset for an unknown e-mail like a known one, and no code opens it', async () => {
    const sessionId = await newSession();
    const started = await call(client, ToolName.startPasswordReset, { sessionId, email: 'ghost@example.com' });
    expect(started.structuredContent).toEqual({ step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'g•••@example.com' } });
    // A reset for a known address queued after it has gone out: the unknown one was dropped, not mailed.
    const known = mailbox.count('grace@example.com');
    await call(client, ToolName.startPasswordReset, { sessionId: await newSession(), email: 'GRACE@example.com' });
    await mailbox.codeFor('grace@example.com', known);
    expect(mailbox.count('ghost@example.com')).toBe(0);
    expect((await call(client, ToolName.verifyCode, { sessionId, code: '123456' })).structuredContent).toMatchObject({ error: 'wrong_code' });
  });

  it('shows the profile picker for a household and reports the chosen profile', async () => {
    const sessionId = await newSession();
    await credentials(sessionId, 'home@example.com');
    const picked = await call(client, ToolName.verifyCode, { sessionId, code: await mailbox.codeFor('home@example.com') });
    const content = picked.structuredContent as { step: string; profiles: { id: string; name: string }[] };
    expect(content).toMatchObject({ authenticated: false, step: 'profile' });
    expect(content.profiles.map((profile) => profile.name)).toEqual(['Sam Home', 'Alex Home']);
    expect((await call(client, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: false });
    expect((await call(client, ToolName.authenticate, { sessionId })).structuredContent).toMatchObject({ step: 'profile', profiles: content.profiles });
    expect((await call(client, ToolName.selectProfile, { sessionId, profileId: 'not-one-of-them' })).structuredContent).toMatchObject({ error: 'invalid_input' });
    const alex = content.profiles[1]!;
    expect((await call(client, ToolName.selectProfile, { sessionId, profileId: alex.id })).structuredContent).toEqual({
      authenticated: true,
      name: 'Sam Home',
      email: 'home@example.com',
      profile: 'Alex Home',
    });
    expect((await call(client, ToolName.authStatus, { sessionId })).structuredContent).toEqual({
      authenticated: true,
      email: 'home@example.com',
      name: 'Sam Home',
      profile: 'Alex Home',
    });
  });

  it('signs in with an authenticator app code, good once', async () => {
    const sessionId = await newSession();
    const accepted = await credentials(sessionId, 'app@example.com');
    expect(accepted.structuredContent).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } });
    expect(mailbox.count('app@example.com')).toBe(0);
    const code = totpCode(totpSecret, Date.now());
    expect((await call(client, ToolName.verifyCode, { sessionId, code })).structuredContent).toMatchObject({ authenticated: true, name: 'App User' });
    const again = await newSession();
    await credentials(again, 'app@example.com');
    expect((await call(client, ToolName.verifyCode, { sessionId: again, code })).structuredContent).toMatchObject({ error: 'wrong_code' });
    expect((await call(client, ToolName.resendCode, { sessionId: again })).structuredContent).toMatchObject({ error: 'wrong_step' });
  });

  it('asks for the authenticator app too when its account resets the password: the mailbox alone sets nothing', async () => {
    const sessionId = await newSession();
    await call(client, ToolName.startPasswordReset, { sessionId, email: 'app@example.com' });
    const mailed = await call(client, ToolName.verifyCode, { sessionId, code: await mailbox.nextCode('app@example.com') });
    expect(mailed.structuredContent).toEqual({ authenticated: false, step: 'verify', purpose: 'reset', delivery: { method: 'totp' } });
    expect((await call(client, ToolName.setPassword, { sessionId, password: 'Lantern-Maple-Voyage-7' })).structuredContent).toMatchObject({ error: 'wrong_step' });
    expect((await call(client, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: false });
    // A code the app already gave once (the sign-in above) is refused; the next time step's is taken.
    const code = totpCode(totpSecret, Date.now() + 30_000);
    expect((await call(client, ToolName.verifyCode, { sessionId, code })).structuredContent).toEqual({ authenticated: false, step: 'new-password' });
    expect((await call(client, ToolName.setPassword, { sessionId, password: 'Lantern-Maple-Voyage-7' })).structuredContent).toMatchObject({ authenticated: true, name: 'App User' });
  });

  it('ends sessions signed in with the old password when the password is reset', async () => {
    const email = 'epoch@example.com';
    const signIn = async () => {
      const sessionId = await newSession();
      await credentials(sessionId, email);
      expect((await call(client, ToolName.verifyCode, { sessionId, code: await mailbox.nextCode(email) })).structuredContent).toMatchObject({ authenticated: true });
      return sessionId;
    };
    const before = await signIn();
    const resetting = await newSession();
    await call(client, ToolName.startPasswordReset, { sessionId: resetting, email });
    await call(client, ToolName.verifyCode, { sessionId: resetting, code: await mailbox.nextCode(email) });
    await call(client, ToolName.setPassword, { sessionId: resetting, password: 'Lantern-Maple-Voyage-7' });
    expect((await call(client, ToolName.authStatus, { sessionId: before })).structuredContent).toEqual({ authenticated: false, expired: true });
    expect((await call(client, ToolName.authStatus, { sessionId: resetting })).structuredContent).toMatchObject({ authenticated: true, email });
  });

  it('wrote no password, code, hash, code HMAC, TOTP secret or SECRET_KEY to the log or into any answer', async () => {
    await client.close();
    await server.close();
    const opened = await openDatabase({ dataDir: database.dataDir });
    try {
      for (const account of await new AccountStore(opened.db).list()) {
        const stored = await new AccountStore(opened.db).findById(account.id);
        secrets.add(stored!.passwordHash!);
        secrets.add(stored!.passwordHash!.split('$').at(-1)!);
        if (stored!.totpSecret) secrets.add(stored!.totpSecret);
      }
    } finally {
      await opened.close();
    }
    secrets.add(totpSecret);
    const secretKey = readFileSync(join(database.dataDir, 'secret-key'), 'utf8').trim();
    secrets.add(secretKey);
    const codes = mailbox.mails.map((mail) => /\b(\d{6})\b/.exec(mail.text)![1]!);
    const codeKey = new KeyRing(Buffer.from(secretKey, 'base64')).codes;
    for (const code of codes) {
      secrets.add(code);
      for (const sessionId of sessionIds) secrets.add(createHmac('sha256', codeKey).update(`${sessionId}:${code}`).digest('base64url'));
    }
    const log = logged.join('');
    expect(log).toContain('Accounts: embedded database');
    const seen = answers.join('\n');
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      // A code is six digits: in answers it could only appear as itself, never inside the masked addresses shown.
      expect(seen.includes(`"${secret}"`) || (secret.length > 6 && seen.includes(secret))).toBe(false);
    }
    expect(secrets.size).toBeGreaterThan(100);
  });
});
