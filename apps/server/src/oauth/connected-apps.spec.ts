import { describe, expect, it } from '@jest/globals';
import { ConnectedApps, type GrantRecord } from './connected-apps.js';
import { Consents } from './consents.js';
import { LinkedProfiles } from './linked-profiles.js';
import { MemoryOAuthStorage } from './oauth-storage.js';

const ACCOUNT = 'acct-1';

/** The memory store's table names (private: the keys are what this spec checks). */
const tableNames = (storage: MemoryOAuthStorage): string[] => [...(storage as unknown as { tables: Map<string, unknown> }).tables.keys()];

function setup() {
  const storage = new MemoryOAuthStorage();
  const consents = new Consents(storage);
  const profiles = new LinkedProfiles(storage);
  const sut = new ConnectedApps(storage, consents, profiles);
  /** A grant as consent makes it: the grant itself, an access token under it, the consent and the profile, recorded. */
  const linked = async (record: Partial<GrantRecord> & { grantId: string; clientId: string }, accountId = ACCOUNT) => {
    const grant: GrantRecord = {
      redirectUri: 'https://chatgpt.com/connector/oauth/cb',
      client: { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' },
      scopes: ['account:read'],
      linkedAt: 1000,
      ...record,
    };
    await storage.adapterFor('Grant').upsert(grant.grantId, { accountId, clientId: grant.clientId }, 3600);
    await storage.adapterFor('AccessToken').upsert(`at-${grant.grantId}`, { grantId: grant.grantId }, 3600);
    await consents.remember({ accountId, clientId: grant.clientId, redirectUri: grant.redirectUri }, grant.grantId);
    await profiles.remember(accountId, grant.clientId, 'Sam');
    await sut.remember(accountId, grant);
    return grant;
  };
  return { storage, consents, profiles, sut, linked };
}

describe(ConnectedApps.name, () => {
  it('lists each app once, the most recently linked first, with what its grants allow and when it was last used', async () => {
    const { sut, linked } = setup();
    await linked({ grantId: 'g1', clientId: 'chatgpt', linkedAt: 1000 });
    await linked({ grantId: 'g2', clientId: 'claude', client: { name: 'Claude', verified: true, redirectHost: 'claude.ai' }, linkedAt: 2000, scopes: ['openid', 'account:read', 'custom:scope'] });
    // The same app again for another redirect URI: one entry, named as the newest grant names it.
    await linked({ grantId: 'g3', clientId: 'chatgpt', redirectUri: 'https://chatgpt.com/connector/oauth/other', client: { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com:443' }, linkedAt: 3000 });
    await linked({ grantId: 'g4', clientId: 'elsewhere' }, 'acct-2');
    // Recorded out of order (a store gives no order): the newest grant still names the app.
    await linked({ grantId: 'g0', clientId: 'chatgpt', client: { name: 'Old name', verified: false, redirectHost: 'old.example' }, linkedAt: 500 });
    await sut.used(ACCOUNT, 'g1', 5000);
    await sut.used(ACCOUNT, 'g3', 4000);
    expect(await sut.list(ACCOUNT)).toEqual([
      { clientId: 'chatgpt', client: { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com:443' }, access: ['See your name and e-mail address'], linkedAt: 3000, lastUsedAt: 5000 },
      { clientId: 'claude', client: { name: 'Claude', verified: true, redirectHost: 'claude.ai' }, access: ['See your name and e-mail address', 'custom:scope'], linkedAt: 2000, lastUsedAt: null },
    ]);
    expect(await sut.list('acct-3')).toEqual([]);
  });

  it('forgets grants that no longer exist (expired, or lost with the store) and entries it cannot read', async () => {
    const { storage, sut, linked } = setup();
    await linked({ grantId: 'g1', clientId: 'kept' });
    await linked({ grantId: 'g2', clientId: 'gone' });
    await sut.used(ACCOUNT, 'g2', 5000);
    await storage.adapterFor('Grant').destroy('g2');
    const [name] = tableNames(storage);
    expect([...(await storage.tableRead(name!)).keys()].sort()).toEqual(['grant:g1', 'grant:g2', 'used:g2']);
    await storage.tablePut(name!, 'grant:broken', 'not json', 60);
    await storage.tablePut(name!, 'grant:partial', '{"grantId":"g9"}', 60);
    // A record without its app, even for a grant that exists, names nothing.
    await storage.tablePut(name!, 'grant:odd', '{"grantId":"g1"}', 60);
    await storage.tablePut(name!, 'grant:null', 'null', 60);
    expect((await sut.list(ACCOUNT)).map((app) => app.clientId)).toEqual(['kept']);
    expect([...(await storage.tableRead(name!)).keys()]).toEqual(['grant:g1']);
  });

  it('keeps the table under a key that names no account', async () => {
    const { storage, linked } = setup();
    await linked({ grantId: 'g1', clientId: 'chatgpt' });
    const names = tableNames(storage);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^apps:[A-Za-z0-9_-]{43}$/);
    expect(names[0]).not.toContain(ACCOUNT);
  });

  it('revoke ends every grant of the app for this account: its tokens, the grant, the consent, the profile and the entries', async () => {
    const { storage, consents, profiles, sut, linked } = setup();
    const first = await linked({ grantId: 'g1', clientId: 'chatgpt' });
    const second = await linked({ grantId: 'g2', clientId: 'chatgpt', redirectUri: 'https://chatgpt.com/connector/oauth/two' });
    await linked({ grantId: 'g3', clientId: 'claude' });
    await linked({ grantId: 'g4', clientId: 'chatgpt' }, 'acct-2');
    await sut.used(ACCOUNT, 'g1', 5000);

    expect(await sut.revoke(ACCOUNT, 'chatgpt')).toBe(true);
    // The app's entries go with it (before any listing tidies the table).
    const left = await Promise.all(tableNames(storage).map((name) => storage.tableRead(name)));
    expect(left.flatMap((table) => [...table.keys()]).sort()).toEqual(['grant:g3', 'grant:g4']);
    for (const grantId of ['g1', 'g2']) {
      expect(await storage.adapterFor('Grant').find(grantId)).toBeUndefined();
      expect(await storage.adapterFor('AccessToken').find(`at-${grantId}`)).toBeUndefined();
    }
    for (const grant of [first, second]) expect(await consents.find({ accountId: ACCOUNT, clientId: 'chatgpt', redirectUri: grant.redirectUri })).toBeUndefined();
    expect(await profiles.find(ACCOUNT, 'chatgpt')).toBeNull();
    expect((await sut.list(ACCOUNT)).map((app) => app.clientId)).toEqual(['claude']);
    const mine = await Promise.all(tableNames(storage).map((name) => storage.tableRead(name)));
    expect(mine.flatMap((table) => [...table.keys()]).sort()).toEqual(['grant:g3', 'grant:g4']);

    // The other app, and the same app for another account, go on.
    expect(await storage.adapterFor('AccessToken').find('at-g3')).toBeDefined();
    expect(await storage.adapterFor('AccessToken').find('at-g4')).toBeDefined();
    expect(await consents.find({ accountId: 'acct-2', clientId: 'chatgpt', redirectUri: first.redirectUri })).toBe('g4');
    expect(await profiles.find('acct-2', 'chatgpt')).toBe('Sam');

    expect(await sut.revoke(ACCOUNT, 'chatgpt')).toBe(false);
    expect(await sut.revoke(ACCOUNT, 'never-linked')).toBe(false);
  });
});
