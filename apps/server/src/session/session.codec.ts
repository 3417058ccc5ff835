/**
 * The serialised form of a SessionRecord, for shared stores. Versioned (`f`):
 * a reader accepts this format and the one before it, so instances of two
 * releases can share one Redis during a rolling upgrade. Short keys: a pending
 * session is ~150 bytes.
 */
import { SessionRecord, type SessionStep } from './session.record.js';

export const SESSION_FORMAT = 2;

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

/** Format 2 adds the credentials epoch (`q`), the device hash (`v`) and the interaction (`i`). */
interface EncodedV2 extends Omit<EncodedV1, 'f'> {
  f: 2;
  q: number | null;
  v: string | null;
  i: string | null;
}

export class SessionFormatError extends Error {
  override name = 'SessionFormatError';
}

export function encodeSession(record: SessionRecord): string {
  const encoded: EncodedV2 = {
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
    q: record.epoch,
    v: record.device,
    i: record.interaction,
  };
  return JSON.stringify(encoded);
}

/**
 * Reads format 2, and format 1 as written by the release before: its signed-in
 * sessions carry no epoch, so they read as ended (the person signs in again).
 */
export function decodeSession(text: string): SessionRecord {
  const value = JSON.parse(text) as Omit<Partial<EncodedV2>, 'f'> & { f?: unknown };
  if ((value.f !== 1 && value.f !== 2) || typeof value.x !== 'number' || typeof value.s !== 'string') {
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
    epoch: value.q ?? null,
    device: value.v ?? null,
    interaction: value.i ?? null,
  });
}
