/** Real mode's sign-in backend: the accounts database, mailed codes, per-account limits and the challenge. */
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import type { Clock } from '../session/clock.js';
import type { AccountBackend } from './account-backend.js';
import { AccountLimits } from './account-limits.js';
import { CodeMailer } from './code-mailer.js';
import { MailedOneTimeCodes } from './mailed-one-time-codes.js';
import { ProofOfWork } from './proof-of-work.js';
import { KeyRing, loadSecretKey } from './secret-key.js';
import type { LimiterFactory } from './sign-in-limits.js';
import { AccountStore } from './store/account-store.js';
import { openDatabase } from './store/database.js';
import { StoredAccountDirectory } from './stored-account-directory.js';

export async function realBackend(config: AppConfig, clock: Clock, limiters: LimiterFactory): Promise<AccountBackend> {
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
    keys,
    database,
    close: async () => {
      mailer.close();
      await database.close();
    },
  };
}
