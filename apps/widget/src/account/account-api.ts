/**
 * The account page's calls to its own server, under /account/api. Same
 * origin: the page's cookies ride along, and the server checks the Origin.
 */
import type { AccountFailure, AccountStatus, AuthenticatorSetup, ConnectedApp, LinkedSignIn, PasskeyView } from '@target-auth/shared/account';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { UpstreamButton } from '@target-auth/shared/linking';
import type { AuthenticateResult, CodeAcceptedResult } from '@target-auth/shared/tools';
import type { PasskeySignInApi } from '../hosted/use-passkey-sign-in';
import { pageCall } from '../hosted/page-call';

export class AccountApiError extends Error {
  constructor(
    readonly failure: AccountFailure,
    readonly status: number,
  ) {
    super(failure.message);
  }
}

export interface AccountApi extends PasskeySignInApi {
  status(): Promise<AccountStatus>;
  /** Opens a sign-in for the page's screens, bound to this browser, with the providers it may go to. */
  openSession(): Promise<{ sessionId: string; providers: UpstreamButton[] }>;
  /** Sends the page's sign-in to an upstream provider: where to go (it comes back to /account). */
  upstream(sessionId: string, providerId: string): Promise<{ redirectTo: string }>;
  /** Where the screens stand for a sign-in the page opened before (back from a provider). */
  resume(sessionId: string): Promise<AuthenticateResult>;
  /** Takes over the page's signed-in session. */
  login(sessionId: string): Promise<AccountStatus>;
  apps(): Promise<ConnectedApp[]>;
  /** Ends one app's access; the apps left. */
  revoke(clientId: string): Promise<ConnectedApp[]>;
  identities(): Promise<LinkedSignIn[]>;
  /** Unlinks a Google, Microsoft or OpenID sign-in; the ones left. */
  unlink(identity: Pick<LinkedSignIn, 'issuer' | 'subject'>): Promise<LinkedSignIn[]>;
  /** The household's profiles, in the order sign-in offers them. */
  profiles(): Promise<string[]>;
  /** Adds a household profile; the profiles now. */
  addProfile(name: string): Promise<string[]>;
  passkeys(): Promise<PasskeyView[]>;
  /** Begins adding a passkey: the options for the browser. */
  passkeyRegistrationOptions(): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Keeps the browser's new passkey under `name`; the passkeys now. */
  addPasskey(response: unknown, name: string): Promise<PasskeyView[]>;
  renamePasskey(id: string, name: string): Promise<PasskeyView[]>;
  removePasskey(id: string): Promise<PasskeyView[]>;
  /** Begins setting up an authenticator app: the QR code and key to scan. */
  beginAuthenticator(): Promise<AuthenticatorSetup>;
  /** Turns it on with the app's first code. */
  confirmAuthenticator(code: string): Promise<AccountStatus>;
  /** Back to mailed codes, with a code from the app. */
  removeAuthenticator(code: string): Promise<AccountStatus>;
  /** A new password, the current one given: other sign-ins end, this page stays signed in. */
  changePassword(current: string, password: string): Promise<AccountStatus>;
  signOut(): Promise<void>;
  signOutEverywhere(): Promise<void>;
}

const BROKEN: AccountFailure = { error: 'invalid_request', message: 'Something went wrong. Reload the page and try again.' };

export function accountApi(base = '/account/api', fetcher: typeof fetch = (...args) => fetch(...args)): AccountApi {
  const call = pageCall<AccountFailure>(fetcher, BROKEN, (failure, status) => new AccountApiError(failure, status));
  return {
    status: () => call<AccountStatus>(`${base}/status`, 'GET'),
    openSession: () => call<{ sessionId: string; providers: UpstreamButton[] }>(`${base}/session`, 'POST'),
    upstream: (sessionId, providerId) => call<{ redirectTo: string }>(`${base}/upstream/${encodeURIComponent(providerId)}`, 'POST', { sessionId }),
    resume: (sessionId) => call<AuthenticateResult>('/api/session/open', 'POST', { sessionId }),
    login: (sessionId) => call<AccountStatus>(`${base}/login`, 'POST', { sessionId }),
    apps: async () => (await call<{ apps: ConnectedApp[] }>(`${base}/apps`, 'GET')).apps,
    revoke: async (clientId) => (await call<{ apps: ConnectedApp[] }>(`${base}/apps/revoke`, 'POST', { clientId })).apps,
    identities: async () => (await call<{ identities: LinkedSignIn[] }>(`${base}/identities`, 'GET')).identities,
    unlink: async ({ issuer, subject }) => (await call<{ identities: LinkedSignIn[] }>(`${base}/identities/unlink`, 'POST', { issuer, subject })).identities,
    passkeyOptions: (sessionId) => call<PublicKeyCredentialRequestOptionsJSON>(`${base}/passkey/options`, 'POST', { sessionId }),
    passkeySignIn: (sessionId, response) => call<CodeAcceptedResult>(`${base}/passkey`, 'POST', { sessionId, response }),
    profiles: async () => (await call<{ profiles: string[] }>(`${base}/profiles`, 'GET')).profiles,
    addProfile: async (name) => (await call<{ profiles: string[] }>(`${base}/profiles`, 'POST', { name })).profiles,
    passkeys: async () => (await call<{ passkeys: PasskeyView[] }>(`${base}/passkeys`, 'GET')).passkeys,
    passkeyRegistrationOptions: () => call<PublicKeyCredentialCreationOptionsJSON>(`${base}/passkeys/options`, 'POST'),
    addPasskey: async (response, name) => (await call<{ passkeys: PasskeyView[] }>(`${base}/passkeys`, 'POST', { response, name })).passkeys,
    renamePasskey: async (id, name) => (await call<{ passkeys: PasskeyView[] }>(`${base}/passkeys/rename`, 'POST', { id, name })).passkeys,
    removePasskey: async (id) => (await call<{ passkeys: PasskeyView[] }>(`${base}/passkeys/remove`, 'POST', { id })).passkeys,
    beginAuthenticator: () => call<AuthenticatorSetup>(`${base}/authenticator/setup`, 'POST'),
    confirmAuthenticator: (code) => call<AccountStatus>(`${base}/authenticator/confirm`, 'POST', { code }),
    removeAuthenticator: (code) => call<AccountStatus>(`${base}/authenticator/remove`, 'POST', { code }),
    changePassword: (current, password) => call<AccountStatus>(`${base}/password`, 'POST', { current, password }),
    signOut: async () => void (await call(`${base}/sign-out`, 'POST')),
    signOutEverywhere: async () => void (await call(`${base}/sign-out-everywhere`, 'POST')),
  };
}
