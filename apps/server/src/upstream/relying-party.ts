/**
 * This server as an OpenID relying party of one upstream provider, on
 * openid-client (OpenID Certified): discovery (cached; a failed one is tried
 * again next time), the authorization code flow with PKCE S256, `state` and
 * `nonce`, the `iss` response parameter where the provider offers it, and the
 * ID token checked (signature, issuer, audience, expiry, nonce) before any
 * claim is read. Microsoft's `{tenantid}` issuer is checked against the
 * token's `tid` by openid-client. What a provider vouches for becomes a
 * `VerifiedIdentity`, keyed on (issuer, subject) and, for Microsoft, on
 * (tenant, object id); an e-mail is never a key.
 */
import * as client from 'openid-client';
import type { UpstreamIdentity } from '../accounts/account-directory.js';
import { MICROSOFT_CONSUMERS_TENANT, type UpstreamProvider } from '../config/upstream.js';

/** Who a provider says signed in, checked (the accounts' own type: the key, the e-mail and whether it is vouched for). */
export type VerifiedIdentity = UpstreamIdentity;

/** What one attempt keeps between the redirect to the provider and its callback. */
export interface Attempt {
  state: string;
  nonce: string;
  /** PKCE code verifier. */
  verifier: string;
}

export type UpstreamFailure = 'unavailable' | 'declined' | 'rejected' | 'not_admitted';

/** A refused or failed upstream sign-in; `reason` says which, the message is safe to show. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    readonly reason: UpstreamFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class RelyingParty {
  private config: Promise<client.Configuration> | undefined;

  constructor(
    readonly provider: UpstreamProvider,
    private readonly redirectUri: string,
    /** Test-only: how the server reaches the provider (tests map Microsoft's origin to a local provider). */
    private readonly fetcher?: typeof fetch,
  ) {}

  /** A fresh attempt whose `state` is the one given (it carries what the callback needs to find its sign-in). */
  static attempt(state: string): Attempt {
    return { state, nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
  }

  /** Resolves once the provider's metadata is known (discovered now, or before); throws `unavailable` otherwise. */
  async ready(): Promise<void> {
    await this.configuration();
  }

  /** The origin of the provider's authorization endpoint (a page that sends a form there lists it in its CSP). */
  async authorizationOrigin(): Promise<string> {
    const { authorization_endpoint } = (await this.configuration()).serverMetadata();
    return new URL(authorization_endpoint ?? this.provider.issuer).origin;
  }

  /** Where to send the browser for this attempt. */
  async authorizationUrl(attempt: Attempt): Promise<URL> {
    const config = await this.configuration();
    const { hostedDomain, kind } = this.provider;
    return client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.provider.scopes.join(' '),
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(attempt.verifier),
      code_challenge_method: 'S256',
      // Let the person pick the account rather than silently reusing the one signed in upstream
      // (Google and Microsoft know `select_account`; an OpenID provider need not, and may refuse it).
      ...(kind !== 'oidc' && { prompt: 'select_account' }),
      ...(kind === 'google' && hostedDomain !== undefined && { hd: hostedDomain }),
    });
  }

  /** Completes the attempt from the callback URL: the code exchanged, the ID token checked, the identity read. */
  async complete(callbackUrl: URL, attempt: Attempt): Promise<VerifiedIdentity> {
    const config = await this.configuration();
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: attempt.verifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw failureOf(error, this.provider.name);
    }
    if (!claims) throw new UpstreamError('rejected', `${this.provider.name} did not say who signed in.`);
    return this.identityOf(claims);
  }

  private identityOf(claims: client.IDToken): VerifiedIdentity {
    const { provider } = this;
    const email = typeof claims['email'] === 'string' && claims['email'].includes('@') ? claims['email'] : null;
    const name = typeof claims['name'] === 'string' && claims['name'].trim() !== '' ? claims['name'].trim().slice(0, 100) : null;
    const base = { provider: provider.id, issuer: claims.iss, email, name };
    if (provider.kind === 'microsoft') {
      const { tid, oid } = claims as { tid?: unknown; oid?: unknown };
      if (typeof tid !== 'string' || typeof oid !== 'string' || tid === '' || oid === '') {
        throw new UpstreamError('rejected', 'Microsoft did not say which tenant and account signed in.');
      }
      if (!tenantAdmitted(provider.tenant ?? 'common', tid)) throw new UpstreamError('not_admitted', 'This kind of Microsoft account cannot sign in here.');
      // `email` is mutable and unverified in Entra unless the optional xms_edov claim says the domain owner verified it.
      return { ...base, subject: oid, emailVerified: claims['xms_edov'] === true };
    }
    if (provider.kind === 'google' && provider.hostedDomain !== undefined && (typeof claims['hd'] === 'string' ? claims['hd'].toLowerCase() : '') !== provider.hostedDomain) {
      throw new UpstreamError('not_admitted', `Only ${provider.hostedDomain} Google accounts can sign in here.`);
    }
    return { ...base, subject: claims.sub, emailVerified: claims['email_verified'] === true };
  }

  private configuration(): Promise<client.Configuration> {
    if (this.config) return this.config;
    const { issuer, clientId, clientSecret, name } = this.provider;
    const url = new URL(issuer);
    const found = client
      .discovery(url, clientId, clientSecret, undefined, {
        timeout: 10,
        ...(this.fetcher && { [client.customFetch]: this.fetcher }),
        // ID tokens from the token endpoint have their signature checked too (openid-client skips it by default).
        execute: [client.enableNonRepudiationChecks, ...(url.protocol === 'http:' ? [client.allowInsecureRequests] : [])],
      })
      .catch((error: unknown) => {
        // The next sign-in tries discovery again.
        this.config = undefined;
        throw new UpstreamError('unavailable', `${name} cannot be reached right now. Try again in a moment.`, { cause: error });
      });
    this.config = found;
    return found;
  }
}

/** Which Microsoft tenants a configured tenant admits. */
function tenantAdmitted(tenant: string, tid: string): boolean {
  if (tenant === 'common') return true;
  if (tenant === 'consumers') return tid === MICROSOFT_CONSUMERS_TENANT;
  if (tenant === 'organizations') return tid !== MICROSOFT_CONSUMERS_TENANT;
  return tid.toLowerCase() === tenant;
}

/** What went wrong, in a person's words: the provider unreachable, the person declining, or a response not to be trusted. */
function failureOf(error: unknown, name: string): UpstreamError {
  if (error instanceof client.AuthorizationResponseError && error.error === 'access_denied') {
    return new UpstreamError('declined', `You did not allow ${name} to sign you in.`);
  }
  const serverFailed =
    (error instanceof client.ResponseBodyError && error.status >= 500) || (error instanceof client.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM');
  const protocol = error instanceof client.ClientError || error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError;
  if (protocol && !serverFailed) return new UpstreamError('rejected', `The sign-in with ${name} could not be checked. Try again.`, { cause: error });
  return new UpstreamError('unavailable', `${name} cannot be reached right now. Try again in a moment.`, { cause: error });
}
