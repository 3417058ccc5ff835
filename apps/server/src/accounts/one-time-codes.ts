import type { CodeDelivery, CodePurpose } from '@target-auth/shared/tools';
import type { Account } from './account-directory.js';

/** A fresh code and what the session keeps to check it (an HMAC, never the code itself). */
export interface IssuedCode {
  code: string;
  check: string | null;
}

/**
 * The mailed second factor. `create` makes a code bound to one session,
 * `matches` compares in constant time, `deliver` sends it. The demo version
 * (demo-one-time-codes.ts) sends nothing.
 */
export abstract class OneTimeCodes {
  abstract create(sessionId: string): IssuedCode;
  abstract matches(sessionId: string, code: string, check: string | null): boolean;
  abstract deliver(account: Pick<Account, 'email' | 'name'>, code: string, purpose: CodePurpose): Promise<void>;
  /** Where `deliver` sends codes for this e-mail, as the widget may show it. */
  abstract delivery(email: string): CodeDelivery;
}

/** `lauren@example.com` → `l•••@example.com`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}
