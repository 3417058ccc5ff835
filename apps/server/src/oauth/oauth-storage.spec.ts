/** The OAuth state contract (oidc-provider's adapter), run against memory and against Redis (the project's server). */
import { afterAll, describe, expect } from '@jest/globals';
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
    const tokens = make(1).adapterFor('RefreshToken');
    await tokens.upsert('r1', { accountId: 'a', grantId: 'g' }, 60);
    await tokens.consume('r1');
    expect((await tokens.find('r1'))?.consumed).toBeUndefined();
    await sleep(2100);
    expect((await tokens.find('r1'))?.consumed).toEqual(expect.any(Number));
    // Other models have no grace.
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
});
