/**
 * The resource-server half: checks the bearer token on requests to /mcp.
 * Tokens are opaque and looked up where the authorization server keeps them,
 * so a revoked or rotated-away family stops working at once. A token for
 * another audience, an expired or unknown one, is refused with 401 and a
 * `WWW-Authenticate` challenge that names the protected-resource metadata
 * (how spec-following clients find where to link); ChatGPT reads the same
 * value from a tool result's `_meta["mcp/www_authenticate"]`.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { AccountDirectory } from '../accounts/account-directory.js';
import { ACCOUNT_READ } from './oauth-provider.js';
import type { OAuthServer } from './oauth-server.js';

/** The URL of this resource's metadata (RFC 9728, path-aware form for /mcp). */
export const resourceMetadataUrl = (issuer: string): string => `${issuer}/.well-known/oauth-protected-resource/mcp`;

/** What a verified token tells a tool: who, through which client and grant. */
export interface LinkedIdentity {
  accountId: string;
  grantId: string;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';

  /** `missing`: no token at all (the challenge then carries no error code, RFC 6750 §3.1). */
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

export class TokenCheckUnavailableError extends Error {
  override name = 'TokenCheckUnavailableError';
}

/** `Bearer resource_metadata="…", scope="account:read"[, error="…", error_description="…"]`. */
export function bearerChallenge(issuer: string, error?: { code: 'invalid_token' | 'insufficient_scope'; description: string }): string {
  const parts = [`resource_metadata="${resourceMetadataUrl(issuer)}"`, `scope="${ACCOUNT_READ}"`];
  if (error) parts.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  return `Bearer ${parts.join(', ')}`;
}

export class BearerAuth {
  constructor(
    private readonly server: OAuthServer,
    /** PUBLIC_URL/mcp: the audience a token must carry. */
    readonly resource: string,
    readonly issuer: string,
    /** REQUIRE_AUTH: every request to /mcp needs a valid token. */
    readonly required: boolean,
    private readonly accounts: Pick<AccountDirectory, 'findById'>,
  ) {}

  /**
   * The request's verified token, or undefined when it carries none (allowed
   * unless `required`). Throws `InvalidTokenError` for a token that is not
   * valid here, and for a missing one when required.
   */
  async authenticate(req: IncomingMessage): Promise<AuthInfo | undefined> {
    const header = req.headers.authorization;
    if (header === undefined) {
      if (this.required) throw new InvalidTokenError('This server requires a linked Target account: send an access token.', true);
      return undefined;
    }
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) throw new InvalidTokenError('The Authorization header must be "Bearer" and an access token.');
    return this.verify(match[1]!);
  }

  /**
   * Looks the token up; refuses unknown, expired, revoked and foreign-audience
   * tokens alike, without saying which, and tokens of an account that is
   * disabled or whose credentials changed after the sign-in they came from.
   * A store that does not answer (Redis or the database down) is not the
   * token's fault: that throws `TokenCheckUnavailableError`, never a refusal
   * that would make the client drop a good token.
   */
  async verify(value: string): Promise<AuthInfo> {
    const { AccessToken } = await this.server.provider();
    let token: InstanceType<typeof AccessToken> | undefined;
    let current: boolean;
    try {
      token = await AccessToken.find(value);
      current = token?.accountId !== undefined && (await this.signInStands(token.accountId, token.extra));
    } catch (error) {
      throw new TokenCheckUnavailableError('The access token cannot be checked right now. Try again in a moment.', { cause: error });
    }
    if (!token || !current || token.isExpired || token.aud !== this.resource || !token.accountId || !token.grantId) {
      throw new InvalidTokenError('The access token is invalid or expired.');
    }
    const identity: LinkedIdentity = { accountId: token.accountId, grantId: token.grantId };
    return {
      token: value,
      clientId: token.clientId ?? '',
      scopes: (token.scope ?? '').split(' ').filter(Boolean),
      ...(token.exp !== undefined && { expiresAt: token.exp }),
      resource: new URL(this.resource),
      extra: { ...identity },
    };
  }

  /** Whether the account is active and the token's sign-in (`extra.authTime`) no older than its credentials epoch. */
  private async signInStands(accountId: string, extra: Record<string, unknown> | undefined): Promise<boolean> {
    const account = await this.accounts.findById(accountId);
    const authTime = typeof extra?.['authTime'] === 'number' ? extra['authTime'] : 0;
    return account !== null && authTime >= account.epoch;
  }

  /** The challenge for a refused request. */
  challenge(error: InvalidTokenError): string {
    return bearerChallenge(this.issuer, error.missing ? undefined : { code: 'invalid_token', description: error.message });
  }
}

/** The linked identity a verified token carries, if any. */
export function linkedIdentity(authInfo: AuthInfo | undefined): LinkedIdentity | undefined {
  const extra = authInfo?.extra;
  if (!extra || typeof extra['accountId'] !== 'string' || typeof extra['grantId'] !== 'string') return undefined;
  return { accountId: extra['accountId'], grantId: extra['grantId'] };
}
