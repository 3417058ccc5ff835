/**
 * Everything behind a sign-in, chosen by mode: in demo mode any credentials
 * pass and nothing is sent or limited; in real mode accounts come from the
 * database, codes are mailed, and limits and challenges apply per account.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import type { Clock } from '../session/clock.js';
import type { AccountDirectory } from './account-directory.js';
import { CodeMailer } from './code-mailer.js';
import { DemoAccountDirectory } from './demo-account-directory.js';
import { DemoOneTimeCodes } from './demo-one-time-codes.js';
import { MailedOneTimeCodes } from './mailed-one-time-codes.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { ProofOfWork } from './proof-of-work.js';
import { KeyRing, loadSecretKey } from './secret-key.js';
import { AccountLimits, type LimiterFactory, memoryLimiters, type SignInLimits, UnlimitedSignIns } from './sign-in-limits.js';
import { AccountStore } from './store/account-store.js';
import { type Database, openDatabase } from './store/database.js';
import { StoredAccountDirectory } from './stored-account-directory.js';

export interface AccountBackend {
  directory: AccountDirectory;
  codes: OneTimeCodes;
  limits: SignInLimits;
  proofOfWork: ProofOfWork;
  /** The accounts database (real mode only). */
  database?: Database;
  close(): Promise<void>;
}

export function demoBackend(config: AppConfig): AccountBackend {
  return {
    directory: new DemoAccountDirectory(config),
    codes: new DemoOneTimeCodes(config),
    limits: new UnlimitedSignIns(),
    proofOfWork: new ProofOfWork(randomBytes(32).toString('base64url')),
    close: async () => undefined,
  };
}

export async function realBackend(config: AppConfig, clock: Clock, limiters: LimiterFactory = memoryLimiters): Promise<AccountBackend> {
  const logger = new Logger('Accounts');
  const { dataDir, databaseUrl, secretKey, smtpUrl, mailFrom, codeTtlMs } = config.accounts;
  const secret = loadSecretKey({ secretKey, dataDir, embedded: databaseUrl === undefined });
  if (secret.generated) logger.warn(`SECRET_KEY is not set: generated one into ${secret.path} (keep it with the data directory).`);
  const keys = new KeyRing(secret.key);
  const database = await openDatabase({ databaseUrl, dataDir });
  logger.log(databaseUrl ? 'Accounts: PostgreSQL (DATABASE_URL).' : `Accounts: embedded database in ${dataDir}.`);
  const mailer = new CodeMailer({ smtpUrl, from: mailFrom, dataDir });
  return {
    directory: new StoredAccountDirectory(new AccountStore(database.db), keys, clock),
    codes: new MailedOneTimeCodes(keys.codes, mailer, Math.round(codeTtlMs / 60_000)),
    limits: new AccountLimits(keys.limits, limiters),
    proofOfWork: new ProofOfWork(keys.challenge, limiters),
    database,
    close: async () => {
      mailer.close();
      await database.close();
    },
  };
}
