import { describe, expect, it } from '@jest/globals';
import { redirectUriProblem } from './redirect-uris.js';

describe(redirectUriProblem.name, () => {
  it.each([
    'https://app.example/cb',
    'https://app.example:8443/oauth/callback?x=1',
    'http://127.0.0.1/cb',
    'http://127.0.0.1:53682/cb',
    'http://[::1]:8080/cb',
    'http://localhost:3000/callback',
    'com.example.app:/oauth2redirect',
    'com.example.app:/cb',
  ])('allows %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ['http://evil.example/cb', 'may use http only for a loopback host'],
    ['http://127.0.0.2/cb', 'may use http only for a loopback host'],
    ['http://localhost.evil.example/cb', 'may use http only for a loopback host'],
    ['https://*.example.com/cb', 'must not contain wildcards'],
    ['https://app.example/*', 'must not contain wildcards'],
    ['https://app.example/cb#frag', 'must not contain fragments'],
    ['https://user:pw@app.example/cb', 'must not contain user information'],
    ['https://user@app.example/cb', 'must not contain user information'],
    ['https://:pw@app.example/cb', 'must not contain user information'],
    ['myapp:/cb', 'must be https, http on loopback'],
    ['javascript:alert(1)', 'must be https, http on loopback'],
    ['data:text/html,x', 'must be https, http on loopback'],
    ['file:///etc/passwd', 'must be https, http on loopback'],
    ['/relative/cb', 'must be absolute URIs'],
  ])('refuses %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toMatch(new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['https://a.example/cb']]) expect(redirectUriProblem(value)).toBe('must be strings');
  });
});
