import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { BearerAuth, bearerChallenge, InvalidTokenError, linkedIdentity, resourceMetadataUrl, TokenCheckUnavailableError } from './bearer-auth.js';
import type { OAuthServer } from './oauth-server.js';

const ISSUER = 'https://target.example';
const RESOURCE = `${ISSUER}/mcp`;
const GOOD = {
  isExpired: false,
  aud: RESOURCE,
  accountId: 'acct-1',
  grantId: 'grant-1',
  clientId: 'client-1',
  scope: 'account:read offline_access',
  exp: 1_900_000_000,
  extra: { authTime: 1_800_000_000 },
};

/** The accounts the directory knows, by id, with their credentials epoch (a missing one is unknown or disabled). */
type Epochs = Record<string, number> | 'down';

/** A BearerAuth over a token store holding `tokens` (or failing, like Redis down) and accounts with these epochs. */
function bearer(tokens: Record<string, object | undefined> | 'down', required = false, epochs: Epochs = { 'acct-1': 1_800_000_000 }) {
  const found: string[] = [];
  const AccessToken = {
    find: async (value: string) => {
      found.push(value);
      if (tokens === 'down') throw new Error('Connection is closed.');
      return tokens[value];
    },
  };
  const server = { provider: async () => ({ AccessToken }) } as unknown as OAuthServer;
  const accounts = {
    findById: async (id: string) => {
      if (epochs === 'down') throw new Error('connect ECONNREFUSED');
      return id in epochs ? { id, email: 'a@example.com', name: 'A', secondFactor: 'email' as const, epoch: epochs[id]! } : null;
    },
  };
  return { auth: new BearerAuth(server, RESOURCE, ISSUER, required, accounts), found };
}

const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

async function refusal(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof InvalidTokenError)) throw new Error(`expected an InvalidTokenError, got ${String(error)}`);
  return error;
}

describe(BearerAuth.name, () => {
  it('lets a request without a token through, unless tokens are required', async () => {
    expect(await bearer({}).auth.authenticate(request())).toBeUndefined();
    const missing = await refusal(bearer({}, true).auth.authenticate(request()));
    expect(missing.missing).toBe(true);
  });

  it('turns a valid token into the identity tools read', async () => {
    const { auth, found } = bearer({ tok: GOOD });
    const info = await auth.authenticate(request('Bearer tok'));
    expect(found).toEqual(['tok']);
    expect(info).toEqual({
      token: 'tok',
      clientId: 'client-1',
      scopes: ['account:read', 'offline_access'],
      expiresAt: 1_900_000_000,
      resource: new URL(RESOURCE),
      extra: { accountId: 'acct-1', grantId: 'grant-1' },
    });
    expect(linkedIdentity(info)).toEqual({ accountId: 'acct-1', grantId: 'grant-1' });
  });

  it('accepts the scheme in any case and surrounding spaces', async () => {
    const { auth } = bearer({ 'a.b-c_d~e+f/g=': GOOD });
    expect(await auth.authenticate(request('bearer   a.b-c_d~e+f/g= '))).toMatchObject({ token: 'a.b-c_d~e+f/g=' });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer '],
    ['two tokens', 'Bearer one two'],
    ['characters outside the token syntax', 'Bearer tok"en'],
  ])('refuses a malformed header (%s) without looking anything up', async (_name, header) => {
    const { auth, found } = bearer({ tok: GOOD });
    const error = await refusal(auth.authenticate(request(header)));
    expect(error.missing).toBe(false);
    expect(found).toEqual([]);
  });

  it.each([
    ['unknown', undefined],
    ['expired', { ...GOOD, isExpired: true }],
    ['for another audience', { ...GOOD, aud: 'https://other.example/mcp' }],
    ['without an account', { ...GOOD, accountId: undefined }],
    ['without a grant', { ...GOOD, grantId: undefined }],
  ])('refuses a token that is %s, with one message for all', async (_name, token) => {
    const error = await refusal(bearer({ tok: token }).auth.verify('tok'));
    expect(error.message).toBe('The access token is invalid or expired.');
    expect(error.missing).toBe(false);
  });

  it.each([
    ['whose account is disabled or gone', { tok: GOOD }, {}],
    ['from a sign-in before the credentials changed', { tok: GOOD }, { 'acct-1': 1_800_000_001 }],
    ['without its sign-in time, once the credentials changed', { tok: { ...GOOD, extra: undefined } }, { 'acct-1': 5 }],
  ])('refuses a token %s, with the same message', async (_name, tokens, epochs) => {
    const error = await refusal(bearer(tokens, false, epochs).auth.verify('tok'));
    expect(error.message).toBe('The access token is invalid or expired.');
  });

  it('accepts a token made at or after the credentials epoch, and one without its time while the epoch is 0', async () => {
    expect(await bearer({ tok: GOOD }, false, { 'acct-1': 1_800_000_000 }).auth.verify('tok')).toMatchObject({ token: 'tok' });
    expect(await bearer({ tok: { ...GOOD, extra: undefined } }, false, { 'acct-1': 0 }).auth.verify('tok')).toMatchObject({ token: 'tok' });
  });

  it('says "unavailable", not "invalid", when the token store or the accounts database does not answer', async () => {
    expect(await bearer('down').auth.verify('tok').catch((caught: unknown) => caught)).toBeInstanceOf(TokenCheckUnavailableError);
    expect(await bearer({ tok: GOOD }, false, 'down').auth.verify('tok').catch((caught: unknown) => caught)).toBeInstanceOf(TokenCheckUnavailableError);
  });

  it('challenges with the metadata URL and scope, adding the error only for a token that was sent', async () => {
    const { auth } = bearer({});
    expect(auth.challenge(new InvalidTokenError('x', true))).toBe(`Bearer resource_metadata="${ISSUER}/.well-known/oauth-protected-resource/mcp", scope="account:read"`);
    expect(auth.challenge(new InvalidTokenError('The access token is invalid or expired.'))).toBe(
      `Bearer resource_metadata="${ISSUER}/.well-known/oauth-protected-resource/mcp", scope="account:read", error="invalid_token", error_description="The access token is invalid or expired."`,
    );
  });
});

describe(bearerChallenge.name, () => {
  it('keeps quotes and backslashes out of the description, so the header stays well-formed', () => {
    expect(bearerChallenge(ISSUER, { code: 'insufficient_scope', description: 'say "hi" \\ now' })).toBe(
      `Bearer resource_metadata="${resourceMetadataUrl(ISSUER)}", scope="account:read", error="insufficient_scope", error_description="say hi  now"`,
    );
  });
});

describe(linkedIdentity.name, () => {
  it('reads nothing from a token without both ids', () => {
    expect(linkedIdentity(undefined)).toBeUndefined();
    expect(linkedIdentity({ token: 't', clientId: 'c', scopes: [] })).toBeUndefined();
    expect(linkedIdentity({ token: 't', clientId: 'c', scopes: [], extra: { accountId: 'a' } })).toBeUndefined();
    expect(linkedIdentity({ token: 't', clientId: 'c', scopes: [], extra: { accountId: 'a', grantId: 7 } })).toBeUndefined();
  });
});
