/**
 * A local OpenID provider for the upstream sign-in tests (nothing reaches the
 * network): discovery, an authorization endpoint that signs in whoever the
 * test names next, a token endpoint that checks the code, PKCE and the client,
 * and the keys. Knobs make its ID tokens wrong in one way each (audience,
 * expiry, nonce, issuer, `alg: none`, another key). `microsoft` mode serves
 * Entra's shape: a `{tenantid}` issuer in discovery, tokens from the person's
 * tenant, reached through `microsoftFetch` as if at login.microsoftonline.com.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export const MICROSOFT_ORIGIN = 'https://login.microsoftonline.com';

/** Whose sign-in the provider reports: standard claims plus Google's `hd` and Microsoft's `tid`, `oid`, `xms_edov`. */
export interface IdpPerson {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  hd?: string;
  tid?: string;
  oid?: string;
  xms_edov?: boolean;
}

/** One way to make the next ID token wrong. */
export interface TokenFault {
  aud?: string;
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  nonce?: string;
  iss?: string;
  alg?: 'none';
  /** Signed by a key the provider does not publish. */
  otherKey?: boolean;
}

export interface TestIdp {
  /** The issuer a relying party is configured with. */
  issuer: string;
  /** Where it listens (http://127.0.0.1:port). */
  origin: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the next authorization request, and how the token is made wrong, if at all. */
  next(person: IdpPerson, fault?: TokenFault): void;
  /** Plays the browser at the authorization URL: the redirect back to the relying party (or the error page's status). */
  authorize(url: string): Promise<URL>;
  /** While set, every request answers 503. */
  down: boolean;
  /** Token requests served. */
  tokenRequests: number;
  close(): Promise<void>;
}

interface Grant {
  person: IdpPerson;
  fault: TokenFault;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: string;
}

/** Maps Entra's origin to the local provider, for a relying party's fetch (server side) in `microsoft` mode. */
export function microsoftFetch(idp: TestIdp): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(url.startsWith(MICROSOFT_ORIGIN) ? idp.origin + url.slice(MICROSOFT_ORIGIN.length) : url, init);
  };
}

export async function startTestIdp(options: { mode?: 'generic' | 'microsoft'; path?: string; emitIss?: boolean } = {}): Promise<TestIdp> {
  const mode = options.mode ?? 'generic';
  const keys = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  let upcoming: { person: IdpPerson; fault: TokenFault } | undefined;
  const server = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = options.path ?? (mode === 'microsoft' ? '/common/v2.0' : '/idp');
  const publicOrigin = mode === 'microsoft' ? MICROSOFT_ORIGIN : origin;
  const discoveryIssuer = mode === 'microsoft' ? `${MICROSOFT_ORIGIN}/{tenantid}/v2.0` : origin + path;
  const endpoints = mode === 'microsoft' ? '/common/oauth2/v2.0' : path;
  const idp: TestIdp = {
    issuer: mode === 'microsoft' ? `${MICROSOFT_ORIGIN}/common/v2.0` : origin + path,
    origin,
    clientId: 'target-test-client',
    clientSecret: randomBytes(16).toString('base64url'),
    down: false,
    tokenRequests: 0,
    next(person, fault = {}) {
      upcoming = { person, fault };
    },
    async authorize(url) {
      const local = url.startsWith(MICROSOFT_ORIGIN) ? origin + url.slice(MICROSOFT_ORIGIN.length) : url;
      const response = await fetch(local, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`The provider answered ${response.status}`);
      return new URL(location);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return idp;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (idp.down) return void res.writeHead(503).end();
    const url = new URL(req.url ?? '/', origin);
    const discovery = mode === 'microsoft' ? /^\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/.test(url.pathname) : url.pathname === `${path}/.well-known/openid-configuration`;
    if (req.method === 'GET' && discovery) {
      return json(res, 200, {
        issuer: discoveryIssuer,
        authorization_endpoint: `${publicOrigin}${endpoints}/authorize`,
        token_endpoint: `${publicOrigin}${endpoints}/token`,
        jwks_uri: `${publicOrigin}${path}/keys`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        ...(options.emitIss && { authorization_response_iss_parameter_supported: true }),
      });
    }
    if (req.method === 'GET' && url.pathname === `${path}/keys`) return json(res, 200, { keys: [jwk] });
    if (req.method === 'GET' && url.pathname === `${endpoints}/authorize`) return authorize(url, res);
    if (req.method === 'POST' && url.pathname === `${endpoints}/token`) return token(req, res);
    res.writeHead(404).end();
  }

  function authorize(url: URL, res: ServerResponse): void {
    const params = url.searchParams;
    const redirectUri = params.get('redirect_uri') ?? '';
    if (params.get('client_id') !== idp.clientId || params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256' || !upcoming) {
      return void res.writeHead(400).end('bad authorization request');
    }
    const code = randomBytes(16).toString('base64url');
    grants.set(code, { ...upcoming, clientId: idp.clientId, redirectUri, nonce: params.get('nonce') ?? undefined, challenge: params.get('code_challenge') ?? '' });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (params.get('state') !== null) back.searchParams.set('state', params.get('state')!);
    if (options.emitIss) back.searchParams.set('iss', issuerFor(upcoming.person));
    res.writeHead(302, { location: back.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    idp.tokenRequests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [clientId, clientSecret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [form.get('client_id'), form.get('client_secret')];
    const grant = grants.get(form.get('code') ?? '');
    grants.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (clientId !== idp.clientId || clientSecret !== idp.clientSecret) return json(res, 401, { error: 'invalid_client' });
    if (!grant || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== challenge) return json(res, 400, { error: 'invalid_grant' });
    const { person, fault } = grant;
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...person, ...(grant.nonce !== undefined && { nonce: grant.nonce }), ...(fault.nonce !== undefined && { nonce: fault.nonce }) };
    const issuer = fault.iss ?? issuerFor(person);
    const audience = fault.aud ?? grant.clientId;
    const expires = now + (fault.expiresIn ?? 300);
    let idToken: string;
    if (fault.alg === 'none') {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      idToken = `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, iss: issuer, aud: audience, iat: now, exp: expires })}.`;
    } else {
      idToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(expires)
        .sign(fault.otherKey ? stranger.privateKey : keys.privateKey);
    }
    json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 3600, id_token: idToken, scope: 'openid email profile' });
  }

  function issuerFor(person: IdpPerson): string {
    return mode === 'microsoft' ? `${MICROSOFT_ORIGIN}/${person.tid ?? 'missing-tid'}/v2.0` : origin + path;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
