/**
 * Everything behind a sign-in, chosen by mode: in demo mode any credentials
 * pass and nothing is sent or limited; in real mode (real-account-backend.ts,
 * loaded only then) accounts come from the database, codes are mailed, and
 * limits and challenges apply per account.
 */
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import type { AccountDirectory } from './account-directory.js';
import { DemoAccountDirectory } from './demo-account-directory.js';
import { DemoOneTimeCodes } from './demo-one-time-codes.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { ProofOfWork } from './proof-of-work.js';
import { type SignInLimits, UnlimitedSignIns } from './sign-in-limits.js';
import { KeyRing } from './secret-key.js';
import type { MailOutbox } from './mail-outbox.js';
import { MemoryPasskeyStore, type PasskeyStore } from './passkey-store.js';
import type { Database } from './store/database.js';

export interface AccountBackend {
  directory: AccountDirectory;
  codes: OneTimeCodes;
  limits: SignInLimits;
  proofOfWork: ProofOfWork;
  /** Passkeys (the accounts database, or memory in demo mode). */
  passkeys: PasskeyStore;
  /** Keys derived from SECRET_KEY (in demo mode without one: random, for this process only). */
  keys: KeyRing;
  /** The accounts database (real mode only). */
  database?: Database;
  /** Codes waiting to be mailed (real mode only). */
  outbox?: MailOutbox;
  close(): Promise<void>;
}

export function demoBackend(config: AppConfig): AccountBackend {
  return {
    directory: new DemoAccountDirectory(config),
    codes: new DemoOneTimeCodes(config),
    limits: new UnlimitedSignIns(),
    passkeys: new MemoryPasskeyStore(),
    keys: new KeyRing(config.accounts.secretKey ?? randomBytes(32)),
    // Demo mode never asks for a challenge (no limits), so the used-once record is never made.
    proofOfWork: new ProofOfWork(randomBytes(32).toString('base64url'), () => {
      throw new Error('Demo mode asks no challenges');
    }),
    close: async () => undefined,
  };
}
