/**
 * The serialised form of a SessionRecord, for shared stores. Versioned (`f`):
 * a reader accepts this format and the one before it, so instances of two
 * releases can share one Redis during a rolling upgrade. Short keys: a pending
 * session is ~100 bytes.
 */
import { SessionRecord, type SessionStep } from './session.record.js';

export const SESSION_FORMAT = 1;

interface EncodedV1 {
  f: 1;
  /** expiresAt, step, failedCodes, accountId, email, name, profile, purpose, method, codeCheck, codeSentAt, opened */
  x: number;
  s: SessionStep;
  n: number;
  a: string | null;
  e: string | null;
  m: string | null;
  p: string | null;
  u: SessionRecord['purpose'];
  d: SessionRecord['method'];
  c: string | null;
  t: number;
  o: 0 | 1;
}

export class SessionFormatError extends Error {
  override name = 'SessionFormatError';
}

export function encodeSession(record: SessionRecord): string {
  const encoded: EncodedV1 = {
    f: SESSION_FORMAT,
    x: record.expiresAt,
    s: record.step,
    n: record.failedCodes,
    a: record.accountId,
    e: record.email,
    m: record.name,
    p: record.profile,
    u: record.purpose,
    d: record.method,
    c: record.codeCheck,
    t: record.codeSentAt,
    o: record.opened ? 1 : 0,
  };
  return JSON.stringify(encoded);
}

export function decodeSession(text: string): SessionRecord {
  const value = JSON.parse(text) as Partial<EncodedV1> & { f?: unknown };
  if (value.f !== 1 || typeof value.x !== 'number' || typeof value.s !== 'string') {
    throw new SessionFormatError(`Unknown session format ${String(value.f)}`);
  }
  return new SessionRecord(value.x, {
    step: value.s,
    failedCodes: value.n ?? 0,
    accountId: value.a ?? null,
    email: value.e ?? null,
    name: value.m ?? null,
    profile: value.p ?? null,
    purpose: value.u ?? 'sign-in',
    method: value.d ?? null,
    codeCheck: value.c ?? null,
    codeSentAt: value.t ?? 0,
    opened: value.o === 1,
  });
}
