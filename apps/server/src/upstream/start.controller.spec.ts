import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { StepError } from '../session/step-error.js';
import { testConfig } from '../testing/fakes.js';
import { UpstreamError } from './relying-party.js';
import { StartController } from './start.controller.js';
import type { UpstreamSignIn } from './upstream-sign-in.js';

const LINK = 'v1.aaaa.bbbb.cccc';

function response() {
  const written: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
  const res = {
    writeHead(status: number, headers: Record<string, string> = {}) {
      written.status = status;
      for (const [name, value] of Object.entries(headers)) written.headers[name.toLowerCase()] = value;
      return { end: (body?: string) => void (written.body = body) };
    },
  };
  return { res: res as unknown as Response, written };
}

/** A form post of `body` with these headers (a readable stream, as Express hands it over). */
function post(body: string, headers: Record<string, string> = { origin: 'https://target.example', 'content-type': 'application/x-www-form-urlencoded' }): Request {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers }) as unknown as Request;
}

const GOOGLE_PAGE = { provider: { id: 'google', name: 'Google' }, origin: 'https://accounts.google.com' };

function controller(claim: (link: string, code: string) => Promise<{ url: string; cookie: string }>, page = GOOGLE_PAGE) {
  const claims: string[][] = [];
  const upstream = {
    startPage: async () => page,
    claim: (link: string, code: string) => (claims.push([link, code]), claim(link, code)),
  } as unknown as UpstreamSignIn;
  return { sut: new StartController(upstream, testConfig({ PUBLIC_URL: 'https://target.example' })), claims };
}

const ATTEMPT_COOKIE = 'target_upstream=the-secret; Path=/auth/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure';
const toProvider = async () => ({ url: 'https://accounts.google.com/o/oauth2/auth?state=s', cookie: ATTEMPT_COOKIE });

describe(StartController.name, () => {
  it('shows the provider and asks for the code, letting the form go to this server and on to the provider only', async () => {
    const { res, written } = response();
    await controller(toProvider).sut.show(LINK, res);
    expect(written.status).toBe(200);
    expect(written.body).toContain('<title>Sign in with Google</title>');
    expect(written.body).toContain('<h1>Continue to Google</h1>');
    expect(written.body).toContain('You are signing in to Target with Google for a chat. Type the code the chat shows you.');
    expect(written.body).toContain('<p id="hint">Eight letters, like BCDF-GHJK.</p><button type="submit">Continue to Google</button>');
    expect(written.body).toContain('name="code"');
    expect(written.body).toContain('<label for="field-0">Code from the chat</label>');
    expect(written.body).toContain('If someone sent you this link or a code, stop here');
    expect(written.headers['content-security-policy']).toMatch(/form-action 'self' https:\/\/accounts\.google\.com$/);
    expect(written.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // Under no-referrer, Chromium posts the form with `Origin: null`, which the post refuses.
    expect(written.headers['referrer-policy']).toBe('same-origin');
  });

  it('sends the browser to the provider with the cookie that binds the attempt, on the code typed', async () => {
    const { sut, claims } = controller(toProvider);
    const { res, written } = response();
    await sut.claim(LINK, post('code=bcdf-ghjk&other=1'), res);
    expect(claims).toEqual([[LINK, 'bcdf-ghjk']]);
    // A form without the field is an empty code (wrong), not a missing one.
    const without = controller(toProvider);
    await without.sut.claim(LINK, post('other=1'), response().res);
    expect(without.claims).toEqual([[LINK, '']]);
    expect(written).toMatchObject({ status: 303, headers: { location: 'https://accounts.google.com/o/oauth2/auth?state=s', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    expect(written.headers['set-cookie']).toBe(ATTEMPT_COOKIE);
  });

  it('for a passkey, asks for the code without a provider, and its form goes to this server only', async () => {
    const passkeyPage = { provider: { id: 'passkey', name: 'a passkey' }, origin: 'https://target.example' };
    const { res, written } = response();
    await controller(toProvider, passkeyPage).sut.show(LINK, res);
    expect(written.status).toBe(200);
    expect(written.body).toContain('<title>Sign in with a passkey</title>');
    expect(written.body).toContain('<h1>Sign in with a passkey</h1>');
    expect(written.body).toContain('Type the code the chat shows you, then use your passkey on the next page.');
    expect(written.body).toContain('If someone sent you this link or a code, stop here');
    expect(written.body).toContain('<button type="submit">Continue</button>');
    expect(written.headers['content-security-policy']).toMatch(/form-action 'self' https:\/\/target\.example$/);

    const passkeyCookie = 'target_passkey_pass=sealed; Path=/auth/passkey; Max-Age=600; HttpOnly; SameSite=Strict; Secure';
    const { sut } = controller(async () => ({ url: 'https://target.example/auth/passkey', cookie: passkeyCookie }), passkeyPage);
    const posted = response();
    await sut.claim(LINK, post('code=bcdf-ghjk'), posted.res);
    expect(posted.written).toMatchObject({ status: 303, headers: { location: 'https://target.example/auth/passkey', 'set-cookie': passkeyCookie } });
  });

  it('takes a post whose browser sends no Origin when Fetch Metadata says it is same-origin, and refuses any other', async () => {
    for (const [headers, status] of [
      [{ 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }, 303],
      [{ 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, 403],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 403],
      [{ origin: 'https://target.example.evil.test', 'content-type': 'application/x-www-form-urlencoded' }, 403],
      [{ origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, 403],
    ] as const) {
      const { sut, claims } = controller(toProvider);
      const { res, written } = response();
      await sut.claim(LINK, post('code=BCDFGHJK', headers), res);
      expect([headers, written.status]).toEqual([headers, status]);
      expect(claims.length).toBe(status === 303 ? 1 : 0);
      if (status === 403) expect(written.body).toContain('This form must be sent from its own page. Open the link from the chat again.');
    }
  });

  it('shows a wrong code on the same page with the tries left, and ends on a page once they are spent', async () => {
    const wrong = controller(() => Promise.reject(new StepError('wrong_code', "That code doesn't match the one in the chat.", { attemptsLeft: 1 })));
    const first = response();
    await wrong.sut.claim(LINK, post('code=x'), first.res);
    expect(first.written.status).toBe(400);
    expect(first.written.body).toContain('<p role="alert">That code doesn&#39;t match the one in the chat. 1 try left.</p>');
    expect(first.written.body).toContain('<form method="post">');
    const spent = controller(() => Promise.reject(new StepError('locked', 'Too many wrong codes. Start again from the chat.')));
    const last = response();
    await spent.sut.claim(LINK, post('code=x'), last.res);
    expect(last.written.status).toBe(410);
    expect(last.written.body).toContain('Too many wrong codes. Start again from the chat.');
    expect(last.written.body).not.toContain('<form');
  });

  it.each([
    ['a spent or replaced link', new StepError('invalid_session', 'This sign-in link was used or replaced. Start again from the chat.'), 410],
    ['an expired session', new StepError('expired', 'Your session has expired. Please sign in again.'), 410],
    ['a provider that is down', new UpstreamError('unavailable', 'Google cannot be reached right now. Try again in a moment.'), 503],
    ['a store that does not answer', new StoreUnavailableError('down'), 503],
    ['a store that does not answer in a step', new StepError('unavailable', 'Signing in is unavailable for a moment. Try again shortly.'), 503],
    ['a provider that refuses', new UpstreamError('rejected', 'Google did not sign you in.'), 400],
    ['a refused step', new StepError('invalid_input', 'There is no such sign-in provider here.'), 400],
  ])('answers %s with a page saying so', async (_case, error, status) => {
    const { sut } = controller(() => Promise.reject(error));
    const { res, written } = response();
    await sut.claim(LINK, post('code=x'), res);
    expect(written.status).toBe(status);
    expect(written.body).toContain('<title>Sign-in problem</title>');
    expect(written.body).toContain('<h1>This sign-in link does not work</h1>');
    expect(written.body).toContain(error instanceof StoreUnavailableError ? 'Signing in is unavailable for a moment.' : (error as Error).message.replace("'", '&#39;'));
  });

  it('refuses a cut link, another content type and a body too long for a code before checking anything', async () => {
    for (const [link, req, status, words] of [
      ['not a link!', post('code=x'), 410, 'This sign-in link is not whole.'],
      [LINK, post('{"code":"x"}', { origin: 'https://target.example', 'content-type': 'application/json' }), 415, 'This page takes its own form only.'],
      [LINK, post(`code=${'B'.repeat(2000)}`), 413, 'That was more than this form takes.'],
    ] as const) {
      const { sut, claims } = controller(toProvider);
      const { res, written } = response();
      await sut.claim(link, req, res);
      expect([written.status, written.body?.includes(words)]).toEqual([status, true]);
      expect(claims).toEqual([]);
    }
  });

  it('lets an unexpected failure through', async () => {
    const { sut } = controller(() => Promise.reject(new TypeError('bug')));
    await expect(sut.claim(LINK, post('code=x'), response().res)).rejects.toThrow('bug');
  });
});
