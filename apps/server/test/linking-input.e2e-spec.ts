/**
 * Bad input to the authorization server is a 4xx with an OAuth error, never a
 * 5xx or a hang: deeply nested and huge bodies, wrong types, and 5,000 fuzzed
 * requests each to /register, /token, /authorize, /revoke and the hosted
 * page's interaction routes (a seeded generator, so a failure can be replayed).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { authorizationUrl, Browser, followTo, type LinkingServer, pkce, register, startLinkingServer } from './oauth.js';

const PER_ENDPOINT = Number(process.env['FUZZ_REQUESTS'] ?? 5000);
let server: LinkingServer;

beforeAll(async () => {
  server = await startLinkingServer({ REGISTRATIONS_PER_HOUR: '100000' });
});

afterAll(async () => {
  await server.close();
});

/** mulberry32: small, seeded, good enough to spread inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARAMS = [
  'grant_type',
  'code',
  'refresh_token',
  'client_id',
  'client_secret',
  'redirect_uri',
  'code_verifier',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'scope',
  'state',
  'response_type',
  'token',
  'token_type_hint',
  'client_assertion',
  'client_assertion_type',
  'prompt',
  'max_age',
  'request',
  'request_uri',
  'nonce',
  'sessionId',
  'redirect_uris',
  'client_name',
  'grant_types',
  'token_endpoint_auth_method',
  'jwks_uri',
  'jwks',
  'application_type',
  'sector_identifier_uri',
];

function fuzzer(seed: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const text = (): string => {
    switch (Math.floor(next() * 8)) {
      case 0:
        return '';
      case 1:
        return 'x'.repeat(Math.floor(next() * 20_000));
      case 2:
        return pick(['authorization_code', 'refresh_token', 'client_credentials', 'none', 'S256', 'plain', 'code', 'https://a.example/cb', 'http://127.0.0.1:9/callback', 'account:read']);
      case 3:
        return String.fromCharCode(...Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 0xffff)));
      case 4:
        return `https://${pick(['127.0.0.1', '[::1]', 'client.example', 'a'.repeat(300)])}/${pick(['client.json', '%00', '..%2f..', '?x=1#y'])}`;
      case 5:
        return pick(['%', '%zz', '\u0000', '\ud800', '<script>', '{"a":', '[]', 'null', '1e309']);
      default:
        return String(next()).slice(0, 2 + Math.floor(next() * 16));
    }
  };
  const value = (depth: number): unknown => {
    const kind = Math.floor(next() * (depth > 4 ? 5 : 8));
    switch (kind) {
      case 0:
        return text();
      case 1:
        return Math.floor(next() * 2 ** 53) * (next() < 0.5 ? -1 : 1);
      case 2:
        return next() < 0.5;
      case 3:
        return null;
      case 4:
        return next() * 1e308;
      case 5:
        return Array.from({ length: Math.floor(next() * 6) }, () => value(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [next() < 0.7 ? pick(PARAMS) : text().slice(0, 40), value(depth + 1)]));
    }
  };
  const nested = (depth: number): string => (next() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return {
    /** A JSON body: mostly a well-formed object of known and unknown fields, sometimes deep, huge or broken. */
    json(): string {
      const roll = next();
      if (roll < 0.05) return nested(1000 + Math.floor(next() * 4000));
      if (roll < 0.08) return JSON.stringify({ redirect_uris: Array.from({ length: 4000 }, (_, i) => `https://a.example/${i}`) });
      if (roll < 0.12) return text();
      return JSON.stringify(value(0));
    },
    /** A form body or query string of known and unknown parameters, repeated, with hostile values. */
    form(): string {
      const params = new URLSearchParams();
      for (let i = Math.floor(next() * 8); i > 0; i--) params.append(next() < 0.8 ? pick(PARAMS) : text().slice(0, 30), text());
      const raw = params.toString();
      return next() < 0.1 ? `${raw}&${pick(['%', '=&=', '&&&', 'a=%zz', '%00=%00'])}` : raw;
    },
  };
}

interface Outcome {
  status: number;
  body: string;
}

async function send(path: string, init: RequestInit, browser?: Browser): Promise<Outcome> {
  const response = browser
    ? await browser.request(path, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, ...(init.body !== undefined && { body: init.body as string }) })
    : await fetch(`${server.baseUrl}${path}`, { ...init, redirect: 'manual', signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

/** Sends `count` requests made by `make`; fails on the first 5xx or hang, naming the seed and request. */
async function fuzz(name: string, seed: number, make: (fuzz: ReturnType<typeof fuzzer>) => { path: string; init: RequestInit; browser?: Browser }) {
  const generator = fuzzer(seed);
  const statuses = new Map<number, number>();
  for (let i = 0; i < PER_ENDPOINT; i++) {
    const { path, init, browser } = make(generator);
    const outcome = await send(path, init, browser).catch((error: unknown) => ({ status: 0, body: String(error) }));
    statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    if (outcome.status === 0 || outcome.status >= 500) {
      throw new Error(`${name} #${i} (seed ${seed}) answered ${outcome.status}: ${outcome.body.slice(0, 300)}\nrequest: ${path} ${typeof init.body === 'string' ? init.body.slice(0, 300) : ''}`);
    }
  }
  return statuses;
}

const post = (type: string, body: string, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': type, ...headers }, body });

describe('hostile input to account linking (e2e)', () => {
  it('answers a registration nested 3,000 deep (18 KB) with 400, not 500', async () => {
    const deep = `{"client_name":${'['.repeat(3000)}${']'.repeat(3000)},"redirect_uris":["https://a.example/cb"]}`;
    const answer = await send('/register', post('application/json', deep));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('answers wrong types at /register with 400 invalid_client_metadata or invalid_redirect_uri', async () => {
    for (const body of [
      { client_name: 42, redirect_uris: ['https://a.example/cb'] },
      { redirect_uris: 'https://a.example/cb' },
      { redirect_uris: [42] },
      { redirect_uris: [{}] },
      { redirect_uris: ['https://a.example/cb'], grant_types: {} },
      { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: ['none'] },
      { redirect_uris: ['https://a.example/cb'], jwks: 'keys' },
    ]) {
      const answer = await send('/register', post('application/json', JSON.stringify(body)));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)['error']).toMatch(/^invalid_(client_metadata|redirect_uri)$/);
    }
  });

  it('survives 5,000 fuzzed registrations with 4xx (or 201) and no 5xx', async () => {
    const statuses = await fuzz('register', 1, (f) => ({ path: '/register', init: post('application/json', f.json()) }));
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  }, 300_000);

  it('survives 5,000 fuzzed token requests', async () => {
    await fuzz('token', 2, (f) => ({ path: '/token', init: post('application/x-www-form-urlencoded', f.form()) }));
  }, 300_000);

  it('survives 5,000 fuzzed revocation requests', async () => {
    await fuzz('revoke', 3, (f) => ({ path: '/revoke', init: post('application/x-www-form-urlencoded', f.form()) }));
  }, 300_000);

  it('survives 5,000 fuzzed authorization requests', async () => {
    const client = await register(server.baseUrl);
    await fuzz('authorize', 4, (f) => {
      const query = new URLSearchParams(f.form());
      // Half of them for a real client, so the checks past client lookup are reached too.
      if (Math.abs(query.toString().length % 2) === 0) query.set('client_id', client.client_id);
      return { path: `/authorize?${query.toString()}`, init: { method: 'GET' } };
    });
  }, 300_000);

  it("survives 5,000 fuzzed requests to the hosted page's interaction routes, on a live interaction and on made-up ones", async () => {
    const client = await register(server.baseUrl);
    const browser = new Browser(server.baseUrl);
    const live = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const routes = ['session', 'login', 'consent', 'details'];
    let n = 0;
    await fuzz('interaction', 5, (f) => {
      const route = routes[n % routes.length]!;
      // Two in three on the live interaction, with its browser's cookie; the rest on made-up ids.
      const onLive = n++ % 3 !== 0;
      const base = onLive ? live : `/interaction/${'A'.repeat(n % 70)}`;
      const via = onLive ? { browser } : {};
      if (route === 'details') return { path: `${base}/details`, init: { method: 'GET' }, ...via };
      return { path: `${base}/${route}`, init: post(n % 7 === 0 ? 'text/plain' : 'application/json', f.json(), { origin: server.baseUrl }), ...via };
    });
  }, 300_000);
});
