/**
 * The hosted page's calls to its own server, under /interaction/{uid} (the
 * uid is the page's last path segment). Same origin: the interaction cookie
 * rides along, and the server checks the Origin.
 */
import type { InteractionDetails, InteractionFailure, InteractionRedirect } from '@target-auth/shared/linking';
import { INTERACTION_EXPIRED_MESSAGE } from '@target-auth/shared/linking';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { AuthenticateResult, CodeAcceptedResult } from '@target-auth/shared/tools';
import { pageCall } from './page-call';
import type { PasskeySignInApi } from './use-passkey-sign-in';

export class InteractionApiError extends Error {
  constructor(
    readonly failure: InteractionFailure,
    readonly status: number,
  ) {
    super(failure.message);
  }
}

export interface InteractionApi extends PasskeySignInApi {
  details(): Promise<InteractionDetails>;
  openSession(): Promise<string>;
  login(sessionId: string): Promise<InteractionRedirect>;
  consent(): Promise<InteractionRedirect>;
  deny(): Promise<InteractionRedirect>;
  /** Sends the page's sign-in session to an upstream provider: where to go. */
  upstream(sessionId: string, providerId: string): Promise<InteractionRedirect>;
  /** Where the screens stand for a session the page opened before (back from a provider). */
  resume(sessionId: string): Promise<AuthenticateResult>;
}

/** The session API's call that says where a session's screens stand (same origin). */
const SESSION_OPEN = '/api/session/open';

const EXPIRED: InteractionFailure = { error: 'interaction_expired', message: INTERACTION_EXPIRED_MESSAGE };

export function interactionApi(base: string, fetcher: typeof fetch = (...args) => fetch(...args)): InteractionApi {
  const call = pageCall<InteractionFailure>(fetcher, EXPIRED, (failure, status) => new InteractionApiError(failure, status));
  return {
    details: () => call<InteractionDetails>(`${base}/details`, 'GET'),
    openSession: async () => (await call<{ sessionId: string }>(`${base}/session`, 'POST')).sessionId,
    login: (sessionId) => call<InteractionRedirect>(`${base}/login`, 'POST', { sessionId }),
    consent: () => call<InteractionRedirect>(`${base}/consent`, 'POST'),
    deny: () => call<InteractionRedirect>(`${base}/deny`, 'POST'),
    upstream: (sessionId, providerId) => call<InteractionRedirect>(`${base}/upstream/${encodeURIComponent(providerId)}`, 'POST', { sessionId }),
    resume: (sessionId) => call<AuthenticateResult>(SESSION_OPEN, 'POST', { sessionId }),
    passkeyOptions: (sessionId) => call<PublicKeyCredentialRequestOptionsJSON>(`${base}/passkey/options`, 'POST', { sessionId }),
    passkeySignIn: (sessionId, response) => call<CodeAcceptedResult>(`${base}/passkey`, 'POST', { sessionId, response }),
  };
}
