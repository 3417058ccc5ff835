import { describe, expect, it } from '@jest/globals';
import { LinkedProfiles } from './linked-profiles.js';
import { MemoryOAuthStorage } from './oauth-storage.js';

describe(LinkedProfiles.name, () => {
  it('remembers the profile per account and app, for a year, under a key that names neither', async () => {
    const storage = new MemoryOAuthStorage();
    const sut = new LinkedProfiles(storage);
    await sut.remember('acct-1', 'app-a', 'Sam');
    await sut.remember('acct-1', 'app-b', null);
    expect(await sut.find('acct-1', 'app-a')).toBe('Sam');
    expect(await sut.find('acct-1', 'app-b')).toBeNull();
    expect(await sut.find('acct-2', 'app-a')).toBeNull();
    // ["acct-1","app-a"] and ["acct-1a","pp-a"] are different pairs: no shared entry.
    expect(await sut.find('acct-1a', 'pp-a')).toBeNull();
    const entries = (storage as unknown as { entries: Map<string, { expiresAt: number }> }).entries;
    const keys = [...entries.keys()];
    expect(keys).toHaveLength(2);
    // Its own model, apart from oidc-provider's and consents'; a SHA-256 that names neither id.
    for (const key of keys) expect(key).toMatch(/^LinkedProfile:[A-Za-z0-9_-]{43}$/);
    expect(keys.join(' ')).not.toMatch(/acct-1|app-a/);
    for (const { expiresAt } of entries.values()) {
      expect(expiresAt - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(365 * 24 * 3600 * 1000);
    }
    storage.close();
  });
});
