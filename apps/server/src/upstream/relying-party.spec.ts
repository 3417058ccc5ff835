import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { UpstreamProvider } from '../config/upstream.js';
import { type IdpPerson, microsoftFetch, startTestIdp, type TestIdp, type TokenFault } from '../testing/upstream-idp.js';
import { type Attempt, RelyingParty, UpstreamError } from './relying-party.js';

const CALLBACK = 'http://localhost:3000/auth/callback/test';
const ADA: IdpPerson = { sub: 'g-123', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace', hd: 'example.com' };

function providerFor(idp: TestIdp, overrides: Partial<UpstreamProvider> = {}): UpstreamProvider {
  return { id: 'google', name: 'Google', kind: 'google', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, scopes: ['openid', 'email', 'profile'], ...overrides };
}

/** Runs one sign-in: to the provider and back, as a browser would; `tamper` changes the callback URL first. */
async function signIn(sut: RelyingParty, idp: TestIdp, person: IdpPerson, fault?: TokenFault, tamper?: (callback: URL) => void) {
  const attempt = RelyingParty.attempt(`state-${Math.random()}`);
  idp.next(person, fault);
  const callback = await idp.authorize((await sut.authorizationUrl(attempt)).href);
  tamper?.(callback);
  return { attempt, callback, result: sut.complete(callback, attempt) };
}

async function failure(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof UpstreamError)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return { reason: error.reason, message: error.message };
}

describe(RelyingParty.name, () => {
  let idp: TestIdp;
  let withIss: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
    withIss = await startTestIdp({ emitIss: true });
  });
  afterAll(async () => {
    await idp.close();
    await withIss.close();
  });

  it('sends the browser with PKCE S256, state, nonce and the scopes, and reads a checked identity keyed on (issuer, subject)', async () => {
    const sut = new RelyingParty(providerFor(idp), CALLBACK);
    const attempt: Attempt = RelyingParty.attempt('the-state');
    const url = await sut.authorizationUrl(attempt);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: idp.clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid email profile',
      state: 'the-state',
      nonce: attempt.nonce,
      code_challenge_method: 'S256',
      prompt: 'select_account',
    });
    expect(url.searchParams.get('code_challenge')).not.toBe(attempt.verifier);
    // Any other OpenID provider is not asked for `select_account`, which it may not know.
    const generic = await new RelyingParty(providerFor(idp, { id: 'corp', kind: 'oidc' }), CALLBACK).authorizationUrl(attempt);
    expect(generic.searchParams.has('prompt')).toBe(false);
    const { result } = await signIn(sut, idp, ADA);
    expect(await result).toEqual({ provider: 'google', issuer: idp.issuer, subject: 'g-123', email: 'ada@example.com', emailVerified: true, name: 'Ada Lovelace' });
  });

  it('reads an e-mail as unverified unless the provider says it is, and asks Google for the one Workspace domain', async () => {
    const sut = new RelyingParty(providerFor(idp), CALLBACK);
    expect((await (await signIn(sut, idp, { ...ADA, email_verified: false })).result).emailVerified).toBe(false);
    expect((await (await signIn(sut, idp, { sub: 'x', email: 'x@example.com' })).result).emailVerified).toBe(false);
    const workspace = new RelyingParty(providerFor(idp, { hostedDomain: 'example.com' }), CALLBACK);
    expect((await workspace.authorizationUrl(RelyingParty.attempt('s'))).searchParams.get('hd')).toBe('example.com');
    expect(await (await signIn(workspace, idp, ADA)).result).toMatchObject({ subject: 'g-123' });
    expect(await failure((await signIn(workspace, idp, { ...ADA, hd: 'other.example' })).result)).toEqual({ reason: 'not_admitted', message: 'Only example.com Google accounts can sign in here.' });
    expect(await failure((await signIn(workspace, idp, { ...ADA, hd: undefined })).result)).toMatchObject({ reason: 'not_admitted' });
  });

  it.each<[string, TokenFault]>([
    ['for another audience', { aud: 'someone-else' }],
    ['expired', { expiresIn: -120 }],
    ['with another nonce', { nonce: 'not-the-one' }],
    ['from another issuer', { iss: 'http://127.0.0.1:1/evil' }],
    ['unsigned (alg: none)', { alg: 'none' }],
    ['signed by another key', { otherKey: true }],
  ])('refuses an ID token %s', async (_name, fault) => {
    const sut = new RelyingParty(providerFor(idp), CALLBACK);
    expect(await failure((await signIn(sut, idp, ADA, fault)).result)).toEqual({ reason: 'rejected', message: 'The sign-in with Google could not be checked. Try again.' });
  });

  it('refuses a callback with another state, a code used twice, and a person who declined', async () => {
    const sut = new RelyingParty(providerFor(idp), CALLBACK);
    const wrongState = await signIn(sut, idp, ADA, undefined, (callback) => callback.searchParams.set('state', 'forged'));
    expect(await failure(wrongState.result)).toMatchObject({ reason: 'rejected' });
    const once = await signIn(sut, idp, ADA);
    await once.result;
    expect(await failure(sut.complete(once.callback, once.attempt))).toMatchObject({ reason: 'rejected' });
    const declined = new URL(`${CALLBACK}?error=access_denied&state=s1`);
    expect(await failure(sut.complete(declined, RelyingParty.attempt('s1')))).toEqual({ reason: 'declined', message: 'You did not allow Google to sign you in.' });
  });

  it('checks the iss response parameter where the provider offers it', async () => {
    const sut = new RelyingParty(providerFor(withIss), CALLBACK);
    expect(await (await signIn(sut, withIss, ADA)).result).toMatchObject({ subject: 'g-123' });
    const mixedUp = await signIn(sut, withIss, ADA, undefined, (callback) => callback.searchParams.set('iss', 'https://attacker.example'));
    expect(await failure(mixedUp.result)).toMatchObject({ reason: 'rejected' });
    const missing = await signIn(sut, withIss, ADA, undefined, (callback) => callback.searchParams.delete('iss'));
    expect(await failure(missing.result)).toMatchObject({ reason: 'rejected' });
  });

  it('says the provider cannot be reached when it is down, and tries discovery again afterwards', async () => {
    const fresh = await startTestIdp();
    try {
      const sut = new RelyingParty(providerFor(fresh), CALLBACK);
      fresh.down = true;
      expect(await failure(sut.authorizationUrl(RelyingParty.attempt('s')))).toEqual({ reason: 'unavailable', message: 'Google cannot be reached right now. Try again in a moment.' });
      fresh.down = false;
      const attempt = RelyingParty.attempt('s');
      fresh.next(ADA);
      const callback = await fresh.authorize((await sut.authorizationUrl(attempt)).href);
      fresh.down = true;
      expect(await failure(sut.complete(callback, attempt))).toMatchObject({ reason: 'unavailable' });
    } finally {
      await fresh.close();
    }
  });

  describe('Microsoft (the {tenantid} issuer)', () => {
    let entra: TestIdp;
    const person: IdpPerson = { sub: 'pairwise-sub', oid: 'oid-1', tid: '11111111-1111-4111-8111-111111111111', email: 'ada@contoso.example', name: 'Ada' };
    const microsoft = (tenant: string) =>
      new RelyingParty(
        { id: 'microsoft', name: 'Microsoft', kind: 'microsoft', issuer: `https://login.microsoftonline.com/${tenant}/v2.0`, clientId: entra.clientId, clientSecret: entra.clientSecret, scopes: ['openid'], tenant },
        CALLBACK,
        microsoftFetch(entra),
      );
    beforeAll(async () => {
      entra = await startTestIdp({ mode: 'microsoft' });
    });
    afterAll(() => entra.close());

    it('keys the identity on the tenant issuer and oid, and trusts the e-mail only with xms_edov', async () => {
      expect(await (await signIn(microsoft('common'), entra, person)).result).toEqual({
        provider: 'microsoft',
        issuer: `https://login.microsoftonline.com/${person.tid}/v2.0`,
        subject: 'oid-1',
        email: 'ada@contoso.example',
        emailVerified: false,
        name: 'Ada',
      });
      expect((await (await signIn(microsoft('common'), entra, { ...person, xms_edov: true })).result).emailVerified).toBe(true);
    });

    it('refuses a token whose issuer names another tenant than its tid, or lacks tid or oid', async () => {
      const otherTenant = { iss: 'https://login.microsoftonline.com/22222222-2222-4222-8222-222222222222/v2.0' };
      expect(await failure((await signIn(microsoft('common'), entra, person, otherTenant)).result)).toMatchObject({ reason: 'rejected' });
      expect(await failure((await signIn(microsoft('common'), entra, { ...person, oid: undefined })).result)).toMatchObject({ reason: 'rejected' });
    });

    it('admits only the configured kind of tenant', async () => {
      const consumer = { ...person, tid: '9188040d-6c67-4c5b-b112-36a304b66dad' };
      expect(await failure((await signIn(microsoft('organizations'), entra, consumer)).result)).toEqual({ reason: 'not_admitted', message: 'This kind of Microsoft account cannot sign in here.' });
      expect(await failure((await signIn(microsoft('consumers'), entra, person)).result)).toMatchObject({ reason: 'not_admitted' });
      expect(await (await signIn(microsoft('consumers'), entra, consumer)).result).toMatchObject({ subject: 'oid-1' });
    });
  });
});
