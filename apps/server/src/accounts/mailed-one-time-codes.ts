import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { CodePurpose } from '@target-auth/shared/tools';
import type { MailOutbox } from './mail-outbox.js';
import { type IssuedCode, type MailDelivery, maskEmail, OneTimeCodes } from './one-time-codes.js';

/**
 * Real codes: six digits from `crypto.randomInt`, kept only as an HMAC-SHA-256
 * (under a key derived from SECRET_KEY) bound to the session, and mailed
 * through the outbox.
 */
export class MailedOneTimeCodes extends OneTimeCodes {
  constructor(
    private readonly key: Buffer,
    private readonly outbox: Pick<MailOutbox, 'enqueue'>,
  ) {
    super();
  }

  create(sessionId: string): IssuedCode {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    return { code, check: this.mac(sessionId, code).toString('base64url') };
  }

  matches(sessionId: string, code: string, check: string): boolean {
    const expected = Buffer.from(check, 'base64url');
    const given = this.mac(sessionId, code);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  deliver(email: string, code: string, purpose: CodePurpose, expiresAt: number): Promise<void> {
    return this.outbox.enqueue({ email, purpose, code }, expiresAt);
  }

  delivery(email: string): MailDelivery {
    return { method: 'email', sentTo: maskEmail(email) };
  }

  private mac(sessionId: string, code: string): Buffer {
    return createHmac('sha256', this.key).update(`${sessionId}:${code}`).digest();
  }
}
