import { describe, expect, it, jest } from '@jest/globals';
import { INTERACTION_EXPIRED_MESSAGE } from '@target-auth/shared/linking';
import { interactionApi, InteractionApiError } from './interaction-api';

type Fetcher = (url: string, init: { method: string; credentials: string; headers?: Record<string, string>; body?: string }) => Promise<unknown>;

const answering = (status: number, body: unknown) =>
  jest.fn<Fetcher>(async () => ({ ok: status < 400, status, json: async () => (body === undefined ? Promise.reject(new Error('not JSON')) : body) }));

describe(interactionApi.name, () => {
  it('reads details with a GET under the interaction path, same-origin credentials', async () => {
    const fetcher = answering(200, { prompt: 'login', client: { name: 'ChatGPT' } });
    const api = interactionApi('/interaction/abc', fetcher as unknown as typeof fetch);
    expect(await api.details()).toEqual({ prompt: 'login', client: { name: 'ChatGPT' } });
    expect(fetcher).toHaveBeenCalledWith('/interaction/abc/details', { method: 'GET', credentials: 'same-origin' });
  });

  it('posts JSON: the session id to login, an empty object to consent', async () => {
    const fetcher = answering(200, { redirectTo: '/authorize/x' });
    const api = interactionApi('/interaction/abc', fetcher as unknown as typeof fetch);
    expect(await api.login('sess_1')).toEqual({ redirectTo: '/authorize/x' });
    await api.consent();
    expect(fetcher.mock.calls.map(([url, init]) => [url, init.method, init.headers?.['content-type'], init.body])).toEqual([
      ['/interaction/abc/login', 'POST', 'application/json', '{"sessionId":"sess_1"}'],
      ['/interaction/abc/consent', 'POST', 'application/json', '{}'],
    ]);
  });

  it("turns the server's refusal into an error carrying its words and status", async () => {
    const api = interactionApi('/interaction/abc', answering(401, { error: 'not_signed_in', message: 'Sign in first.' }) as unknown as typeof fetch);
    const error = await api.login('sess_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InteractionApiError);
    expect(error).toMatchObject({ status: 401, failure: { error: 'not_signed_in', message: 'Sign in first.' } });
  });

  it('reads a refusal without a usable body as an expired link', async () => {
    const api = interactionApi('/interaction/abc', answering(500, undefined) as unknown as typeof fetch);
    await expect(api.details()).rejects.toMatchObject({ status: 500, failure: { error: 'interaction_expired', message: INTERACTION_EXPIRED_MESSAGE } });
  });

  it('says the network failed when nothing answers', async () => {
    const api = interactionApi('/interaction/abc', async () => Promise.reject(new TypeError('offline')));
    await expect(api.openSession()).rejects.toMatchObject({ status: 0, message: expect.stringContaining("couldn't reach Target") });
  });
});
