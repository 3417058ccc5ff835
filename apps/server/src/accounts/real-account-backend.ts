/** Real mode's sign-in backend: the accounts database, codes mailed through the outbox, per-account limits and the challenge. */
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import type { Clock } from '../common/clock.js';
import type { AccountBackend } from './account-backend.js';
import { AccountLimits } from './account-limits.js';
import { CodeMailer } from './code-mailer.js';
import { MailOutbox, type MailOutcome } from './mail-outbox.js';
import { MailedOneTimeCodes } from './mailed-one-time-codes.js';
import { ProofOfWork } from './proof-of-work.js';
import { KeyRing, loadSecretKey } from './secret-key.js';
import type { LimiterFactory } from '../common/limiters.js';
import { AccountStore } from './store/account-store.js';
import { IdentityStore } from './store/identity-store.js';
import { DatabasePasskeyStore } from './passkey-store.js';
import { openDatabase } from './store/database.js';
import { StoredAccountDirectory } from './stored-account-directory.js';

export async function realBackend(
  config: AppConfig,
  clock: Clock,
  limiters: LimiterFactory,
  onMail?: (outcome: MailOutcome) => void,
): Promise<AccountBackend> {
  const logger = new Logger('Accounts');
  const { dataDir, databaseUrl, secretKey, smtpUrl, mailFrom, codeTtlMs } = config.accounts;
  const secret = loadSecretKey({ secretKey, dataDir, embedded: databaseUrl === undefined });
  if (secret.generated) logger.warn(`SECRET_KEY is not set: generated one into ${secret.path} (keep it with the data directory).`);
  const keys = new KeyRing(secret.key);
  const database = await openDatabase({ databaseUrl, dataDir });
  logger.log(databaseUrl ? 'Accounts: PostgreSQL (DATABASE_URL).' : `Accounts: embedded database in ${dataDir}.`);
  const mailer = new CodeMailer({ smtpUrl, from: mailFrom, dataDir });
  const store = new AccountStore(database.db);
  const outbox = new MailOutbox(database.db, keys, mailer, store, { validMinutes: Math.round(codeTtlMs / 60_000), ...(onMail && { onOutcome: onMail }) });
  outbox.start();
  return {
    directory: new StoredAccountDirectory(store, keys, clock, new IdentityStore(database.db)),
    codes: new MailedOneTimeCodes(keys.codes, outbox),
    limits: new AccountLimits(keys.limits, limiters),
    proofOfWork: new ProofOfWork(keys.challenge, limiters),
    passkeys: new DatabasePasskeyStore(database.db),
    keys,
    database,
    outbox,
    close: async () => {
      await outbox.stop();
      mailer.close();
      await database.close();
    },
  };
}
