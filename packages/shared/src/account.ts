/**
 * The account page (/account): what the page and the server say to each other
 * under /account/api. The page signs the person in with the same screens and
 * session API as the widget, then shows the account, the apps linked to it
 * and what protects it.
 */
import type { LinkingClient } from './linking.js';

/** Who the page is signed in as. */
export interface AccountOverview {
  name: string;
  email: string;
  /** The household profile chosen at sign-in; null for accounts without profiles. */
  profile: string | null;
  /** Whether the second step is a code from an authenticator app (else a mailed code). */
  authenticator: boolean;
  /**
   * Until when (epoch ms) the sign-in counts as recent: security changes
   * (signing out everywhere, a new password, the authenticator) need a
   * sign-in of the last ten minutes, and ask for a new one after.
   */
  recentUntil: number;
}

/** The page's state: signed in (with the account), or not (it shows the sign-in screens). */
export type AccountStatus = { signedIn: false } | { signedIn: true; account: AccountOverview };

/** An app that can act for the account: it holds a grant, and tokens under it. */
export interface ConnectedApp {
  /** The app's client id: what Revoke names. */
  clientId: string;
  /** As the consent screen named it: by who receives the code. */
  client: LinkingClient;
  /** What it may do, in words. */
  access: string[];
  /** When the account allowed it (epoch ms). */
  linkedAt: number;
  /** When it last received a token (epoch ms); null when it never has since it was linked. */
  lastUsedAt: number | null;
}

/** A Google, Microsoft or OpenID sign-in linked to the account. */
export interface LinkedSignIn {
  /** The provider's name ("Google"), as the sign-in buttons say it. */
  provider: string;
  /** With `subject`, what Unlink names. */
  issuer: string;
  subject: string;
  /** The e-mail the provider gave last. */
  email: string | null;
  linkedAt: number;
  lastUsedAt: number;
}

/** Setting up an authenticator app: what the page shows until the app's first code confirms it. */
export interface AuthenticatorSetup {
  /** The secret in base32, for typing into the app by hand. */
  secret: string;
  /** The `otpauth://` URI the QR code holds. */
  uri: string;
  /** The QR code, as an SVG data URL. */
  qr: string;
}

/** A passkey registered for the account. */
export interface PasskeyView {
  /** The credential id: what rename and remove name. */
  id: string;
  name: string;
  /** Whether it is synced (backed up) across the person's devices. */
  synced: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A refusal from the account API; `message` is safe to show. */
export interface AccountFailure {
  /**
   * `not_signed_in`: sign in first (again); `recent_sign_in_required`: the
   * change needs a sign-in of the last ten minutes; `wrong_password`: the
   * current password given is not the account's; `weak_password`: the new
   * one breaks the policy (the message says how); `rate_limited`: too many
   * wrong passwords for now; `last_way_in`: unlinking would leave no way to
   * sign in; `wrong_code`: the authenticator app's code does not match;
   * `passkey_refused`: the passkey could not be checked (the message says
   * why); `not_available`: not offered here (demo mode has no authenticator apps or profiles);
   * `unavailable`: a store did not answer (503),
   * trying again may work.
   */
  error:
    | 'not_signed_in'
    | 'recent_sign_in_required'
    | 'wrong_password'
    | 'weak_password'
    | 'wrong_code'
    | 'rate_limited'
    | 'last_way_in'
    | 'not_available'
    | 'passkey_refused'
    | 'invalid_request'
    | 'forbidden'
    | 'not_found'
    | 'unavailable';
  message: string;
}

/** How long a sign-in on the account page counts as recent (ms). */
export const RECENT_SIGN_IN_MS = 10 * 60 * 1000;
