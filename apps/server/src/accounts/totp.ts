/** RFC 6238 codes (otpauth): six digits, 30 s steps, SHA-1, as every authenticator app reads them. */
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

function totpFor(base32Secret: string, email: string): TOTP {
  return new TOTP({ issuer: 'Target', label: email, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(base32Secret) });
}

/** A new random secret (160 bits) in base32, and the `otpauth://` URI an app scans. */
export function newTotpSecret(email: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpFor(secret, email).toString() };
}

/**
 * The time step of a matching code (one step of drift either way allowed), or
 * null. The caller records the step so that the code is good only once.
 */
export function matchingTotpStep(base32Secret: string, email: string, code: string, now: number): number | null {
  const delta = totpFor(base32Secret, email).validate({ token: code, window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/** The code for a moment (tests and the CLI's self-check). */
export function totpCode(base32Secret: string, now: number): string {
  return totpFor(base32Secret, '').generate({ timestamp: now });
}
