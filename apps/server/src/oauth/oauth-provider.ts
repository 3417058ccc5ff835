/**
 * The authorization server: oidc-provider (OpenID Certified), configured for
 * MCP account linking and nothing more. Authorization code with PKCE S256
 * only; `resource` is required on authorization and token requests and must
 * name this server's MCP endpoint, which becomes the token's audience; access
 * tokens are opaque (stored, so revocation takes effect at once); refresh
 * tokens rotate on every use, and a rotated one used again (after a short
 * grace for retries, refresh-grace.ts) revokes its whole grant. Clients are
 * Client ID Metadata Documents (fetched through our outbound guard,
 * outbound-fetch.ts, ≤ 5 KB, ≤ 2.5 s, cached by their headers) or dynamically
 * registered (a random id and, for a confidential client, a random secret
 * stored only as a hash). Redirect URIs follow OAuth 2.1 (redirect-uris.ts).
 * The sign-in and consent screens are ours (interaction.controller.ts).
 */
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import type { Configuration, interactionPolicy } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { AccountDirectory } from '../accounts/account-directory.js';
import type { KeyRing } from '../accounts/secret-key.js';
import type { OAuthStorage } from './oauth-storage.js';
import { guardedFetch } from './outbound-fetch.js';
import { redirectUriProblem } from './redirect-uris.js';
import { ClientSecrets } from './client-secrets.js';
import { RefreshGrace } from './refresh-grace.js';
import { isRecord } from '../common/is-record.js';
import type { Consents } from './consents.js';
import { errorPage } from '../http/message-page.js';
import { storeOutageAsUnavailable } from './store-outage.js';

/** The one scope a linked account grants today: reading who it is. */
export const ACCOUNT_READ = 'account:read';

/** Where each endpoint lives under the issuer. */
export const OAUTH_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  registration: '/register',
  revocation: '/revoke',
  jwks: '/jwks',
  userinfo: '/userinfo',
  end_session: '/logout',
} as const;

export interface OAuthProviderOptions {
  /** PUBLIC_URL: the issuer, and the origin of every endpoint. */
  issuer: string;
  /** PUBLIC_URL/mcp: the only resource tokens are issued for. */
  resource: string;
  storage: OAuthStorage;
  /** Consent remembered per account, app and redirect URI (consents.ts). */
  consents: Consents;
  directory: AccountDirectory;
  keys: KeyRing;
  /** Told of every token issued to an app for an account (the account page's "last used"); must not throw. */
  onTokens?: (accountId: string, grantId: string) => void;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * Test-only: replaces the guarded fetch for client metadata documents (the
   * suites serve theirs from memory). Never set by the app's configuration.
   */
  fetch?: Configuration['fetch'];
}

const DAY = 24 * 60 * 60;

export async function createOAuthProvider(options: OAuthProviderOptions): Promise<Provider> {
  const { default: Provider, errors, interactionPolicy } = await import('oidc-provider');
  const { issuer, resource, storage, consents, directory, keys } = options;
  const secrets = new ClientSecrets(keys.oauth.clientSecrets);
  const grace = new RefreshGrace(storage);

  const configuration: Configuration = {
    // Registered clients' secrets are stored only as hashes (client-secrets.ts).
    adapter: secrets.adapters(storage.adapterFor),
    clients: [],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'EdDSA',
    },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    // Nothing is keyed with a client's secret (it is stored hashed): asymmetric algorithms only.
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'], idTokenSigningAlgValues: ['EdDSA'] },
    extraClientMetadata: {
      // Not a property clients send: a hook that sees every client's metadata (registered, fetched or stored) to check its redirect URIs.
      properties: ['redirect_uris_checked'],
      validator: (_ctx, _key, _value, metadata) => {
        const uris: unknown = metadata['redirect_uris'];
        const problem = Array.isArray(uris) ? uris.map(redirectUriProblem).find(Boolean) : undefined;
        if (problem) throw new errors.InvalidClientMetadata(`redirect_uris ${problem}`);
      },
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    // account:read is the MCP resource's scope; listed here too because clients (the MCP SDK among them)
    // register with the resource's scopes as their `scope`, which oidc-provider checks against this list.
    scopes: ['openid', 'offline_access', ACCOUNT_READ],
    jwks: { keys: [ed25519Jwk(keys.oauth.signingSeed)] },
    // oidc-provider's cookies are HttpOnly and SameSite=Lax by default (tested); ours are signed with a key from SECRET_KEY.
    cookies: {
      names: { session: 'target_session', interaction: 'target_interaction', resume: 'target_interaction_resume' },
      keys: [keys.oauth.cookies],
    },
    routes: OAUTH_ROUTES,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      Grant: 365 * DAY,
      IdToken: 3600,
      Interaction: 10 * 60,
      RefreshToken: options.refreshTokenTtlSeconds,
      Session: 14 * DAY,
    },
    interactions: { policy: signInPolicy(interactionPolicy), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // An account is found only while the sign-in behind the request counts: active, and authenticated no
    // earlier than its credentials epoch. Codes and refresh tokens carry that time (authTime); a browser
    // session has it as its login time. So a new password ends every code, refresh token and browser
    // session made before it; access tokens carry it too (extraTokenClaims) for the bearer check.
    findAccount: async (ctx, sub, token) => {
      const account = await directory.findById(sub);
      const authTime = token ? (token as { authTime?: number }).authTime : ctx.oidc.session?.authTime();
      if (!account || (authTime ?? 0) < account.epoch) return undefined;
      return { accountId: sub, claims: async () => ({ sub }) };
    },
    extraTokenClaims: async (ctx, token) => {
      // Outside a token request (no context) there is no sign-in to carry.
      const source = ctx?.oidc.entities.RefreshToken ?? ctx?.oidc.entities.AuthorizationCode;
      if (token.kind !== 'AccessToken' || source?.authTime === undefined) return undefined;
      return { authTime: source.authTime };
    },
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const fromResult = ctx.oidc.result?.['consent'] as { grantId?: string } | undefined;
      // The consent just given, else the one this account gave this client for this redirect URI before (any browser).
      const accountId = ctx.oidc.session?.accountId;
      const link = accountId && { accountId, clientId: ctx.oidc.client!.clientId, redirectUri: String(ctx.oidc.params?.['redirect_uri']) };
      const grantId = fromResult?.grantId ?? (link ? await consents.find(link) : undefined);
      return grantId ? Grant.find(grantId) : undefined;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every use rotates; a retry within the grace gets the same successor (refresh-grace.ts).
    rotateRefreshToken: grace.rotate,
    renderError: async (ctx, out) => {
      ctx.body = errorPage(out.error_description ?? out.error);
    },
    // Client metadata documents and jwks_uri: our guard (no internal addresses); oidc-provider's limits apply on top (5 KB, 2.5 s).
    fetch: options.fetch ?? (guardedFetch() as unknown as Configuration['fetch']),
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      // Tokens here are bearer tokens checked by this server alone: no sender-constraining, no pushed requests.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      // RFC 7009: a client revokes only its own tokens; another client's is left alone (and the answer is the same 200).
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      registration: {
        enabled: true,
        // Random, never derived from the request: registering the same metadata again makes a new client.
        idFactory: () => `dcr_${randomBytes(18).toString('base64url')}`,
        secretFactory: () => randomBytes(32).toString('base64url'),
      },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02', cacheDuration: { min: 60, max: DAY } },
      resourceIndicators: {
        enabled: true,
        // Only consulted when an authorization request names no resource: we require one.
        defaultResource: () => {
          throw new errors.InvalidTarget(`the resource parameter is required (${resource})`);
        },
        // Only consulted when a token request names no resource: we require one.
        useGrantedResource: () => {
          throw new errors.InvalidTarget(`the resource parameter is required (${resource})`);
        },
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`tokens are issued for ${resource} only`);
          return { scope: ACCOUNT_READ, audience: resource, accessTokenTTL: options.accessTokenTtlSeconds, accessTokenFormat: 'opaque' };
        },
      },
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.Client.prototype.compareClientSecret = function (this: { clientSecret?: string }, actual: string) {
    return secrets.matches(this.clientSecret, actual);
  };
  provider.on('grant.success', (ctx: { oidc: { entities: { AccessToken?: { accountId?: string; grantId?: string } } } }) => {
    const { accountId, grantId } = ctx.oidc.entities.AccessToken ?? {};
    if (accountId && grantId) options.onTokens?.(accountId, grantId);
  });
  provider.use(grace.middleware);
  provider.use(storeOutageAsUnavailable(provider));
  // Behind a TLS-terminating proxy (an https PUBLIC_URL), the forwarded protocol decides Secure cookies.
  provider.proxy = issuer.startsWith('https:');
  // oidc-provider decides on a secret before it applies clientDefaults, so a client that names no
  // authentication method (public here) would be handed a secret it can never use: it is left out.
  provider.use(async (ctx, next) => {
    await next();
    const body: unknown = ctx.body;
    if (ctx.method !== 'POST' || ctx.path !== OAUTH_ROUTES.registration || ctx.status !== 201 || !isRecord(body)) return;
    if (body['token_endpoint_auth_method'] !== 'none') return;
    delete body['client_secret'];
    delete body['client_secret_expires_at'];
  });
  return provider;
}

/**
 * oidc-provider's prompts, with one more reason to ask for a sign-in: the
 * browser's session names an account that `findAccount` no longer gives
 * (disabled, or its credentials changed since that session signed in).
 */
function signInPolicy(policies: InteractionPolicies) {
  const policy = policies.base();
  policy
    .get('login')!
    .checks.add(
      new policies.Check('credentials_changed', 'End-User authentication is required', (ctx) =>
        ctx.oidc.session?.accountId !== undefined && ctx.oidc.account === undefined ? policies.Check.REQUEST_PROMPT : policies.Check.NO_NEED_TO_PROMPT,
      ),
    );
  return policy;
}

type InteractionPolicies = typeof interactionPolicy;

/** The Ed25519 signing key (ID tokens) from a 32-byte seed, so every instance signs with the same key. */
function ed25519Jwk(seed: Buffer) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return { ...jwk, kid: createHash('sha256').update(jwk.x ?? '').digest('base64url').slice(0, 16), use: 'sig', alg: 'EdDSA' };
}
