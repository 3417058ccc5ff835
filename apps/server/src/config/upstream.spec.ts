import { describe, expect, it } from '@jest/globals';
import { configRefusal } from '../testing/config.js';
import { loadConfig } from './app-config.js';

const refusal = configRefusal;

describe('upstream providers in the configuration', () => {
  it('has none unless configured, and signs up by default', () => {
    expect(loadConfig({}).upstream).toEqual({ providers: [], signup: true });
    expect(loadConfig({ UPSTREAM_SIGNUP: 'false' }).upstream.signup).toBe(false);
  });

  it('builds Google, Microsoft and OIDC_PROVIDERS in button order, asking openid, email and profile of each', () => {
    const { providers } = loadConfig({
      OIDC_PROVIDERS: JSON.stringify([{ id: 'okta', name: 'Okta', issuer: 'https://example.okta.com/', clientId: 'o-id', clientSecret: 'o-secret', scopes: ['groups', 'email'] }]),
      MICROSOFT_CLIENT_ID: 'm-id',
      MICROSOFT_CLIENT_SECRET: 'm-secret',
      GOOGLE_CLIENT_ID: 'g-id',
      GOOGLE_CLIENT_SECRET: 'g-secret',
      GOOGLE_HOSTED_DOMAIN: 'Example.COM',
    }).upstream;
    expect(providers).toEqual([
      { id: 'google', name: 'Google', kind: 'google', issuer: 'https://accounts.google.com', clientId: 'g-id', clientSecret: 'g-secret', scopes: ['openid', 'email', 'profile'], hostedDomain: 'example.com' },
      {
        id: 'microsoft',
        name: 'Microsoft',
        kind: 'microsoft',
        issuer: 'https://login.microsoftonline.com/common/v2.0',
        clientId: 'm-id',
        clientSecret: 'm-secret',
        scopes: ['openid', 'email', 'profile'],
        tenant: 'common',
      },
      { id: 'okta', name: 'Okta', kind: 'oidc', issuer: 'https://example.okta.com', clientId: 'o-id', clientSecret: 'o-secret', scopes: ['openid', 'email', 'profile', 'groups'] },
    ]);
  });

  it('takes a Microsoft tenant into the issuer, and an issuer override (http only on loopback) for tests', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const pair = { MICROSOFT_CLIENT_ID: 'm', MICROSOFT_CLIENT_SECRET: 's' };
    expect(loadConfig({ ...pair, MICROSOFT_TENANT: tenant }).upstream.providers[0]).toMatchObject({ issuer: `https://login.microsoftonline.com/${tenant}/v2.0`, tenant });
    expect(loadConfig({ ...pair, MICROSOFT_TENANT: 'Consumers' }).upstream.providers[0]).toMatchObject({ tenant: 'consumers' });
    expect(loadConfig({ ...pair, MICROSOFT_ISSUER: 'http://127.0.0.1:4000/common/v2.0' }).upstream.providers[0]!.issuer).toBe('http://127.0.0.1:4000/common/v2.0');
    expect(refusal({ ...pair, MICROSOFT_ISSUER: 'http://idp.example/common/v2.0' })).toContain('MICROSOFT_ISSUER must be an https:// issuer URL (http:// only on a loopback address)');
    expect(refusal({ ...pair, MICROSOFT_TENANT: 'contoso' })).toContain('MICROSOFT_TENANT must be common, organizations, consumers or a tenant id (a GUID), got "contoso"');
    expect(refusal({ ...pair, GOOGLE_ISSUER: 'https://accounts.google.com?x=1' })).toContain('GOOGLE_ISSUER must be');
  });

  it('says which half of a client is missing, and never repeats a secret', () => {
    expect(refusal({ GOOGLE_CLIENT_ID: 'g-id' })).toContain('GOOGLE_CLIENT_SECRET must be set with GOOGLE_CLIENT_ID');
    const message = refusal({ MICROSOFT_CLIENT_SECRET: 'top-secret-value' });
    expect(message).toContain('MICROSOFT_CLIENT_ID must be set with MICROSOFT_CLIENT_SECRET');
    expect(message).not.toContain('top-secret-value');
    expect(refusal({ GOOGLE_HOSTED_DOMAIN: 'example.com' })).toContain('GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set for the other GOOGLE_ settings to apply');
    expect(refusal({ MICROSOFT_ISSUER: 'https://login.example/v2.0' })).toContain('MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET must be set for MICROSOFT_ISSUER to apply');
  });

  it('refuses OIDC_PROVIDERS that are not JSON, reuse an id, take a built-in id or lack an issuer, without repeating the value', () => {
    const provider = { id: 'okta', name: 'Okta', issuer: 'https://example.okta.com', clientId: 'c', clientSecret: 'secret-in-json' };
    for (const value of [
      'nope',
      JSON.stringify([provider, provider]),
      JSON.stringify([{ ...provider, id: 'google' }]),
      JSON.stringify([{ ...provider, id: 'demo' }]),
      JSON.stringify([{ ...provider, id: 'passkey' }]),
      JSON.stringify([{ ...provider, id: 'Has Spaces' }]),
      JSON.stringify([{ ...provider, issuer: undefined }]),
      JSON.stringify([{ ...provider, issuer: 'http://idp.example' }]),
      JSON.stringify([{ ...provider, extra: true }]),
      JSON.stringify(provider),
    ]) {
      const message = refusal({ OIDC_PROVIDERS: value });
      expect(message).toContain('OIDC_PROVIDERS must be a JSON array of');
      expect(message).not.toContain('secret-in-json');
    }
  });
});
