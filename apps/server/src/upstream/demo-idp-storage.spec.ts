import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { DemoIdpStorage } from './demo-idp-storage.js';

const NOW = Date.UTC(2026, 11, 5, 12);

afterEach(() => {
  jest.restoreAllMocks();
});

const at = (time: number) => jest.spyOn(Date, 'now').mockReturnValue(time);

describe(DemoIdpStorage.name, () => {
  it('keeps an entry per model until its lifetime ends, and one without a lifetime for good', async () => {
    at(NOW);
    const storage = new DemoIdpStorage();
    const codes = storage.adapterFor('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await storage.adapterFor('Client').upsert('c1', { client_id: 'c1' }, undefined);
    expect(await codes.find('c1')).toEqual({ grantId: 'g1' });
    expect(await storage.adapterFor('Session').find('c1')).toBeUndefined();
    at(NOW + 59_999);
    expect(await codes.find('c1')).toEqual({ grantId: 'g1' });
    at(NOW + 60_000);
    expect(await codes.find('c1')).toBeUndefined();
    // Read after its end, an entry is gone.
    expect(storage.size).toBe(1);
    at(NOW + 1e12);
    expect(await storage.adapterFor('Client').find('c1')).toEqual({ client_id: 'c1' });
  });

  it('finds a session by uid within its model, marks a consumed code with the second, destroys and revokes by grant', async () => {
    at(NOW + 1500);
    const storage = new DemoIdpStorage();
    const sessions = storage.adapterFor('Session');
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    await storage.adapterFor('Interaction').upsert('i1', { uid: 'u2' }, 60);
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1' });
    expect(await sessions.findByUid('u2')).toBeUndefined();
    expect(await sessions.findByUserCode('any')).toBeUndefined();

    const codes = storage.adapterFor('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await codes.consume('c1');
    await codes.consume('missing');
    expect(await codes.find('c1')).toEqual({ grantId: 'g1', consumed: Math.floor((NOW + 1500) / 1000) });
    expect(await codes.find('missing')).toBeUndefined();

    await storage.adapterFor('AccessToken').upsert('a1', { grantId: 'g1' }, 60);
    await storage.adapterFor('AccessToken').upsert('a2', { grantId: 'g2' }, 60);
    await storage.adapterFor('Grant').revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await storage.adapterFor('AccessToken').find('a1')).toBeUndefined();
    expect(await storage.adapterFor('AccessToken').find('a2')).toEqual({ grantId: 'g2' });
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
    expect(storage.size).toBe(2);
  });

  it('holds at most its limit, forgetting the oldest write first', async () => {
    at(NOW);
    const storage = new DemoIdpStorage(2);
    const grants = storage.adapterFor('Grant');
    await grants.upsert('g1', { n: 1 }, 60);
    await grants.upsert('g2', { n: 2 }, 60);
    expect(storage.size).toBe(2);
    // Writing g1 again makes it the newest.
    await grants.upsert('g1', { n: 3 }, 60);
    await grants.upsert('g3', { n: 4 }, 60);
    expect(storage.size).toBe(2);
    expect(await grants.find('g2')).toBeUndefined();
    expect(await grants.find('g1')).toEqual({ n: 3 });
    expect(await grants.find('g3')).toEqual({ n: 4 });
  });
});
