/** Session records for the store specs, one per step they need. */
import { type AtCredentials, type Holder, pendingRecord, type SessionRecord, type SignedIn, type SigningIn } from '../session/session.record.js';

export const HOLDER: Holder = { accountId: 'acct', email: 'a@example.com', name: 'A', epoch: 1_764_000_000 };

/** Waiting for credentials; `opened` once the form was shown. */
export function pending(expiresAt: number, opened = false): AtCredentials {
  return { ...pendingRecord(expiresAt), opened };
}

/** Waiting for a mailed sign-in code, after `failedCodes` wrong ones. */
export function waiting(expiresAt: number, failedCodes = 0): SigningIn {
  return { step: 'verify', purpose: 'sign-in', method: 'email', codeCheck: 'c', account: HOLDER, failedCodes, codeSentAt: 5, expiresAt };
}

export function signedIn(expiresAt: number): SignedIn {
  return { step: 'authenticated', expiresAt, account: HOLDER, profile: null };
}

/** A pending record marked opened. */
export function opened(record: SessionRecord | undefined): SessionRecord {
  if (record?.step !== 'credentials') throw new Error(`Expected a pending record, got ${record?.step}`);
  return { ...record, opened: true };
}

/** Whether a record is a pending one marked opened. */
export function isOpened(record: SessionRecord | undefined): boolean {
  return record?.step === 'credentials' && record.opened;
}

/** A code wait with one more wrong code. */
export function failedOnce(record: SessionRecord | undefined): SessionRecord {
  if (record?.step !== 'verify') throw new Error(`Expected a code wait, got ${record?.step}`);
  return { ...record, failedCodes: record.failedCodes + 1 };
}

/** The wrong codes a code wait counted; undefined for any other record. */
export function failedCodes(record: SessionRecord | undefined): number | undefined {
  return record?.step === 'verify' ? record.failedCodes : undefined;
}
