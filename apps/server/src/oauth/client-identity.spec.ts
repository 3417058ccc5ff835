import { describe, expect, it } from '@jest/globals';
import { clientIdentity } from './client-identity.js';

describe(clientIdentity.name, () => {
  it("names ChatGPT and Claude only for their documented callbacks, whatever the app says it is", () => {
    const chatgpt = { clientId: 'dcr_x', registeredName: 'Anything' };
    expect(clientIdentity({ ...chatgpt, redirectUri: 'https://chatgpt.com/connector/oauth/abc_123' })).toEqual({ name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' });
    expect(clientIdentity({ ...chatgpt, redirectUri: 'https://chatgpt.com/connector_platform_oauth_redirect' })).toMatchObject({ name: 'ChatGPT' });
    expect(clientIdentity({ ...chatgpt, redirectUri: 'https://claude.ai/api/mcp/auth_callback' })).toEqual({ name: 'Claude', verified: true, redirectHost: 'claude.ai' });
    for (const elsewhere of [
      'https://chatgpt.com.evil.example/connector/oauth/abc',
      'https://chatgpt.com/connector/oauth/abc/../../steal',
      'https://chatgpt.com/other',
      'https://chatgpt.com/connector/oauth/abc?next=https://evil.example',
      'https://claude.ai/api/mcp/auth_callback/extra',
      'http://claude.ai/api/mcp/auth_callback',
    ]) {
      expect(clientIdentity({ clientId: 'dcr_x', registeredName: 'ChatGPT', redirectUri: elsewhere })).toMatchObject({ name: 'ChatGPT', verified: false });
    }
  });

  it('names a metadata-document client by the host that serves its document', () => {
    expect(clientIdentity({ clientId: 'https://app.example.com/oauth/client.json', registeredName: 'ChatGPT', redirectUri: 'https://evil.example/steal' })).toEqual({
      name: 'app.example.com',
      verified: true,
      redirectHost: 'evil.example',
    });
  });

  it("marks a registered client's own name unverified, and names one without a name 'An app'", () => {
    expect(clientIdentity({ clientId: 'dcr_x', registeredName: 'ChatGPT', redirectUri: 'https://evil.example/steal' })).toEqual({ name: 'ChatGPT', verified: false, redirectHost: 'evil.example' });
    expect(clientIdentity({ clientId: 'dcr_x', registeredName: '   ', redirectUri: 'http://127.0.0.1:8123/cb' })).toEqual({ name: 'An app', verified: false, redirectHost: '127.0.0.1:8123' });
    expect(clientIdentity({ clientId: 'dcr_x', redirectUri: 'com.example.app:/callback' })).toEqual({ name: 'An app', verified: false, redirectHost: 'com.example.app' });
  });
});
