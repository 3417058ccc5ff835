import type { CodeDelivery, CodePurpose } from '@target-auth/shared/tools';

/** How a mailed code arrives (an authenticator's code is not one of these). */
export type MailDelivery = Exclude<CodeDelivery, { method: 'totp' }>;

/** A fresh code and what the session keeps to check it (an HMAC, never the code itself). */
export interface IssuedCode {
  code: string;
  /** Opaque to the session; empty when the codes need no check (demo mode without DEMO_CODE). */
  check: string;
}

/**
 * The mailed second factor. `create` makes a code bound to one session,
 * `matches` compares in constant time, `deliver` queues it. The demo version
 * (demo-one-time-codes.ts) sends nothing.
 */
export abstract class OneTimeCodes {
  abstract create(sessionId: string): IssuedCode;
  abstract matches(sessionId: string, code: string, check: string): boolean;
  /**
   * Queues the code for the account with this e-mail, valid until `expiresAt`
   * (epoch ms). The same work whether or not the address has an account: the
   * mail goes out later, or not at all (mail-outbox.ts).
   */
  abstract deliver(email: string, code: string, purpose: CodePurpose, expiresAt: number): Promise<void>;
  /** Where `deliver` sends codes for this e-mail, as the widget may show it. */
  abstract delivery(email: string): MailDelivery;
}

/**
 * `lauren@example.com` → `l•••@example.com`: enough to recognise, not to
 * harvest. Built from what was typed, never the stored spelling, so it tells
 * nothing about whether the address has an account.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}
