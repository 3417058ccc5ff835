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
}

export abstract class AccountDirectory {
  /**
   * The account for these credentials, or null. Gives the same answer, in the
   * same time, for an unknown e-mail, a wrong password and a disabled account.
   */
  abstract verifyCredentials(email: string, password: string): Promise<Account | null>;

  /** An active account by id (a linked account's token names it); null for unknown or disabled ones. */
  abstract findById(accountId: string): Promise<Account | null>;

  /** An active account by e-mail, for "Forgot password?"; null for unknown or disabled ones. */
  abstract findForRecovery(email: string): Promise<Account | null>;

  /** Replaces the password; throws `WeakPasswordError` (./passwords.ts) when the policy refuses it. */
  abstract setPassword(accountId: string, email: string, password: string): Promise<void>;

  /** The account's profiles in display order (one or more; none for accounts without profiles). */
  abstract profiles(accountId: string): Promise<ProfileChoice[]>;

  /** Checks a code from the account's authenticator app; a code already accepted once is refused. */
  abstract verifyTotp(accountId: string, code: string): Promise<boolean>;
}
