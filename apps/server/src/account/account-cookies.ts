/**
 * The account page's two cookies, both HttpOnly, SameSite=Strict, only for
 * /account, and Secure behind https:
 * - `target_account_signin`: a random value naming the sign-in this browser
 *   opened on the page, so that only this browser can take it over;
 * - `target_account`: who signed in on the page, when, and under which
 *   credentials epoch, sealed (AES-GCM) with a key of its own. It lasts an
 *   hour; a new password or "sign out everywhere" ends it sooner.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../accounts/secret-key.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { cookieOf } from '../http/cookies.js';

export const ACCOUNT_PATH = '/account';
export const ACCOUNT_COOKIE = 'target_account';
export const SIGN_IN_COOKIE = 'target_account_signin';
export const AUTHENTICATOR_COOKIE = 'target_account_totp';
export const PASSKEY_REGISTRATION_COOKIE = 'target_account_passkey';
/** How long a change under way (an authenticator, a passkey) waits for its confirmation. */
const PENDING_MS = 10 * 60 * 1000;
/** How long the page stays signed in. */
export const PAGE_SIGN_IN_MS = 60 * 60 * 1000;

/** Who signed in on the page. */
export interface PageSignIn {
  accountId: string;
  profile: string | null;
  /** The credentials epoch the sign-in was made under: once the account's moves on, the page is signed out. */
  epoch: number;
  /** When (epoch ms). */
  at: number;
}

@Injectable()
export class AccountCookies {
  private readonly secure: string;

  constructor(
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.secure = config.publicUrl.startsWith('https:') ? '; Secure' : '';
  }

  /** A new binding for a sign-in the page opens: the value, and its Set-Cookie. */
  binding(): { value: string; header: string } {
    const value = randomBytes(24).toString('base64url');
    return { value, header: this.cookie(SIGN_IN_COOKIE, value, 15 * 60) };
  }

  bindingOf(req: IncomingMessage): string | undefined {
    return cookieOf(req, SIGN_IN_COOKIE);
  }

  /** The Set-Cookie headers for a page signed in: the sign-in, and the binding spent. */
  signedIn(signIn: PageSignIn): string[] {
    const sealed = this.keys.seal(JSON.stringify([signIn.accountId, signIn.profile, signIn.epoch, signIn.at]), 'account-page');
    return [this.cookie(ACCOUNT_COOKIE, sealed, PAGE_SIGN_IN_MS / 1000), this.cookie(SIGN_IN_COOKIE, '', 0)];
  }

  /** An authenticator being set up: its secret, for this account, for ten minutes (sealed; the page showed it anyway). */
  pendingAuthenticator(accountId: string, secret: string): string {
    return this.pending(AUTHENTICATOR_COOKIE, accountId, secret);
  }

  /** The secret being set up for this account, while it lasts. */
  pendingAuthenticatorOf(req: IncomingMessage, accountId: string): string | undefined {
    return this.pendingOf(req, AUTHENTICATOR_COOKIE, accountId);
  }

  /** A passkey being registered: the challenge it must answer, for this account, for ten minutes. */
  pendingPasskey(accountId: string, challenge: string): string {
    return this.pending(PASSKEY_REGISTRATION_COOKIE, accountId, challenge);
  }

  pendingPasskeyOf(req: IncomingMessage, accountId: string): string | undefined {
    return this.pendingOf(req, PASSKEY_REGISTRATION_COOKIE, accountId);
  }

  /** The Set-Cookie header that ends a passkey registration. */
  passkeyDone(): string {
    return this.cookie(PASSKEY_REGISTRATION_COOKIE, '', 0);
  }

  /** The Set-Cookie header that ends a setup. */
  authenticatorDone(): string {
    return this.cookie(AUTHENTICATOR_COOKIE, '', 0);
  }

  /** The Set-Cookie header that signs the page out. */
  signedOut(): string {
    return this.cookie(ACCOUNT_COOKIE, '', 0);
  }

  /** The page's sign-in, while it lasts; undefined for none, a forged one or one over an hour old. */
  read(req: IncomingMessage): PageSignIn | undefined {
    const sealed = cookieOf(req, ACCOUNT_COOKIE);
    if (!sealed) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.keys.open(sealed, 'account-page'));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [accountId, profile, epoch, at] = parsed as unknown[];
    if (typeof accountId !== 'string' || (profile !== null && typeof profile !== 'string') || typeof epoch !== 'number' || typeof at !== 'number') return undefined;
    const age = this.clock.now() - at;
    return age >= 0 && age < PAGE_SIGN_IN_MS ? { accountId, profile, epoch, at } : undefined;
  }

  /** Something a change under way keeps for its account (sealed), for ten minutes. */
  private pending(name: string, accountId: string, value: string): string {
    return this.cookie(name, this.keys.sealFor(accountId, value, this.clock.now() + PENDING_MS, 'account-page'), PENDING_MS / 1000);
  }

  private pendingOf(req: IncomingMessage, name: string, accountId: string): string | undefined {
    return this.keys.openFor(cookieOf(req, name), accountId, this.clock.now(), 'account-page');
  }

  private cookie(name: string, value: string, maxAgeSeconds: number): string {
    return `${name}=${value}; Path=${ACCOUNT_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${this.secure}`;
  }
}
