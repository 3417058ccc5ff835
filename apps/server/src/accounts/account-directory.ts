/**
 * Where credentials are checked and identities come from: the seam for an
 * existing user database. The stored directory (stored-account-directory.ts,
 * PostgreSQL or PGlite) is bound in real mode, the demo one otherwise; bind
 * your own in accounts.module.ts to sign people in against another system.
 */
import type { ProfileChoice } from '@target-auth/shared/tools';

/** The identity shown after sign-in; it never comes from the request. */
export interface Account {
  /** Stable and unique: the key for per-account limits and the OAuth subject. */
  id: string;
  email: string;
  name: string;
  /** `totp`: the second step is a code from the person's authenticator app instead of a mailed one. */
  secondFactor: 'email' | 'totp';
  /**
   * The credentials epoch (epoch seconds): a sign-in made before it no longer
   * counts. It moves on when the password, the status or the authenticator changes.
   */
  epoch: number;
}

/** Who an upstream provider (Google, Microsoft, any OpenID provider) says signed in, its ID token checked. */
export interface UpstreamIdentity {
  /** The configured provider it came through. */
  provider: string;
  /** With `subject`, the key (Microsoft: the tenant's issuer and the object id); never the e-mail. */
  issuer: string;
  subject: string;
  email: string | null;
  /** Whether the provider vouches that the person controls `email`. */
  emailVerified: boolean;
  name: string | null;
}

/** An upstream identity linked to an account, as its owner sees it. */
export interface LinkedIdentity {
  /** The configured provider it came through (its id). */
  provider: string;
  issuer: string;
  subject: string;
  /** The e-mail the provider gave last. */
  email: string | null;
  linkedAt: number;
  lastUsedAt: number;
}

/** Unlinking an identity: done (with the new credentials epoch), or why not. */
export type Unlinked = { unlinked: true; epoch: number } | { unlinked: false; reason: 'not_found' | 'last_way_in' };

/**
 * What an upstream identity leads to: the account it is linked to; a new
 * account made for it; the account that has its (verified) e-mail, to be
 * proven with that account's code before the identity is linked; or a refusal.
 */
export type IdentityResolution =
  | { kind: 'linked' | 'created'; account: Account }
  | { kind: 'prove'; account: Account }
  | { kind: 'refused'; message: string };

export abstract class AccountDirectory {
  /** Whether `setAuthenticator` keeps what it is given (demo mode keeps nothing). */
  readonly keepsAuthenticators: boolean = true;

  /**
   * The account for these credentials, or null. Gives the same answer, in the
   * same time, for an unknown e-mail, a wrong password and a disabled account.
   */
  abstract verifyCredentials(email: string, password: string): Promise<Account | null>;

  /** An active account by id (a linked account's token names it); null for unknown or disabled ones. */
  abstract findById(accountId: string): Promise<Account | null>;

  /** An active account by e-mail, for "Forgot password?"; null for unknown or disabled ones. */
  abstract findForRecovery(email: string): Promise<Account | null>;

  /**
   * Replaces the password and moves the credentials epoch on, so that every
   * sign-in made with the old one ends; returns the new epoch. Trusted
   * browsers are forgotten except `keepDevice` (the hash of the one making the
   * change). Throws `WeakPasswordError` (./passwords.ts) when the policy refuses it.
   */
  abstract setPassword(accountId: string, email: string, password: string, keepDevice?: string): Promise<number>;

  /**
   * Ends every sign-in of the account made so far ("sign out everywhere"):
   * moves the credentials epoch on, which ends its signed-in sessions, linked
   * apps' access and refresh tokens and signed-in browsers, and forgets its
   * trusted browsers. Returns the new epoch.
   */
  abstract endSignIns(accountId: string): Promise<number>;

  /** Whether the active account with this e-mail trusts this browser (its device hash); false for unknown e-mails. */
  abstract isTrustedDevice(email: string, deviceHash: string): Promise<boolean>;

  /** Trusts this browser for the account from now on (after a complete sign-in). */
  abstract trustDevice(accountId: string, deviceHash: string): Promise<void>;

  /** The account's profiles in display order (one or more; none for accounts without profiles). */
  abstract profiles(accountId: string): Promise<ProfileChoice[]>;

  /**
   * Adds a household profile (the name trimmed, 1 to 100 characters): the
   * profiles now; `duplicate` for a name the account has; null where the
   * directory keeps no profiles (demo mode).
   */
  abstract addProfile(accountId: string, name: string): Promise<ProfileChoice[] | 'duplicate' | null>;

  /** Checks a code from the account's authenticator app; a code already accepted once is refused. */
  abstract verifyTotp(accountId: string, code: string): Promise<boolean>;

  /**
   * The account an upstream identity signs in to. Only its key finds an
   * account; an e-mail the provider vouches for may make a new account
   * (`signup`) or name one to prove, never sign in to one; an unverified
   * e-mail leads nowhere. Disabled accounts stay out.
   */
  abstract resolveIdentity(identity: UpstreamIdentity, options: { signup: boolean }): Promise<IdentityResolution>;

  /** Links an identity to an account once the account was proven; false when the identity is linked already. */
  abstract linkIdentity(accountId: string, identity: UpstreamIdentity): Promise<boolean>;

  /**
   * Turns the account's authenticator app on (its base32 secret) or off
   * (null), ending its earlier sign-ins; the new epoch, or null where the
   * directory keeps no authenticators (demo mode).
   */
  abstract setAuthenticator(accountId: string, secret: string | null): Promise<number | null>;

  /** Whether the account has a password (one made by an upstream sign-in has none until it sets one). */
  abstract hasPassword(accountId: string): Promise<boolean>;

  /** The account's linked identities, oldest first. */
  abstract linkedIdentities(accountId: string): Promise<LinkedIdentity[]>;

  /**
   * Unlinks one of the account's identities, never its last way in (an
   * account without a password keeps one identity). Ends the account's earlier
   * sign-ins, as a credentials change does.
   */
  abstract unlinkIdentity(accountId: string, key: { issuer: string; subject: string }): Promise<Unlinked>;
}
