import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { CodeDelivery, CodePurpose } from '@target-auth/shared/tools';
import type { Account } from './account-directory.js';
import type { CodeMailer } from './code-mailer.js';
import { type IssuedCode, maskEmail, OneTimeCodes } from './one-time-codes.js';

/**
 * Real codes: six digits from `crypto.randomInt`, kept only as an HMAC-SHA-256
 * (under a key derived from SECRET_KEY) bound to the session, and mailed.
 */
export class MailedOneTimeCodes extends OneTimeCodes {
  constructor(
    private readonly key: Buffer,
    private readonly mailer: CodeMailer,
    private readonly validMinutes: number,
  ) {
    super();
  }

  create(sessionId: string): IssuedCode {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    return { code, check: this.mac(sessionId, code).toString('base64url') };
  }

  matches(sessionId: string, code: string, check: string | null): boolean {
    if (check === null) return false;
    const expected = Buffer.from(check, 'base64url');
    const given = this.mac(sessionId, code);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  deliver(account: Pick<Account, 'email' | 'name'>, code: string, purpose: CodePurpose): Promise<void> {
    return this.mailer.send({ to: account.email, name: account.name, code, purpose, validMinutes: this.validMinutes });
  }

  delivery(email: string): CodeDelivery {
    return { method: 'email', sentTo: maskEmail(email) };
  }

  private mac(sessionId: string, code: string): Buffer {
    return createHmac('sha256', this.key).update(`${sessionId}:${code}`).digest();
  }
}
