/**
 * What the server keeps per sign-in: one shape per step, each holding only
 * what that step has. Records are plain data and never changed in place; a
 * step writes the next one. Stored as JSON by shared stores (session.codec.ts).
 */
import type { Account, UpstreamIdentity } from '../accounts/account-directory.js';
/** Whose sign-in it is, once the credentials (or a reset's mailed code) proved it. */
export interface Holder {
  accountId: string;
  email: string;
  name: string;
  /** The account's credentials epoch when this sign-in proved them: a later change ends it. */
  epoch: number;
}

/** What every step keeps. */
interface Common {
  /** Epoch ms after which the session reads as expired. */
  expiresAt: number;
  /** The hosted page's interaction (account linking) that opened it; only that one may take it over. */
  interaction?: string;
  /** The hash of the browser's device secret, trusted for the account once signed in. */
  device?: string;
}

/** Waiting for the e-mail and password (or a "Forgot password?" e-mail). */
export interface AtCredentials extends Common {
  step: 'credentials';
  /** Whether the sign-in form was shown for it: a flood evicts never-opened sessions first. */
  opened: boolean;
}

/** What every code wait keeps. */
interface CodeWait extends Common {
  step: 'verify';
  /** Wrong codes so far in this session. */
  failedCodes: number;
  /** Epoch ms the code step began (for a mailed code, when it was sent): its age and the resend cooldown. */
  codeSentAt: number;
}

/** A mailed code (`demo`: any code works); `codeCheck` is what `OneTimeCodes.create` asked us to keep (an HMAC), never the code. */
interface MailedCode {
  method: 'email' | 'demo';
  codeCheck: string;
}

/** Signing in: the credentials were right; a mailed code or the authenticator app's comes next. */
export type SigningIn = CodeWait & { purpose: 'sign-in'; account: Holder } & (MailedCode | { method: 'totp' });

/** Resetting, mailbox step: a code was queued for `email`; whether an account has it is learnt only from a right code. */
export interface ResetByMail extends CodeWait, MailedCode {
  purpose: 'reset';
  email: string;
}

/** Resetting, authenticator step: the mailbox was proven; the account's authenticator code comes next. */
export interface ResetByApp extends CodeWait {
  purpose: 'reset';
  method: 'totp';
  account: Holder;
}

/** An upstream identity waiting to be linked: what is written to the identities table once the account is proven. */
export type PendingIdentity = UpstreamIdentity;

/** Linking: an upstream identity's verified e-mail belongs to this account, whose mailed code must prove it first. */
export interface LinkByMail extends CodeWait, MailedCode {
  purpose: 'link';
  account: Holder;
  identity: PendingIdentity;
  /** `totp`: the account's authenticator code is asked next, before anything is linked. */
  secondFactor: 'email' | 'totp';
}

/** Linking, authenticator step: the mailbox was proven; the account's authenticator code comes next. */
export interface LinkByApp extends CodeWait {
  purpose: 'link';
  method: 'totp';
  account: Holder;
  identity: PendingIdentity;
}

export type AtVerify = SigningIn | ResetByMail | ResetByApp | LinkByMail | LinkByApp;

/** What one upstream attempt keeps between the redirect to the provider and its callback. */
export interface UpstreamAttempt {
  /** Sent to the provider and brought back: it seals this session's id (upstream.step.ts). */
  state: string;
  nonce: string;
  /** PKCE code verifier. */
  verifier: string;
}

/**
 * Begun from a chat: the start page (opened in the person's browser) is
 * waiting for the code the chat shows. Only hashes are kept.
 */
export interface UpstreamHandOff {
  /** The hash of the start link's own secret: a newer link replaces an older one. */
  link: string;
  /** The hash of the code the chat shows. */
  code: string;
  /** Wrong codes typed on the start page so far. */
  tries: number;
}

/** A chat's upstream sign-in, before anyone opened its start page and typed the chat's code. */
export interface UpstreamWaiting extends Common {
  step: 'upstream';
  provider: string;
  handOff: UpstreamHandOff;
}

/** Away at an upstream provider, in the browser that began it (the hash of a cookie set there). */
export interface UpstreamAway extends Common {
  step: 'upstream';
  provider: string;
  attempt: UpstreamAttempt;
  browser: string;
}

/**
 * A chat's passkey sign-in, once its start page took the chat's code: this
 * server's passkey page is open in that browser (the hash of a secret its
 * cookie holds), and only that browser's passkey can sign the session in.
 */
export interface PasskeyAway extends Common {
  step: 'upstream';
  /** Always PASSKEY_HAND_OFF's id. */
  provider: string;
  browser: string;
}

export type AtUpstream = UpstreamWaiting | UpstreamAway | PasskeyAway;

/** A reset proved every factor: a new password comes next. */
export interface AtNewPassword extends Common {
  step: 'new-password';
  account: Holder;
}

/** A household: who is signing in comes next. */
export interface AtProfile extends Common {
  step: 'profile';
  account: Holder;
}

/** Signed in, while the account's credentials epoch is still `account.epoch`. */
export interface SignedIn extends Common {
  step: 'authenticated';
  account: Holder;
  /** The chosen profile's name; null for an account without profiles. */
  profile: string | null;
}

/** Too many wrong codes: nothing more happens in this session. */
export interface Locked extends Common {
  step: 'locked';
}

export type SessionRecord = AtCredentials | AtUpstream | AtVerify | AtNewPassword | AtProfile | SignedIn | Locked;
export type SessionStep = SessionRecord['step'];
/** The record of one step. */
export type RecordAt<S extends SessionStep> = Extract<SessionRecord, { step: S }>;

/** A new sign-in, waiting for credentials. */
export function pendingRecord(expiresAt: number, interaction?: string): AtCredentials {
  return interaction === undefined ? { step: 'credentials', expiresAt, opened: false } : { step: 'credentials', expiresAt, opened: false, interaction };
}

/** The fields every step keeps, to carry into the next record. */
export function carried(record: SessionRecord): Common {
  const kept: Common = { expiresAt: record.expiresAt };
  if (record.interaction !== undefined) kept.interaction = record.interaction;
  if (record.device !== undefined) kept.device = record.device;
  return kept;
}

/** Where a code wait's mailed code goes: the holder's address, or the address a reset was asked for. */
export function codeAddress(record: AtVerify): string {
  return 'account' in record ? record.account.email : record.email;
}

/** The holder of a sign-in by `account`, under its current credentials epoch. */
export function holderOf(account: Account): Holder {
  return { accountId: account.id, email: account.email, name: account.name, epoch: account.epoch };
}
