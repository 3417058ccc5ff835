/**
 * Account linking (OAuth): what the hosted sign-in page and the server say to
 * each other under /interaction/{uid}, and what get-target-account returns.
 */

/** An upstream provider the sign-in screen offers ("Continue with {name}"). */
export interface UpstreamButton {
  id: string;
  name: string;
}

/**
 * "Sign in with a passkey" from a chat: a hand-off like an upstream
 * provider's (a start link, the chat's code, then this server's passkey page
 * in the person's browser), since a host's frame cannot use WebAuthn. Its id
 * is reserved: no configured provider may take it.
 */
export const PASSKEY_HAND_OFF: UpstreamButton = { id: 'passkey', name: 'a passkey' };

/** Where a passkey hand-off's browser signs in: the hosted page's file in its passkey mode. */
export const PASSKEY_PAGE_PATH = '/auth/passkey';

/** What the page shows for an interaction: the sign-in screens (with the upstream providers), or consent for a signed-in person. */
export type InteractionDetails =
  | { prompt: 'login'; client: LinkingClient; providers: UpstreamButton[] }
  | { prompt: 'consent'; client: LinkingClient; account: { name: string; email: string } };

/**
 * The app asking for the account, as the consent screen names it: by who
 * receives the code, never by what the app says of itself.
 */
export interface LinkingClient {
  /**
   * A host's own name (ChatGPT, Claude) for its documented callback URI; else
   * the host serving the app's metadata document; else the name the app gave
   * itself when it registered (then `verified` is false).
   */
  name: string;
  /** False when `name` is only what the app registered itself as. */
  verified: boolean;
  /** Where the code goes: the redirect URI's host (with its port), or its app scheme for a native app. */
  redirectHost: string;
}

/** Where the browser goes next (back into the authorization flow). */
export interface InteractionRedirect {
  redirectTo: string;
}

/** A refusal of an interaction request; `message` is safe to show. */
export interface InteractionFailure {
  /** `unavailable`: a store did not answer (503, Retry-After); trying again may work. */
  error: 'interaction_expired' | 'not_signed_in' | 'invalid_request' | 'forbidden' | 'unavailable';
  message: string;
}

/** get-target-account's result. */
export interface LinkedAccountResult {
  name: string;
  email: string;
  /** The household profile chosen at sign-in; null for accounts without profiles. */
  profile: string | null;
}

export const INTERACTION_EXPIRED_MESSAGE = 'This sign-in link expired. Go back to the app and connect your Target account again.';
