import { describe, expect, it } from '@jest/globals';
import { ClientSecrets } from './client-secrets.js';
import { MemoryOAuthStorage } from './oauth-storage.js';

describe(ClientSecrets.name, () => {
  const sut = new ClientSecrets(Buffer.alloc(32, 7));

  it('stores a client only with the hash of its secret, and matches the secret against it', async () => {
    const storage = new MemoryOAuthStorage();
    const clients = sut.adapters(storage.adapterFor)('Client');
    await clients.upsert('dcr_1', { client_id: 'dcr_1', client_secret: 'the-secret' }, 0);
    const stored = (await clients.find('dcr_1'))!;
    expect(stored['client_secret']).toMatch(/^hmac-sha256:[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(stored)).not.toContain('the-secret');
    expect(sut.matches(stored['client_secret'] as string, 'the-secret')).toBe(true);
    expect(sut.matches(stored['client_secret'] as string, 'another')).toBe(false);
    // Stored again (oidc-provider re-saving the client): the hash is not hashed twice.
    await clients.upsert('dcr_1', stored, 0);
    expect((await clients.find('dcr_1'))!['client_secret']).toBe(stored['client_secret']);
    storage.close();
  });

  it('never matches a secret stored in plain text (an earlier release), another key, or nothing', () => {
    expect(sut.matches('the-secret', 'the-secret')).toBe(false);
    expect(new ClientSecrets(Buffer.alloc(32, 8)).matches(sut.hash('the-secret'), 'the-secret')).toBe(false);
    expect(sut.matches(undefined, 'the-secret')).toBe(false);
    expect(sut.matches(sut.hash('x'), 42 as unknown as string)).toBe(false);
  });

  it('leaves the other models as they are', async () => {
    const storage = new MemoryOAuthStorage();
    const codes = sut.adapters(storage.adapterFor)('AuthorizationCode');
    await codes.upsert('c', { client_secret: 'not-a-client' }, 60);
    expect(await codes.find('c')).toEqual({ client_secret: 'not-a-client' });
    storage.close();
  });
});
