import type { ProfileChoice } from '@target-auth/shared/tools';
import type { Clock } from '../common/clock.js';
import { type Account, AccountDirectory } from './account-directory.js';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { KeyRing } from './secret-key.js';
import type { AccountStore, StoredAccount } from './store/account-store.js';
import { matchingTotpStep } from './totp.js';

/** Real accounts from the database (PostgreSQL or the embedded PGlite). */
export class StoredAccountDirectory extends AccountDirectory {
  constructor(
    private readonly store: AccountStore,
    private readonly keys: KeyRing,
    private readonly clock: Clock,
  ) {
    super();
  }

  async verifyCredentials(email: string, password: string): Promise<Account | null> {
    const stored = await this.store.findByEmail(email);
    // Every path checks one hash, so an unknown e-mail takes as long as a wrong password.
    const matches = await verifyPassword(stored?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!stored || !matches || stored.status !== 'active') return null;
    if (await needsRehash(stored.passwordHash)) await this.store.rehashPassword(stored.id, await hashPassword(password));
    return toAccount(stored);
  }

  async findForRecovery(email: string): Promise<Account | null> {
    const stored = await this.store.findByEmail(email);
    return stored?.status === 'active' ? toAccount(stored) : null;
  }

  async findById(accountId: string): Promise<Account | null> {
    if (!UUID.test(accountId)) return null;
    const stored = await this.store.findById(accountId);
    return stored?.status === 'active' ? toAccount(stored) : null;
  }

  async setPassword(accountId: string, email: string, password: string, keepDevice?: string): Promise<number> {
    await checkPasswordPolicy(password, email);
    const epoch = await this.store.changeCredentials(accountId, { passwordHash: await hashPassword(password) }, new Date(this.clock.now()), keepDevice);
    if (epoch === null) throw new Error('The account is gone.');
    return epoch;
  }

  isTrustedDevice(email: string, deviceHash: string): Promise<boolean> {
    return this.store.isTrustedDevice(email, deviceHash, new Date(this.clock.now()));
  }

  async trustDevice(accountId: string, deviceHash: string): Promise<void> {
    await this.store.trustDevice(accountId, deviceHash, new Date(this.clock.now()));
  }

  profiles(accountId: string): Promise<ProfileChoice[]> {
    return this.store.profiles(accountId);
  }

  async verifyTotp(accountId: string, code: string): Promise<boolean> {
    const stored = await this.store.findById(accountId);
    if (!stored?.totpSecret || stored.status !== 'active') return false;
    const step = matchingTotpStep(this.keys.open(stored.totpSecret), stored.email, code, this.clock.now());
    return step !== null && (await this.store.acceptTotpStep(accountId, step));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toAccount(stored: StoredAccount): Account {
  return {
    id: stored.id,
    email: stored.email,
    name: stored.displayName,
    secondFactor: stored.totpSecret ? 'totp' : 'email',
    epoch: stored.credentialsEpoch,
  };
}
