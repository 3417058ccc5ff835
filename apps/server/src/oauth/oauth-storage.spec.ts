/** The OAuth state contract (oidc-provider's adapter), run against memory and against Redis (the project's server). */
import { afterAll, describe, expect, it } from '@jest/globals';
import { redisAvailable, testRedisClient } from '../testing/redis.js';
import { itWhen } from '../testing/services.js';
import { MemoryOAuthStorage, type OAuthStorage, RedisOAuthStorage } from './oauth-storage.js';

const haveRedis = await redisAvailable();
const drops: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(drops.map((drop) => drop()));
});

const kinds: [string, boolean, (grace?: number) => OAuthStorage][] = [
  ['memory', true, (grace) => new MemoryOAuthStorage(grace)],
  [
    'Redis',
    haveRedis,
    (grace) => {
      const { client, drop } = testRedisClient();
      drops.push(drop);
      return new RedisOAuthStorage(client, grace);
    },
  ],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(kinds)('%s OAuth storage', (_name, available, make) => {
  const test = itWhen(available);

  test('keeps a payload until it expires', async () => {
    const codes = make().adapterFor('AuthorizationCode');
    await codes.upsert('c1', { accountId: 'a', grantId: 'g1' }, 1);
    expect(await codes.find('c1')).toEqual({ accountId: 'a', grantId: 'g1' });
    expect(await codes.find('other')).toBeUndefined();
    await sleep(1100);
    expect(await codes.find('c1')).toBeUndefined();
  });

  test('keeps an entry without a lifetime (registered clients)', async () => {
    const clients = make().adapterFor('Client');
    await clients.upsert('dcr_1', { client_id: 'dcr_1', redirect_uris: ['https://a.example/cb'] });
    expect(await clients.find('dcr_1')).toMatchObject({ client_id: 'dcr_1' });
  });

  test('marks a consumed code with the first time it was consumed', async () => {
    const codes = make().adapterFor('AuthorizationCode');
    await codes.upsert('c1', { accountId: 'a' }, 60);
    await codes.consume('c1');
    const first = (await codes.find('c1'))?.consumed;
    expect(typeof first).toBe('number');
    await sleep(1100);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBe(first);
    // Consuming what is not there creates nothing.
    await codes.consume('missing');
    expect(await codes.find('missing')).toBeUndefined();
  });

  test('hides a rotated refresh token\'s use during the grace, then shows it', async () => {
    // A grace of 3 s: wide enough that a loaded machine still reads within it (1 s was missed under the full suite).
    const tokens = make(3).adapterFor('RefreshToken');
    await tokens.upsert('r1', { accountId: 'a', grantId: 'g' }, 60);
    await tokens.consume('r1');
    expect((await tokens.find('r1'))?.consumed).toBeUndefined();
    await sleep(4100);
    expect((await tokens.find('r1'))?.consumed).toEqual(expect.any(Number));
    // Without a grace the use shows at once; other models have none.
    const graceless = make(0).adapterFor('RefreshToken');
    await graceless.upsert('r0', { grantId: 'g' }, 60);
    await graceless.consume('r0');
    expect((await graceless.find('r0'))?.consumed).toEqual(expect.any(Number));
    const codes = make(60).adapterFor('AuthorizationCode');
    await codes.upsert('c', { accountId: 'a' }, 60);
    await codes.consume('c');
    expect((await codes.find('c'))?.consumed).toEqual(expect.any(Number));
  });

  test('revokes everything issued under a grant, and only that', async () => {
    const storage = make();
    const access = storage.adapterFor('AccessToken');
    const refresh = storage.adapterFor('RefreshToken');
    await access.upsert('a1', { grantId: 'g1' }, 60);
    await refresh.upsert('r1', { grantId: 'g1' }, 600);
    await access.upsert('a2', { grantId: 'g2' }, 60);
    await access.revokeByGrantId('g1');
    expect(await access.find('a1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await access.find('a2')).toEqual({ grantId: 'g2' });
  });

  test('finds a session by its uid, and forgets the uid with the session', async () => {
    const sessions = make().adapterFor('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'a' });
    await sessions.destroy('s1');
    expect(await sessions.findByUid('u1')).toBeUndefined();
  });

  test('replaces an entry on upsert', async () => {
    const grants = make().adapterFor('Grant');
    await grants.upsert('g', { accountId: 'a', clientId: 'c' }, 60);
    await grants.upsert('g', { accountId: 'a', clientId: 'c', openid: { scope: 'openid' } }, 60);
    expect(await grants.find('g')).toEqual({ accountId: 'a', clientId: 'c', openid: { scope: 'openid' } });
  });

  test('keeps a grant\'s other members when one of them is destroyed or replaced', async () => {
    const storage = make();
    const access = storage.adapterFor('AccessToken');
    await access.upsert('a1', { grantId: 'g1' }, 60);
    await access.upsert('a2', { grantId: 'g1' }, 60);
    await access.destroy('a1');
    expect(await access.find('a1')).toBeUndefined();
    await access.upsert('a2', { grantId: 'g1', scope: 'account:read' }, 60);
    await access.revokeByGrantId('g1');
    expect(await access.find('a2')).toBeUndefined();
    // Entries of models outside grants, and grant-less payloads, are not grant members.
    const grants = storage.adapterFor('Grant');
    await grants.upsert('g1', { grantId: 'g1', accountId: 'a' }, 60);
    await access.upsert('a3', { accountId: 'a' }, 60);
    await access.revokeByGrantId('g1');
    expect(await grants.find('g1')).toEqual({ grantId: 'g1', accountId: 'a' });
    expect(await access.find('a3')).toEqual({ accountId: 'a' });
  });

  test('revokes every model issued under a grant: codes, access and refresh tokens', async () => {
    const storage = make();
    const issued = ['AuthorizationCode', 'AccessToken', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'];
    for (const model of issued) {
      await storage.adapterFor(model).upsert('x', { grantId: 'g' }, 60);
    }
    await storage.adapterFor('AccessToken').revokeByGrantId('g');
    for (const model of issued) {
      expect(await storage.adapterFor(model).find('x')).toBeUndefined();
    }
  });

  test('keeps models apart: the same id under two models is two entries', async () => {
    const storage = make();
    await storage.adapterFor('AccessToken').upsert('same', { kind: 'access' }, 60);
    await storage.adapterFor('Interaction').upsert('same', { kind: 'interaction' }, 60);
    expect(await storage.adapterFor('AccessToken').find('same')).toEqual({ kind: 'access' });
    expect(await storage.adapterFor('Interaction').find('same')).toEqual({ kind: 'interaction' });
  });

  test('finds a session by its uid only, never another model\'s entry, and keeps a uid another session took over', async () => {
    const storage = make();
    const sessions = storage.adapterFor('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
    await sessions.upsert('s2', { uid: 'u1', accountId: 'b' });
    await sessions.destroy('s1');
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'b' });
    expect(await sessions.findByUid('unknown')).toBeUndefined();
    await storage.adapterFor('Interaction').upsert('i1', { uid: 'u2' }, 60);
    expect(await storage.adapterFor('Interaction').findByUid('u2')).toBeUndefined();
    expect(await sessions.findByUserCode('any')).toBeUndefined();
  });

  test('keeps small tables member by member, each write lengthening the table, until it expires', async () => {
    const storage = make();
    expect(await storage.tableRead('apps:a')).toEqual(new Map());
    await storage.tablePut('apps:a', 'grant:1', '{"x":1}', 60);
    await Promise.all([storage.tablePut('apps:a', 'grant:2', 'two', 60), storage.tablePut('apps:a', 'used:1', '5', 60)]);
    await storage.tablePut('apps:b', 'grant:1', 'other', 60);
    expect(await storage.tableRead('apps:a')).toEqual(new Map([['grant:1', '{"x":1}'], ['grant:2', 'two'], ['used:1', '5']]));
    await storage.tablePut('apps:a', 'used:1', '6', 60);
    await storage.tableDelete('apps:a', ['grant:2', 'missing']);
    await storage.tableDelete('apps:a', []);
    expect(await storage.tableRead('apps:a')).toEqual(new Map([['grant:1', '{"x":1}'], ['used:1', '6']]));
    await storage.tableDelete('apps:a', ['grant:1', 'used:1']);
    expect(await storage.tableRead('apps:a')).toEqual(new Map());
    expect(await storage.tableRead('apps:b')).toEqual(new Map([['grant:1', 'other']]));
    await storage.tablePut('apps:c', 'grant:1', 'soon', 1);
    await sleep(1100);
    expect(await storage.tableRead('apps:c')).toEqual(new Map());
  });
});

describe('memory OAuth storage', () => {
  it('sweeps expired entries on its timer, and stops when closed', async () => {
    const storage = new MemoryOAuthStorage(undefined, 50);
    const codes = storage.adapterFor('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g' }, 1);
    await codes.upsert('kept', { grantId: 'g' }, 60);
    expect(storage.size).toBe(2);
    await sleep(1200);
    expect(storage.size).toBe(1);
    await codes.upsert('c2', {}, 1);
    storage.close();
    await sleep(1200);
    expect(storage.size).toBe(2);
    // Read after its expiry, an entry is gone even when no sweep ran.
    expect(await codes.find('c2')).toBeUndefined();
    expect(storage.size).toBe(1);
  });
});

itWhen(haveRedis)('Redis OAuth storage gives each entry, grant and uid the lifetime of what it holds', async () => {
  const { client, drop } = testRedisClient();
  drops.push(drop);
  const storage = new RedisOAuthStorage(client);
  const access = storage.adapterFor('AccessToken');
  await access.upsert('short', { grantId: 'g' }, 60);
  await access.upsert('long', { grantId: 'g' }, 600);
  await access.upsert('shorter', { grantId: 'g' }, 30);
  expect(await client.ttl('oauth:AccessToken:short')).toBeGreaterThan(55);
  expect(await client.ttl('oauth:AccessToken:short')).toBeLessThanOrEqual(60);
  // The grant's set lives as long as its longest member, never shortened by a later, shorter one.
  expect(await client.ttl('oauth:grant:g')).toBeGreaterThan(595);
  await storage.adapterFor('RefreshToken').upsert('forever', { grantId: 'g' });
  expect(await client.ttl('oauth:RefreshToken:forever')).toBe(-1);
  expect(await client.ttl('oauth:grant:g')).toBe(-1);
  const sessions = storage.adapterFor('Session');
  await sessions.upsert('s1', { uid: 'u1' }, 120);
  expect(await client.ttl('oauth:uid:u1')).toBeGreaterThan(115);
  await sessions.upsert('s2', { uid: 'u2' });
  expect(await client.ttl('oauth:uid:u2')).toBe(-1);
  expect(await client.get('oauth:uid:u2')).toBe('s2');
  // `consume` keeps the entry's lifetime.
  await access.consume('short');
  expect(await client.ttl('oauth:AccessToken:short')).toBeGreaterThan(55);
});
