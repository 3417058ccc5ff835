import { describe, expect, it } from '@jest/globals';
import { errorPage, rememberConsent, rememberedConsent } from './oauth-provider.js';
import { MemoryOAuthStorage } from './oauth-storage.js';

describe(errorPage.name, () => {
  it('shows the reason as text, never as markup', () => {
    const page = errorPage(`<script>alert("x")</script> & 'more'`);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('This sign-in link does not work');
  });
});

describe('remembered consent', () => {
  const consent = { accountId: 'acct-1', clientId: 'client-1', redirectUri: 'https://app.example/cb' };

  it('is kept per account, client and redirect URI', async () => {
    const storage = new MemoryOAuthStorage();
    await rememberConsent(storage, consent, 'grant-1');
    expect(await rememberedConsent(storage, consent)).toBe('grant-1');
    expect(await rememberedConsent(storage, { ...consent, clientId: 'client-2' })).toBeUndefined();
    expect(await rememberedConsent(storage, { ...consent, accountId: 'acct-2' })).toBeUndefined();
    expect(await rememberedConsent(storage, { ...consent, redirectUri: 'https://evil.example/cb' })).toBeUndefined();
    storage.close();
  });

  it('cannot be forged by moving text between the ids', async () => {
    const storage = new MemoryOAuthStorage();
    await rememberConsent(storage, { accountId: 'a', clientId: 'b\nc', redirectUri: 'd' }, 'grant-x');
    expect(await rememberedConsent(storage, { accountId: 'a\nb', clientId: 'c', redirectUri: 'd' })).toBeUndefined();
    expect(await rememberedConsent(storage, { accountId: 'a', clientId: 'b', redirectUri: 'c\nd' })).toBeUndefined();
    storage.close();
  });
});
