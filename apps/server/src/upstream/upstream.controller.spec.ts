import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { StepError } from '../session/step-error.js';
import { UpstreamFailed, type UpstreamFinished } from '../session/upstream.step.js';
import { testConfig } from '../testing/fakes.js';
import { UpstreamError } from './relying-party.js';
import { chatEnding, pageOf, UpstreamController } from './upstream.controller.js';
import type { UpstreamSignIn } from './upstream-sign-in.js';

/** What the controller wrote: status, headers and body. */
function response() {
  const written: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
  const res = {
    setHeader: (name: string, value: string) => void (written.headers[name.toLowerCase()] = value),
    writeHead(status: number, headers: Record<string, string> = {}) {
      written.status = status;
      for (const [name, value] of Object.entries(headers)) written.headers[name.toLowerCase()] = value;
      return { end: (body?: string) => void (written.body = body) };
    },
  };
  return { res: res as unknown as Response, written };
}

const request = (cookie?: string) => ({ originalUrl: '/auth/callback/google?code=c&state=s', headers: cookie ? { cookie } : {} }) as unknown as Request;

async function callback(outcome: () => Promise<UpstreamFinished>, options: { publicUrl?: string; cookie?: string } = {}) {
  const seen: unknown[][] = [];
  const upstream = { callback: (...args: unknown[]) => (seen.push(args), outcome()) } as unknown as UpstreamSignIn;
  const sut = new UpstreamController(upstream, testConfig({ PUBLIC_URL: options.publicUrl ?? 'https://target.example' }));
  const { res, written } = response();
  await sut.callback('google', request(options.cookie ?? 'other=1; target_upstream=the-secret'), res);
  return { written, seen };
}

describe(UpstreamController.name, () => {
  it('hands the callback URL and the cookie to the sign-in, and sends a hosted page back to its interaction', async () => {
    const { written, seen } = await callback(async () => ({ sessionId: 'sess_x', interaction: 'uid-1', answer: { authenticated: true, name: 'A', email: 'a@example.com' } }));
    expect(seen).toEqual([['google', new URL('https://target.example/auth/callback/google?code=c&state=s'), 'the-secret']]);
    expect(written).toMatchObject({ status: 303, headers: { location: '/interaction/uid-1', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    expect(written.headers['set-cookie']).toBe('target_upstream=; Path=/auth/callback; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });

  it('ends a sign-in begun from a chat on a page saying to go back to it (no Secure cookie on http)', async () => {
    const { written } = await callback(async () => ({ sessionId: 'sess_x', answer: { authenticated: true, name: 'A', email: 'a@example.com' } }), { publicUrl: 'http://localhost:3000' });
    expect(written.status).toBe(200);
    expect(written.body).toContain('You can go back to the chat and close this tab.');
    expect(written.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(written.headers['set-cookie']).toBe('target_upstream=; Path=/auth/callback; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it.each([
    ['a refusal before the attempt was spent (cookie kept)', new StepError('invalid_session', 'Finish signing in in the browser where you started.'), 400, false, undefined],
    ['a provider that is down', new UpstreamFailed(undefined, new UpstreamError('unavailable', 'Google cannot be reached right now.')), 503, true, undefined],
    ['a rejected answer, for a hosted page', new UpstreamFailed('uid-2', new UpstreamError('rejected', 'The sign-in with Google could not be checked.')), 400, true, '/interaction/uid-2'],
    ['no account for it', new UpstreamFailed('uid-3', new StepError('invalid_credentials', 'No Target account for this identity.')), 400, true, '/interaction/uid-3'],
    ['a store that does not answer', new UpstreamFailed(undefined, new StoreUnavailableError('down')), 503, true, undefined],
    ['a step the store could not take', new StepError('unavailable', 'Try again.'), 503, false, undefined],
  ])('shows %s as a page with its reason', async (_case, error, status, spent, back) => {
    const { written } = await callback(() => Promise.reject(error));
    expect(written.status).toBe(status);
    const message = error instanceof UpstreamFailed ? (error.cause as Error).message : error.message;
    expect(written.body).toContain(error.cause instanceof StoreUnavailableError ? 'Signing in is unavailable for a moment.' : message);
    expect(written.headers['set-cookie'] !== undefined).toBe(spent);
    if (back) expect(written.body).toContain(`<a href="${back}">Back to sign-in</a>`);
    else expect(written.body).not.toContain('Back to sign-in');
  });

  it('lets an unexpected failure through', async () => {
    await expect(callback(() => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});

describe('pageOf', () => {
  it('sends the account page its own sign-ins back, and the hosted page its interaction', () => {
    expect(pageOf('account:Zm9v')).toBe('/account');
    expect(pageOf('uid-123')).toBe('/interaction/uid-123');
  });
});

describe(chatEnding.name, () => {
  it('says signed in, or what the chat asks next', () => {
    expect(chatEnding({ authenticated: true, name: 'A', email: 'a@example.com' })).toMatchObject({ heading: 'You are signed in to Target' });
    const next = (answer: Parameters<typeof chatEnding>[0]) => chatEnding(answer).paragraphs[0];
    expect(next({ authenticated: false, step: 'profile', profiles: [] })).toBe('Go back to the chat and choose who is signing in.');
    expect(next({ authenticated: false, step: 'new-password' })).toBe('Go back to the chat and choose a new password.');
    expect(next({ step: 'verify', purpose: 'link', delivery: { method: 'email', sentTo: 'h•••@example.com' } })).toBe('Go back to the chat and enter the code we sent to h•••@example.com to confirm it is your account.');
    expect(next({ step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } })).toBe('Go back to the chat and enter the code from your authenticator app.');
    expect(next({ authenticated: false, step: 'verify', purpose: 'link', delivery: { method: 'totp' } })).toBe('Go back to the chat and enter the code from your authenticator app to confirm it is your account.');
    expect(next({ step: 'verify', purpose: 'link', delivery: { method: 'demo' } })).toBe('Go back to the chat and enter any six-digit code to confirm it is your account (demo mode).');
    expect(chatEnding({ step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } })).toMatchObject({ heading: 'One more step in the chat', title: 'Almost there' });
  });
});
