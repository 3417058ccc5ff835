import { describe, expect, it } from '@jest/globals';
import { canonicalJson, errorPage, rememberConsent, rememberedConsent } from './oauth-provider.js';
import { MemoryOAuthStorage } from './oauth-storage.js';

describe(canonicalJson.name, () => {
  it('writes equal metadata equally whatever the key order, at every level', () => {
    const a = { redirect_uris: ['https://a.example/cb'], client_name: 'A', jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519' }] } };
    const b = { jwks: { keys: [{ crv: 'Ed25519', kty: 'OKP' }] }, client_name: 'A', redirect_uris: ['https://a.example/cb'] };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"client_name":"A","jwks":{"keys":[{"crv":"Ed25519","kty":"OKP"}]},"redirect_uris":["https://a.example/cb"]}');
  });

  it('keeps array order and tells values apart', () => {
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
    expect(canonicalJson('x"y')).toBe(JSON.stringify('x"y'));
  });
});

describe(errorPage.name, () => {
  it('shows the reason as text, never as markup', () => {
    const page = errorPage(`<script>alert("x")</script> & 'more'`);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('This sign-in link does not work');
  });
});

describe('remembered consent', () => {
  it('is kept per account and client', async () => {
    const storage = new MemoryOAuthStorage();
    await rememberConsent(storage, 'acct-1', 'client-1', 'grant-1');
    expect(await rememberedConsent(storage, 'acct-1', 'client-1')).toBe('grant-1');
    expect(await rememberedConsent(storage, 'acct-1', 'client-2')).toBeUndefined();
    expect(await rememberedConsent(storage, 'acct-2', 'client-1')).toBeUndefined();
    // The key cannot be forged by moving text between the two ids.
    await rememberConsent(storage, 'a', 'b\nc', 'grant-x');
    expect(await rememberedConsent(storage, 'a\nb', 'c')).toBeUndefined();
  });
});
