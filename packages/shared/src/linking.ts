/**
 * Account linking (OAuth): what the hosted sign-in page and the server say to
 * each other under /interaction/{uid}, and what get-target-account returns.
 */

/** What the page shows for an interaction: the sign-in screens, or consent for a signed-in person. */
export type InteractionDetails =
  | { prompt: 'login'; client: LinkingClient }
  | { prompt: 'consent'; client: LinkingClient; account: { name: string; email: string } };

/** The app asking for the account, as the consent screen names it. */
export interface LinkingClient {
  name: string;
  /** The client's home page or metadata address host, when known. */
  host?: string;
}

/** Where the browser goes next (back into the authorization flow). */
export interface InteractionRedirect {
  redirectTo: string;
}

/** A refusal of an interaction request; `message` is safe to show. */
export interface InteractionFailure {
  error: 'interaction_expired' | 'not_signed_in' | 'invalid_request' | 'forbidden';
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
