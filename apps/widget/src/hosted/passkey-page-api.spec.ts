import { describe, expect, it, jest } from '@jest/globals';
import { passkeyPageApi, PasskeyPageError } from './passkey-page-api';

type Fetcher = (url: string, init: { method: string; credentials: string; headers?: Record<string, string>; body?: string }) => Promise<unknown>;

const answering = (status: number, body: unknown) =>
  jest.fn<Fetcher>(async () => ({ ok: status < 400, status, json: async () => (body === undefined ? Promise.reject(new Error('not JSON')) : body) }));

describe(passkeyPageApi.name, () => {
  it('asks whether the pass still works, then for options and with the answer, under /auth/passkey and naming no session', async () => {
    const fetcher = answering(200, { ready: true });
    const api = passkeyPageApi(fetcher as unknown as typeof fetch);
    await expect(api.ready()).resolves.toBeUndefined();
    await api.passkeyOptions('ignored');
    await api.passkeySignIn('ignored', { id: 'credential' });
    expect(fetcher.mock.calls.map(([url, init]) => [url, init.method, init.credentials, init.body])).toEqual([
      ['/auth/passkey/state', 'GET', 'same-origin', undefined],
      ['/auth/passkey/options', 'POST', 'same-origin', '{}'],
      ['/auth/passkey', 'POST', 'same-origin', '{"response":{"id":"credential"}}'],
    ]);
  });

  it("turns the server's refusal into an error with its words and status; one without words is a sign-in that is over", async () => {
    const refused = passkeyPageApi(answering(400, { error: 'passkey_refused', message: 'That passkey could not be checked. Try again.' }) as unknown as typeof fetch);
    const error = await refused.passkeySignIn('x', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PasskeyPageError);
    expect(error).toMatchObject({ status: 400, message: 'That passkey could not be checked. Try again.' });
    const wordless = passkeyPageApi(answering(502, undefined) as unknown as typeof fetch);
    await expect(wordless.ready()).rejects.toMatchObject({ status: 502, failure: { error: 'gone', message: 'This passkey sign-in is over or was started elsewhere. Start again from the chat.' } });
  });
});
