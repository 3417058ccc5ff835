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
    const keys = [...(storage as unknown as { entries: Map<string, unknown> }).entries.keys()];
    expect(keys).toHaveLength(2);
    expect(keys.join(' ')).not.toMatch(/acct-1|app-a/);
    storage.close();
  });
});
