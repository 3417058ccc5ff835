import { describe, expect, it, jest } from '@jest/globals';
import { accountApi, AccountApiError } from './account-api';

type Fetcher = (url: string, init: { method: string; credentials: string; headers?: Record<string, string>; body?: string }) => Promise<unknown>;

const answering = (status: number, body: unknown) =>
  jest.fn<Fetcher>(async () => ({ ok: status < 400, status, json: async () => (body === undefined ? Promise.reject(new Error('not JSON')) : body) }));

describe(accountApi.name, () => {
  it('reads the status and the apps with GETs under /account/api, same-origin credentials', async () => {
    const fetcher = answering(200, { signedIn: false, apps: [{ clientId: 'a' }], identities: [{ subject: 's' }], profiles: ['Sam'] });
    const api = accountApi(undefined, fetcher as unknown as typeof fetch);
    expect(await api.status()).toEqual({ signedIn: false, apps: [{ clientId: 'a' }], identities: [{ subject: 's' }], profiles: ['Sam'] });
    expect(await api.apps()).toEqual([{ clientId: 'a' }]);
    expect(await api.identities()).toEqual([{ subject: 's' }]);
    expect(await api.profiles()).toEqual(['Sam']);
    expect(await api.addProfile('Kim')).toEqual(['Sam']);
    expect(fetcher.mock.calls).toEqual([
      ['/account/api/status', { method: 'GET', credentials: 'same-origin' }],
      ['/account/api/apps', { method: 'GET', credentials: 'same-origin' }],
      ['/account/api/identities', { method: 'GET', credentials: 'same-origin' }],
      ['/account/api/profiles', { method: 'GET', credentials: 'same-origin' }],
      ['/account/api/profiles', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{"name":"Kim"}' }],
    ]);
  });

  it('posts JSON for every change', async () => {
    const fetcher = answering(200, { sessionId: 'sess_1', apps: [], signedIn: false });
    const api = accountApi('/base', fetcher as unknown as typeof fetch);
    expect(await api.openSession()).toMatchObject({ sessionId: 'sess_1' });
    await api.upstream('sess_1', 'demo id');
    await api.resume('sess_1');
    await api.login('sess_1');
    expect(await api.revoke('chatgpt')).toEqual([]);
    await api.changePassword('old', 'new');
    await api.beginAuthenticator();
    await api.confirmAuthenticator('123456');
    await api.removeAuthenticator('654321');
    expect(await api.unlink({ issuer: 'https://issuer.example', subject: 's-1' })).toBeUndefined();
    expect(await api.signOut()).toBeUndefined();
    expect(await api.signOutEverywhere()).toBeUndefined();
    expect(fetcher.mock.calls.map(([url, init]) => [url, init.method, init.headers?.['content-type'], init.body])).toEqual([
      ['/base/session', 'POST', 'application/json', '{}'],
      ['/base/upstream/demo%20id', 'POST', 'application/json', '{"sessionId":"sess_1"}'],
      ['/api/session/open', 'POST', 'application/json', '{"sessionId":"sess_1"}'],
      ['/base/login', 'POST', 'application/json', '{"sessionId":"sess_1"}'],
      ['/base/apps/revoke', 'POST', 'application/json', '{"clientId":"chatgpt"}'],
      ['/base/password', 'POST', 'application/json', '{"current":"old","password":"new"}'],
      ['/base/authenticator/setup', 'POST', 'application/json', '{}'],
      ['/base/authenticator/confirm', 'POST', 'application/json', '{"code":"123456"}'],
      ['/base/authenticator/remove', 'POST', 'application/json', '{"code":"654321"}'],
      ['/base/identities/unlink', 'POST', 'application/json', '{"issuer":"https://issuer.example","subject":"s-1"}'],
      ['/base/sign-out', 'POST', 'application/json', '{}'],
      ['/base/sign-out-everywhere', 'POST', 'application/json', '{}'],
    ]);
  });

  it("turns the server's refusal into an error with its words; a refusal without them, or no answer, into ours", async () => {
    const refused = await accountApi(undefined, answering(403, { error: 'recent_sign_in_required', message: 'Sign in again.' }) as unknown as typeof fetch)
      .signOutEverywhere()
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(AccountApiError);
    expect(refused).toMatchObject({ status: 403, failure: { error: 'recent_sign_in_required', message: 'Sign in again.' }, message: 'Sign in again.' });
    for (const body of [undefined, { error: 1, message: 'x' }, { error: 'x' }, null]) {
      await expect(accountApi(undefined, answering(500, body) as unknown as typeof fetch).status()).rejects.toMatchObject({
        status: 500,
        failure: { error: 'invalid_request', message: 'Something went wrong. Reload the page and try again.' },
      });
    }
    await expect(accountApi(undefined, async () => Promise.reject(new TypeError('offline'))).apps()).rejects.toMatchObject({ status: 0, message: expect.stringContaining("couldn't reach Target") });
  });
});
