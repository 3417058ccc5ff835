/**
 * The account page with stored accounts (PostgreSQL, as the accounts CLI
 * fills it; codes read from the mails sent): a new password needs the current one and ends every other
 * sign-in (apps' tokens, other pages) while the page stays signed in; sign out
 * everywhere moves the stored epoch, so it holds after a restart of nothing
 * but the page.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../src/accounts/store/database.js';
import { totpCode } from '../src/accounts/totp.js';
import { IdentityStore } from '../src/accounts/store/identity-store.js';
import { accounts } from '../src/accounts/store/schema.js';
import { postgresAvailable, postgresTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { itWhen } from '../src/testing/services.js';
import { SoftAuthenticator } from '../src/testing/soft-authenticator.js';
import { settle } from '../src/testing/teardown.js';
import { Browser, callTool, linkedTokens, type LinkingServer, mcp, register, startLinkingServer } from './oauth.js';
import { accountsCli, TestMailbox } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const NEW_PASSWORD = 'Lantern-Maple-Voyage-7';
const havePostgres = await postgresAvailable();
const maybe = itWhen(havePostgres);
const mailbox = new TestMailbox();
let database: TestDatabase;
let env: Record<string, string>;
let server: LinkingServer;

beforeAll(async () => {
  if (!havePostgres) return;
  const smtpUrl = await mailbox.start();
  database = await postgresTestDatabase();
  env = { ...database.env, DEMO_MODE: 'false', SMTP_URL: smtpUrl, MAIL_FROM: 'Target <no-reply@target.test>' };
  for (const [email, name] of [
    ['change@example.com', 'Chan Change'],
    ['everywhere@example.com', 'Eve Everywhere'],
    ['linked@example.com', 'Lin Linked'],
    ['totp@example.com', 'Tom Totp'],
    ['household@example.com', 'Hal Household'],
    ['family@example.com', 'Fay Family'],
  ]) {
    expect(await accountsCli(['add', '--email', email!, '--name', name!, '--password-stdin'], env, `${PASSWORD}\n`)).toMatchObject({ code: 0 });
  }
  server = await startLinkingServer(env);
  // Each account is added by the CLI, a process of its own that hashes a password.
}, 60_000);

afterAll(async () => {
  await settle(
    () => server?.close(),
    () => database?.drop(),
    () => mailbox.stop(),
  );
});

async function signInOnAccountPage(browser: Browser, email: string, password = PASSWORD): Promise<number> {
  const { sessionId } = (await (await browser.request('/account/api/session', { json: {} })).json()) as { sessionId: string };
  const sent = await browser.request('/api/session/credentials', { json: { sessionId, email, password } });
  if (sent.status !== 200) return sent.status;
  expect((await browser.request('/api/session/authenticate', { json: { sessionId, code: await mailbox.nextCode(email) } })).status).toBe(200);
  return (await browser.request('/account/api/login', { json: { sessionId } })).status;
}

const credentials = (email: string) => ({ email, password: PASSWORD, code: () => mailbox.nextCode(email) });
const accountCall = async (accessToken: string) => (await mcp(server.baseUrl, callTool(ToolName.account), accessToken)).status;

describe('the account page with stored accounts (e2e)', () => {
  maybe('changes the password with the current one; every other sign-in ends and this page stays signed in', async () => {
    const email = 'change@example.com';
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, credentials(email));
    const [page, otherPage] = [new Browser(server.baseUrl), new Browser(server.baseUrl)];
    expect(await signInOnAccountPage(page, email)).toBe(200);
    expect(await signInOnAccountPage(otherPage, email)).toBe(200);

    const wrong = await page.request('/account/api/password', { json: { current: 'not-it', password: NEW_PASSWORD } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'wrong_password', message: 'That is not your current password.' });
    const weak = await page.request('/account/api/password', { json: { current: PASSWORD, password: 'password' } });
    expect(weak.status).toBe(422);
    expect(await weak.json()).toMatchObject({ error: 'weak_password', message: expect.any(String) });
    expect(await accountCall(tokens.access_token)).toBe(200);

    const changed = await page.request('/account/api/password', { json: { current: PASSWORD, password: NEW_PASSWORD } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ signedIn: true, account: { email } });
    expect(changed.headers.getSetCookie()).toEqual([expect.stringMatching(/^target_account=v1\.[^;]+; Path=\/account; Max-Age=3600; HttpOnly; SameSite=Strict$/)]);
    expect(await (await page.request('/account/api/status')).json()).toMatchObject({ signedIn: true });
    expect(await (await otherPage.request('/account/api/status')).json()).toEqual({ signedIn: false });
    expect(await accountCall(tokens.access_token)).toBe(401);
    expect(await signInOnAccountPage(new Browser(server.baseUrl), email)).toBe(401);
    expect(await signInOnAccountPage(new Browser(server.baseUrl), email, NEW_PASSWORD)).toBe(200);
  });

  maybe('lists linked Google, Microsoft and OpenID sign-ins and unlinks one, never the last way in of an account without a password', async () => {
    const email = 'linked@example.com';
    const store = await openDatabase({ databaseUrl: database.databaseUrl!, dataDir: database.dataDir });
    try {
      const [account] = await store.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
      const identities = new IdentityStore(store.db);
      for (const subject of ['g-1', 'g-2']) {
        await identities.link({ accountId: account!.id, provider: 'google', issuer: 'https://accounts.google.com', subject, email: `${subject}@gmail.example` }, new Date());
      }
      const client = await register(server.baseUrl);
      const tokens = await linkedTokens(server, client, credentials(email));
      const page = new Browser(server.baseUrl);
      expect(await signInOnAccountPage(page, email)).toBe(200);
      const listed = (await (await page.request('/account/api/identities')).json()) as { identities: { provider: string; subject: string; email: string }[] };
      expect(listed.identities.map(({ provider, subject, email: shown }) => [provider, subject, shown])).toEqual([
        ['google', 'g-1', 'g-1@gmail.example'],
        ['google', 'g-2', 'g-2@gmail.example'],
      ]);
      const unlinked = await page.request('/account/api/identities/unlink', { json: { issuer: 'https://accounts.google.com', subject: 'g-1' } });
      expect(unlinked.status).toBe(200);
      expect(((await unlinked.json()) as { identities: { subject: string }[] }).identities.map((identity) => identity.subject)).toEqual(['g-2']);
      // Earlier sign-ins end (the app's token); the page stays signed in.
      expect(await accountCall(tokens.access_token)).toBe(401);
      expect(await (await page.request('/account/api/status')).json()).toMatchObject({ signedIn: true });
      const unknown = await page.request('/account/api/identities/unlink', { json: { issuer: 'https://accounts.google.com', subject: 'g-1' } });
      expect(unknown.status).toBe(404);

      // Without a password, the last identity stays.
      await store.db.update(accounts).set({ passwordHash: null }).where(eq(accounts.id, account!.id));
      const last = await page.request('/account/api/identities/unlink', { json: { issuer: 'https://accounts.google.com', subject: 'g-2' } });
      expect(last.status).toBe(409);
      expect(await last.json()).toMatchObject({ error: 'last_way_in' });
      expect(await identities.list(account!.id)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  maybe('adds household profiles from the page, which the next sign-in asks to choose from; a name twice is refused', async () => {
    const email = 'family@example.com';
    const page = new Browser(server.baseUrl);
    expect(await signInOnAccountPage(page, email)).toBe(200);
    // Every account has its holder's own profile.
    expect(await (await page.request('/account/api/profiles')).json()).toEqual({ profiles: ['Fay Family'] });
    const first = await page.request('/account/api/profiles', { json: { name: '  Kim Family ' } });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ profiles: ['Fay Family', 'Kim Family'] });
    const twice = await page.request('/account/api/profiles', { json: { name: 'Kim Family' } });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toEqual({ error: 'invalid_request', message: 'Your account already has a profile named Kim Family.' });
    expect((await page.request('/account/api/profiles', { json: { name: 'x' }, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await new Browser(server.baseUrl).request('/account/api/profiles', { json: { name: 'Stranger' } })).status).toBe(401);

    // The next sign-in (here, the widget's) asks who is signing in, offering the new profile.
    const sessionId = ((await mcp(server.baseUrl, callTool(ToolName.createSession))).json as { result: { structuredContent: { sessionId: string } } }).result.structuredContent.sessionId;
    await mcp(server.baseUrl, callTool(ToolName.submitCredentials, { sessionId, email, password: PASSWORD }));
    const verified = await mcp(server.baseUrl, callTool(ToolName.verifyCode, { sessionId, code: await mailbox.nextCode(email) }));
    const answer = (verified.json as { result: { structuredContent: { step?: string; profiles?: { name: string }[] } } }).result.structuredContent;
    expect(answer.step).toBe('profile');
    expect(answer.profiles!.map((profile) => profile.name)).toEqual(['Fay Family', 'Kim Family']);
  });

  maybe("sets up an authenticator app from the page (its first code confirms it), which sign-in then asks for; removed with the app's code", async () => {
    const email = 'totp@example.com';
    const page = new Browser(server.baseUrl);
    expect(await signInOnAccountPage(page, email)).toBe(200);
    const setupAnswer = await page.request('/account/api/authenticator/setup', { json: {} });
    expect(setupAnswer.status).toBe(200);
    const setup = (await setupAnswer.json()) as { secret: string; uri: string; qr: string };
    expect(setup.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(setupAnswer.headers.getSetCookie()[0]).toMatch(/^target_account_totp=v1\./);
    expect((await page.request('/account/api/authenticator/confirm', { json: { code: '000000' } })).status).toBe(401);
    // Another browser signed in as the same person has no setup to confirm.
    const other = new Browser(server.baseUrl);
    expect(await signInOnAccountPage(other, email)).toBe(200);
    expect((await other.request('/account/api/authenticator/confirm', { json: { code: totpCode(setup.secret, Date.now()) } })).status).toBe(409);

    const confirmed = await page.request('/account/api/authenticator/confirm', { json: { code: totpCode(setup.secret, Date.now()) } });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ signedIn: true, account: { authenticator: true } });
    expect(await (await other.request('/account/api/status')).json()).toEqual({ signedIn: false });

    // A sign-in now asks for the app's code instead of mailing one.
    const fresh = new Browser(server.baseUrl);
    const { sessionId } = (await (await fresh.request('/account/api/session', { json: {} })).json()) as { sessionId: string };
    const asked = await fresh.request('/api/session/credentials', { json: { sessionId, email, password: PASSWORD } });
    expect(await asked.json()).toMatchObject({ step: 'verify', delivery: { method: 'totp' } });

    expect((await page.request('/account/api/authenticator/remove', { json: { code: '000000' } })).status).toBe(401);
    const removed = await page.request('/account/api/authenticator/remove', { json: { code: totpCode(setup.secret, Date.now() + 30_000) } });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ account: { authenticator: false } });
  });

  maybe('a household signs in with a passkey and still picks its profile', async () => {
    const email = 'household@example.com';
    for (const name of ['Sam', 'Alex']) expect(await accountsCli(['profile', 'add', email, name], env)).toMatchObject({ code: 0 });
    const choose = async (browser: Browser, sessionId: string, answer: { step?: string; profiles?: { id: string; name: string }[] }, name: string) => {
      expect(answer).toMatchObject({ authenticated: false, step: 'profile' });
      const profile = answer.profiles!.find((candidate) => candidate.name === name)!;
      expect((await browser.request('/api/session/profile', { json: { sessionId, profileId: profile.id } })).status).toBe(200);
      return (await (await browser.request('/account/api/login', { json: { sessionId } })).json()) as { account: { profile: string } };
    };
    // Signed in with the password, code and profile, the page adds a passkey.
    const page = new Browser(server.baseUrl);
    const { sessionId } = (await (await page.request('/account/api/session', { json: {} })).json()) as { sessionId: string };
    await page.request('/api/session/credentials', { json: { sessionId, email, password: PASSWORD } });
    const coded = await page.request('/api/session/authenticate', { json: { sessionId, code: await mailbox.nextCode(email) } });
    expect((await choose(page, sessionId, (await coded.json()) as object, 'Sam')).account.profile).toBe('Sam');
    const authenticator = new SoftAuthenticator(server.baseUrl, new URL(server.baseUrl).hostname);
    const options = (await (await page.request('/account/api/passkeys/options', { json: {} })).json()) as { challenge: string; user: { id: string } };
    expect((await page.request('/account/api/passkeys', { json: { name: 'Family laptop', response: authenticator.register({ challenge: options.challenge, userId: options.user.id }) } })).status).toBe(200);

    // The passkey alone, then the profile.
    const other = new Browser(server.baseUrl);
    const next = (await (await other.request('/account/api/session', { json: {} })).json()) as { sessionId: string };
    const signInOptions = (await (await other.request('/account/api/passkey/options', { json: { sessionId: next.sessionId } })).json()) as { challenge: string };
    const answer = await other.request('/account/api/passkey', { json: { sessionId: next.sessionId, response: authenticator.assert({ challenge: signInOptions.challenge }) } });
    expect((await choose(other, next.sessionId, (await answer.json()) as object, 'Alex')).account.profile).toBe('Alex');
    // One mail only: the code of the password sign-in; the passkey asked for none.
    expect(mailbox.mails.filter((mail) => mail.to.includes(email))).toHaveLength(1);
  });

  maybe('sign out everywhere moves the stored epoch: tokens, chats and pages end, and stay ended', async () => {
    const email = 'everywhere@example.com';
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, credentials(email));
    const page = new Browser(server.baseUrl);
    expect(await signInOnAccountPage(page, email)).toBe(200);
    const out = await page.request('/account/api/sign-out-everywhere', { json: {} });
    expect(out.status).toBe(200);
    expect(await accountCall(tokens.access_token)).toBe(401);
    // Signing in again works with the same password: nothing but sign-ins changed.
    expect(await signInOnAccountPage(page, email)).toBe(200);
    expect((await (await page.request('/account/api/apps')).json()) as object).toMatchObject({ apps: [{ clientId: client.client_id }] });
  });
});
