/**
 * The hosted page's calls to its own server, under /interaction/{uid} (the
 * uid is the page's last path segment). Same origin: the interaction cookie
 * rides along, and the server checks the Origin.
 */
import type { InteractionDetails, InteractionFailure, InteractionRedirect } from '@target-auth/shared/linking';
import { INTERACTION_EXPIRED_MESSAGE } from '@target-auth/shared/linking';
import type { AuthenticateResult } from '@target-auth/shared/tools';

export class InteractionApiError extends Error {
  constructor(
    readonly failure: InteractionFailure,
    readonly status: number,
  ) {
    super(failure.message);
  }
}

export interface InteractionApi {
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

const NETWORK: InteractionFailure = { error: 'invalid_request', message: "We couldn't reach Target. Check your connection and try again." };

export function interactionApi(base: string, fetcher: typeof fetch = (...args) => fetch(...args)): InteractionApi {
  const call = async <T>(path: string, method: 'GET' | 'POST', body?: object): Promise<T> => {
    let response: Response;
    try {
      response = await fetcher(path === SESSION_OPEN ? path : `${base}${path}`, {
        method,
        credentials: 'same-origin',
        ...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
      });
    } catch {
      throw new InteractionApiError(NETWORK, 0);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const failure = isFailure(json) ? json : { error: 'interaction_expired' as const, message: INTERACTION_EXPIRED_MESSAGE };
      throw new InteractionApiError(failure, response.status);
    }
    return json as T;
  };
  return {
    details: () => call<InteractionDetails>('/details', 'GET'),
    openSession: async () => (await call<{ sessionId: string }>('/session', 'POST')).sessionId,
    login: (sessionId) => call<InteractionRedirect>('/login', 'POST', { sessionId }),
    consent: () => call<InteractionRedirect>('/consent', 'POST'),
    deny: () => call<InteractionRedirect>('/deny', 'POST'),
    upstream: (sessionId, providerId) => call<InteractionRedirect>(`/upstream/${encodeURIComponent(providerId)}`, 'POST', { sessionId }),
    resume: (sessionId) => call<AuthenticateResult>(SESSION_OPEN, 'POST', { sessionId }),
  };
}

function isFailure(value: unknown): value is InteractionFailure {
  return typeof value === 'object' && value !== null && typeof (value as InteractionFailure).message === 'string' && typeof (value as InteractionFailure).error === 'string';
}
