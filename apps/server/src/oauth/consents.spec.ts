import { describe, expect, it } from '@jest/globals';
import { Consents } from './consents.js';
import { MemoryOAuthStorage } from './oauth-storage.js';

describe(Consents.name, () => {
  const consent = { accountId: 'acct-1', clientId: 'client-1', redirectUri: 'https://app.example/cb' };

  it('keeps a consent per account, client and redirect URI, for a year, under a key that names none of them', async () => {
    const storage = new MemoryOAuthStorage();
    const sut = new Consents(storage);
    await sut.remember(consent, 'grant-1');
    expect(await sut.find(consent)).toBe('grant-1');
    expect(await sut.find({ ...consent, clientId: 'client-2' })).toBeUndefined();
    expect(await sut.find({ ...consent, accountId: 'acct-2' })).toBeUndefined();
    expect(await sut.find({ ...consent, redirectUri: 'https://evil.example/cb' })).toBeUndefined();
    const entries = (storage as unknown as { entries: Map<string, { expiresAt: number }> }).entries;
    expect([...entries.keys()]).toEqual([expect.stringMatching(/^Consent:[A-Za-z0-9_-]{43}$/)]);
    expect([...entries.keys()].join(' ')).not.toMatch(/acct-1|client-1|app\.example/);
    const [entry] = [...entries.values()];
    expect(entry!.expiresAt - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
    expect(entry!.expiresAt - Date.now()).toBeLessThanOrEqual(365 * 24 * 3600 * 1000);
    storage.close();
  });

  it('cannot be forged by moving text between the ids', async () => {
    const storage = new MemoryOAuthStorage();
    const sut = new Consents(storage);
    await sut.remember({ accountId: 'a', clientId: 'b\nc', redirectUri: 'd' }, 'grant-x');
    expect(await sut.find({ accountId: 'a\nb', clientId: 'c', redirectUri: 'd' })).toBeUndefined();
    expect(await sut.find({ accountId: 'a', clientId: 'b', redirectUri: 'c\nd' })).toBeUndefined();
    storage.close();
  });
});
