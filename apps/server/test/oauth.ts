/**
 * Account linking driven over plain HTTP, as a browser and an OAuth client
 * would: a cookie jar, PKCE, the authorization request, the hosted page's
 * calls (session, sign-in steps, login, consent) and the token endpoint.
 * The Playwright spec drives the same flow through the real page.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { freePort } from '@target-auth/testing/ports';
import { createApp, type OAuthOverrides } from '../src/app.js';
import { testConfig } from '../src/testing/fakes.js';
import { closeLater } from '../src/testing/leftovers.js';

export interface LinkingServer {
  app: INestApplication;
  baseUrl: string;
  resource: string;
  close(): Promise<void>;
}

/**
 * The app on a free port whose PUBLIC_URL is that port (the issuer must be
 * known before boot), unless `env.PUBLIC_URL` names another instance's.
 */
export async function startLinkingServer(env: Record<string, string> = {}, overrides: OAuthOverrides = {}): Promise<LinkingServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const publicUrl = env['PUBLIC_URL'] ?? baseUrl;
  // Many tests register clients from one address: the per-hour limit is tested on its own server.
  const app = await createApp(testConfig({ PORT: String(port), REGISTRATIONS_PER_HOUR: '1000', ...env, PUBLIC_URL: publicUrl }), overrides);
  const close = closeLater(() => app.close());
  await app.listen(port, '127.0.0.1');
  // With REDIS_URL the first requests would find the connection still opening.
  for (let waited = 0; (await fetch(`${baseUrl}/readyz`)).status !== 200; waited += 50) {
    if (waited > 5000) throw new Error('the linking server did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { app, baseUrl, resource: `${publicUrl}/mcp`, close };
}

/** A browser's cookies for one origin, and requests that follow no redirects. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  /** `json` is sent as JSON; `body` as it is, with the content type the caller sets. */
  async request(url: string, init: { method?: string; json?: object; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const method = init.method ?? (init.json || init.body !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers['cookie'] = cookie;
    if (method === 'POST') headers['origin'] ??= this.origin;
    if (init.json) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(url, this.origin), {
      method,
      headers,
      redirect: 'manual',
      ...(init.json && { body: JSON.stringify(init.json) }),
      ...(init.body !== undefined && { body: init.body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Every Set-Cookie line seen last, for attribute checks. */
  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface ClientRegistration {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** Registers a public client (RFC 7591). */
export async function register(baseUrl: string, metadata: Record<string, unknown> = {}): Promise<ClientRegistration> {
  const response = await fetch(`${baseUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Test client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', ...metadata }),
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as ClientRegistration;
}

export interface AuthorizationParams {
  clientId: string;
  resource?: string | undefined;
  redirectUri?: string;
  challenge?: string | undefined;
  method?: string | undefined;
  scope?: string;
  state?: string;
}

export function authorizationUrl(baseUrl: string, params: AuthorizationParams): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri ?? REDIRECT_URI,
    scope: params.scope ?? 'account:read offline_access',
    state: params.state ?? 'state-123',
  });
  if (params.challenge !== undefined) query.set('code_challenge', params.challenge);
  if (params.method !== undefined) query.set('code_challenge_method', params.method);
  if (params.resource !== undefined) query.set('resource', params.resource);
  return `${baseUrl}/authorize?${query.toString()}`;
}

/** Signs in on the hosted page's API (demo rules unless `code` reads a mailed one); returns where the browser lands next. */
export async function signInOnPage(
  browser: Browser,
  interactionPath: string,
  credentials: { email: string; password: string; code?: () => Promise<string> } = { email: 'ada@example.com', password: 'anything' },
): Promise<string> {
  const opened = await browser.request(`${interactionPath}/session`, { json: {} });
  if (opened.status !== 201) throw new Error(`session: ${opened.status} ${await opened.text()}`);
  const { sessionId } = (await opened.json()) as { sessionId: string };
  const sent = await browser.request('/api/session/credentials', { json: { sessionId, email: credentials.email, password: credentials.password } });
  if (sent.status !== 200) throw new Error(`credentials: ${sent.status} ${await sent.text()}`);
  const code = credentials.code ? await credentials.code() : '123456';
  const verified = await browser.request('/api/session/authenticate', { json: { sessionId, code } });
  if (verified.status !== 200) throw new Error(`code: ${verified.status} ${await verified.text()}`);
  const login = await browser.request(`${interactionPath}/login`, { json: { sessionId } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  return followTo(browser, ((await login.json()) as { redirectTo: string }).redirectTo);
}

/**
 * Follows redirects within this origin (paths); returns the path of the page
 * reached (an interaction) or the first absolute location (the client's redirect URI).
 */
export async function followTo(browser: Browser, url: string): Promise<string> {
  let next = url.startsWith(browser.origin) ? url.slice(browser.origin.length) : url;
  for (let hops = 0; hops < 10; hops++) {
    const response = await browser.request(next);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return next;
    const target = new URL(location, browser.origin);
    if (target.origin !== browser.origin) return target.href;
    next = `${target.pathname}${target.search}`;
  }
  throw new Error('too many redirects');
}

/** The whole linking dance: authorize → sign in → consent → the redirect back with `code`. */
export async function link(
  server: LinkingServer,
  client: ClientRegistration,
  options: { browser?: Browser; pkce?: Pkce; credentials?: Parameters<typeof signInOnPage>[2] } = {},
): Promise<{ redirect: URL; pkce: Pkce; browser: Browser }> {
  const browser = options.browser ?? new Browser(server.baseUrl);
  const codes = options.pkce ?? pkce();
  let at = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: codes.challenge, method: 'S256' }));
  if (at.startsWith('/interaction/')) {
    const details = (await (await browser.request(`${at}/details`)).json()) as { prompt: string };
    if (details.prompt === 'login') at = await signInOnPage(browser, at, options.credentials);
  }
  if (at.startsWith('/interaction/')) {
    const consent = await browser.request(`${at}/consent`, { json: {} });
    if (consent.status !== 200) throw new Error(`consent: ${consent.status} ${await consent.text()}`);
    at = await followTo(browser, ((await consent.json()) as { redirectTo: string }).redirectTo);
  }
  return { redirect: new URL(at), pkce: codes, browser };
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** POST /token with form parameters; returns status, JSON body and headers. */
export async function token(baseUrl: string, params: Record<string, string | undefined>): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const form = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(`${baseUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

/** Links and exchanges the code: a fresh access and refresh token. */
export async function linkedTokens(server: LinkingServer, client: ClientRegistration, credentials?: Parameters<typeof signInOnPage>[2]): Promise<TokenResponse> {
  const { redirect, pkce: codes } = await link(server, client, credentials && { credentials });
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect.href}`);
  const exchanged = await token(server.baseUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: codes.verifier,
    client_id: client.client_id,
    resource: server.resource,
  });
  if (exchanged.status !== 200) throw new Error(`token: ${exchanged.status} ${JSON.stringify(exchanged.body)}`);
  return exchanged.body as unknown as TokenResponse;
}

/** POST /revoke (RFC 7009); returns the status. */
export async function revoke(baseUrl: string, params: Record<string, string>): Promise<number> {
  const response = await fetch(`${baseUrl}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  return response.status;
}

/** One JSON-RPC call to /mcp (2025-11-25 style), with a token when given. */
export async function mcp(baseUrl: string, body: object, accessToken?: string): Promise<{ status: number; json: unknown; wwwAuthenticate: string | null }> {
  const response = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(accessToken && { authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => undefined), wwwAuthenticate: response.headers.get('www-authenticate') };
}

export const callTool = (name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
