/**
 * Where credentials are checked and identities come from. The demo directory
 * (demo-account-directory.ts) is bound by default; a real one plugs in here.
 */

/** The identity shown after sign-in; it never comes from the request. */
export interface Account {
  email: string;
  name: string;
}

export abstract class AccountDirectory {
  /**
   * The account for these credentials, or null. Real implementations give the
   * same answer for an unknown user, a wrong password and a locked account.
   */
  abstract verifyCredentials(email: string, password: string): Promise<Account | null>;
}
