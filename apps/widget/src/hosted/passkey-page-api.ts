/**
 * The passkey page's calls (/auth/passkey, same origin): whether this
 * browser's pass can still sign the chat in, then the passkey options and
 * the browser's answer. The pass rides along as a cookie the page never sees;
 * it names the chat's session, so the calls name none.
 */
import { PASSKEY_PAGE_PATH } from '@target-auth/shared/linking';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { pageCall, type Refusal } from './page-call';
import type { PasskeySignInApi } from './use-passkey-sign-in';

export class PasskeyPageError extends Error {
  constructor(
    readonly failure: Refusal,
    readonly status: number,
  ) {
    super(failure.message);
  }
}

export interface PasskeyPageApi extends PasskeySignInApi {
  /** Resolves while the pass can sign the chat in; else throws why not. */
  ready(): Promise<void>;
}

const GONE: Refusal = { error: 'gone', message: 'This passkey sign-in is over or was started elsewhere. Start again from the chat.' };

export function passkeyPageApi(fetcher: typeof fetch = (...args) => fetch(...args)): PasskeyPageApi {
  const call = pageCall<Refusal>(fetcher, GONE, (failure, status) => new PasskeyPageError(failure, status));
  return {
    ready: async () => void (await call<{ ready: true }>(`${PASSKEY_PAGE_PATH}/state`, 'GET')),
    passkeyOptions: () => call<PublicKeyCredentialRequestOptionsJSON>(`${PASSKEY_PAGE_PATH}/options`, 'POST'),
    passkeySignIn: (_sessionId, response) => call<CodeAcceptedResult>(PASSKEY_PAGE_PATH, 'POST', { response }),
  };
}
