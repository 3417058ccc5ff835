/**
 * The serialised form of a SessionRecord, for shared stores: one flat object
 * with short keys, holding only the fields the record's step has (a pending
 * session is ~60 bytes). Versioned (`f`): a reader accepts this format and the
 * one before it, so instances of two releases can share one Redis during a
 * rolling upgrade; a reader of format 2 that predates per-step records fills
 * the keys left out with its defaults.
 */
import { PASSKEY_HAND_OFF } from '@target-auth/shared/linking';
import type { Holder, PendingIdentity, SessionRecord, SessionStep } from './session.record.js';

export const SESSION_FORMAT = 2;

interface Encoded {
  f: 1 | 2;
  /** expiresAt, step */
  x: number;
  s: SessionStep;
  /** interaction, device hash */
  i?: string | null;
  v?: string | null;
  /** opened (credentials) */
  o?: 0 | 1;
  /** failedCodes, codeSentAt, purpose, method, codeCheck (code waits) */
  n?: number;
  t?: number;
  u?: 'sign-in' | 'reset' | 'link';
  d?: 'email' | 'totp' | 'demo' | null;
  c?: string | null;
  /** the holder: accountId, email, name, credentials epoch (format 2 on); a reset by mail keeps only `e` */
  a?: string | null;
  e?: string | null;
  m?: string | null;
  q?: number | null;
  /** profile (signed in) */
  p?: string | null;
  /** upstream: the provider, the attempt [state, nonce, PKCE verifier], the browser's cookie hash; or a chat's hand-off [link hash, code hash, tries] */
  r?: string;
  k?: [string, string, string];
  b?: string;
  h?: [string, string, number];
  /** linking: the identity [provider, issuer, subject, email, e-mail verified (1/0), name], and the account's second factor */
  l?: [string, string, string, string | null, 0 | 1, string | null];
  w?: 'email' | 'totp';
}

const STEPS: readonly SessionStep[] = ['credentials', 'upstream', 'verify', 'profile', 'new-password', 'authenticated', 'locked'];

export class SessionFormatError extends Error {
  override name = 'SessionFormatError';
}

export function encodeSession(record: SessionRecord): string {
  const encoded: Encoded = { f: SESSION_FORMAT, x: record.expiresAt, s: record.step };
  if (record.interaction !== undefined) encoded.i = record.interaction;
  if (record.device !== undefined) encoded.v = record.device;
  switch (record.step) {
    case 'credentials':
      encoded.o = record.opened ? 1 : 0;
      break;
    case 'upstream':
      encoded.r = record.provider;
      if ('handOff' in record) encoded.h = [record.handOff.link, record.handOff.code, record.handOff.tries];
      else if ('attempt' in record) Object.assign(encoded, { k: [record.attempt.state, record.attempt.nonce, record.attempt.verifier], b: record.browser });
      else encoded.b = record.browser;
      break;
    case 'verify':
      Object.assign(encoded, { n: record.failedCodes, t: record.codeSentAt, u: record.purpose, d: record.method });
      if (record.method !== 'totp') encoded.c = record.codeCheck;
      if (record.purpose === 'link') {
        const { provider, issuer, subject, email, emailVerified, name } = record.identity;
        encoded.l = [provider, issuer, subject, email, emailVerified ? 1 : 0, name];
        if (record.method !== 'totp') encoded.w = record.secondFactor;
      }
      if ('account' in record) Object.assign(encoded, holderKeys(record.account));
      else encoded.e = record.email;
      break;
    case 'authenticated':
      encoded.p = record.profile;
      Object.assign(encoded, holderKeys(record.account));
      break;
    case 'profile':
    case 'new-password':
      Object.assign(encoded, holderKeys(record.account));
      break;
    case 'locked':
      break;
  }
  return JSON.stringify(encoded);
}

/**
 * Reads formats 1 and 2. A record whose step lacks what that step needs is
 * refused by name; a holder without a credentials epoch (format 1) reads as
 * ended, so the person signs in again.
 */
export function decodeSession(text: string): SessionRecord {
  const value = JSON.parse(text) as Partial<Encoded> & { f?: unknown };
  const format = String(value.f);
  if ((value.f !== 1 && value.f !== 2) || typeof value.x !== 'number' || !STEPS.includes(value.s as SessionStep)) {
    throw new SessionFormatError(`Unknown session format ${format}`);
  }
  const common = { expiresAt: value.x, ...(typeof value.i === 'string' ? { interaction: value.i } : {}), ...(typeof value.v === 'string' ? { device: value.v } : {}) };
  const lacking = () => new SessionFormatError(`Session record (format ${format}) at step ${String(value.s)} lacks its fields`);
  const holder = holderOf(value);
  const withHolder = <T extends object>(fields: T) => {
    if (!holder) throw lacking();
    // A sign-in proved under no known epoch cannot be told current: it has ended.
    return holder.epoch === undefined ? { ...fields, ...common, expiresAt: 0, account: { ...holder, epoch: 0 } } : { ...fields, ...common, account: holder as Holder };
  };
  switch (value.s!) {
    case 'credentials':
      return { step: 'credentials', ...common, opened: value.o === 1 };
    case 'locked':
      return { step: 'locked', ...common };
    case 'upstream': {
      if (typeof value.r !== 'string') throw lacking();
      if (value.h !== undefined) {
        const [link, code, tries] = Array.isArray(value.h) ? value.h : [];
        if (typeof link !== 'string' || typeof code !== 'string' || typeof tries !== 'number') throw lacking();
        return { step: 'upstream', ...common, provider: value.r, handOff: { link, code, tries } };
      }
      if (typeof value.b !== 'string') throw lacking();
      // A passkey hand-off's browser has no provider attempt.
      if (value.k === undefined && value.r === PASSKEY_HAND_OFF.id) return { step: 'upstream', ...common, provider: value.r, browser: value.b };
      const [state, nonce, verifier] = Array.isArray(value.k) ? value.k : [];
      if (typeof state !== 'string' || typeof nonce !== 'string' || typeof verifier !== 'string') throw lacking();
      return { step: 'upstream', ...common, provider: value.r, attempt: { state, nonce, verifier }, browser: value.b };
    }
    case 'profile':
      return withHolder({ step: 'profile' as const });
    case 'new-password':
      return withHolder({ step: 'new-password' as const });
    case 'authenticated':
      return withHolder({ step: 'authenticated' as const, profile: value.p ?? null });
    case 'verify': {
      const wait = { step: 'verify' as const, failedCodes: value.n ?? 0, codeSentAt: value.t ?? 0 };
      const purpose = value.u ?? 'sign-in';
      if (purpose === 'link') {
        const identity = identityOf(value.l);
        if (!identity) throw lacking();
        if (value.d === 'totp') return withHolder({ ...wait, purpose, method: 'totp' as const, identity });
        if ((value.d !== 'email' && value.d !== 'demo') || typeof value.c !== 'string' || (value.w !== 'email' && value.w !== 'totp')) throw lacking();
        return withHolder({ ...wait, purpose, method: value.d, codeCheck: value.c, identity, secondFactor: value.w });
      }
      if (value.d === 'totp') return withHolder({ ...wait, purpose, method: 'totp' as const });
      if ((value.d !== 'email' && value.d !== 'demo') || typeof value.c !== 'string') throw lacking();
      const mailed = { ...wait, method: value.d, codeCheck: value.c };
      if (purpose === 'sign-in') return withHolder({ ...mailed, purpose });
      if (typeof value.e !== 'string') throw lacking();
      return { ...mailed, ...common, purpose, email: value.e };
    }
  }
}

/** The identity a linking record waits to link, when its keys are all there. */
function identityOf(keys: Encoded['l'] | undefined): PendingIdentity | undefined {
  if (!Array.isArray(keys) || keys.length !== 6) return undefined;
  const [provider, issuer, subject, email, verified, name] = keys;
  if (typeof provider !== 'string' || typeof issuer !== 'string' || typeof subject !== 'string') return undefined;
  return { provider, issuer, subject, email: typeof email === 'string' ? email : null, emailVerified: verified === 1, name: typeof name === 'string' ? name : null };
}

function holderKeys(holder: Holder): Pick<Encoded, 'a' | 'e' | 'm' | 'q'> {
  return { a: holder.accountId, e: holder.email, m: holder.name, q: holder.epoch };
}

/** The holder the keys name, its epoch left out when none was written; undefined when there is none. */
function holderOf(value: Partial<Encoded>): (Omit<Holder, 'epoch'> & { epoch?: number }) | undefined {
  if (typeof value.a !== 'string' || typeof value.e !== 'string' || typeof value.m !== 'string') return undefined;
  const holder = { accountId: value.a, email: value.e, name: value.m };
  return typeof value.q === 'number' ? { ...holder, epoch: value.q } : holder;
}
