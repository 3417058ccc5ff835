import type { ProfileChoice } from '@target-auth/shared/tools';
import type { Clock } from '../common/clock.js';
import { type Account, AccountDirectory, type IdentityResolution, type LinkedIdentity, type Unlinked, type UpstreamIdentity } from './account-directory.js';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { KeyRing } from './secret-key.js';
import { type AccountStore, DuplicateError, type StoredAccount } from './store/account-store.js';
import type { IdentityStore } from './store/identity-store.js';
import { matchingTotpStep } from './totp.js';

/** Real accounts from the database (PostgreSQL or the embedded PGlite). */
export class StoredAccountDirectory extends AccountDirectory {
  constructor(
    private readonly store: AccountStore,
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    private readonly identities: IdentityStore,
  ) {
    super();
  }

  async verifyCredentials(email: string, password: string): Promise<Account | null> {
    const stored = await this.store.findByEmail(email);
    // Every path checks one hash, so an unknown e-mail takes as long as a wrong password.
    const matches = await verifyPassword(stored?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!stored?.passwordHash || !matches || stored.status !== 'active') return null;
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

  async endSignIns(accountId: string): Promise<number> {
    const epoch = await this.store.changeCredentials(accountId, {}, new Date(this.clock.now()));
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

  async addProfile(accountId: string, name: string): Promise<ProfileChoice[] | 'duplicate'> {
    try {
      await this.store.addProfile(accountId, name);
    } catch (error) {
      if (error instanceof DuplicateError) return 'duplicate';
      throw error;
    }
    return this.store.profiles(accountId);
  }

  async verifyTotp(accountId: string, code: string): Promise<boolean> {
    const stored = await this.store.findById(accountId);
    if (!stored?.totpSecret || stored.status !== 'active') return false;
    const step = matchingTotpStep(this.keys.open(stored.totpSecret), stored.email, code, this.clock.now());
    return step !== null && (await this.store.acceptTotpStep(accountId, step));
  }

  async resolveIdentity(identity: UpstreamIdentity, options: { signup: boolean }): Promise<IdentityResolution> {
    const now = new Date(this.clock.now());
    const linked = await this.identities.find(identity);
    if (linked) {
      const account = await this.findById(linked.accountId);
      if (!account) return { kind: 'refused', message: NO_SIGN_IN };
      await this.identities.used(identity, identity.email, now);
      return { kind: 'linked', account };
    }
    if (identity.email === null || !identity.emailVerified) return { kind: 'refused', message: UNVERIFIED };
    const existing = await this.store.findByEmail(identity.email);
    if (existing) return existing.status === 'active' ? { kind: 'prove', account: toAccount(existing) } : { kind: 'refused', message: NO_SIGN_IN };
    if (!options.signup) return { kind: 'refused', message: NO_ACCOUNT };
    try {
      const created = await this.store.create({ email: identity.email, displayName: identity.name ?? identity.email.split('@')[0]!, passwordHash: null });
      await this.identities.link({ ...identity, accountId: created.id }, now);
      return { kind: 'created', account: toAccount(created) };
    } catch (error) {
      // Made by another sign-in meanwhile: prove it like any account that has the e-mail.
      if (error instanceof DuplicateError) return this.resolveIdentity(identity, { signup: false });
      throw error;
    }
  }

  linkIdentity(accountId: string, identity: UpstreamIdentity): Promise<boolean> {
    return this.identities.link({ ...identity, accountId }, new Date(this.clock.now()));
  }

  async setAuthenticator(accountId: string, secret: string | null): Promise<number | null> {
    const epoch = await this.store.changeCredentials(accountId, { totpSecret: secret === null ? null : this.keys.seal(secret) }, new Date(this.clock.now()));
    if (epoch === null) throw new Error('The account is gone.');
    return epoch;
  }

  async hasPassword(accountId: string): Promise<boolean> {
    if (!UUID.test(accountId)) return false;
    return Boolean((await this.store.findById(accountId))?.passwordHash);
  }

  async linkedIdentities(accountId: string): Promise<LinkedIdentity[]> {
    if (!UUID.test(accountId)) return [];
    return (await this.identities.list(accountId)).map(({ provider, issuer, subject, email, createdAt, lastUsedAt }) => ({
      provider,
      issuer,
      subject,
      email,
      linkedAt: createdAt.getTime(),
      lastUsedAt: lastUsedAt.getTime(),
    }));
  }

  async unlinkIdentity(accountId: string, key: { issuer: string; subject: string }): Promise<Unlinked> {
    if (!UUID.test(accountId)) return { unlinked: false, reason: 'not_found' };
    const outcome = await this.identities.unlinkKeepingOne(accountId, key);
    if (outcome !== 'unlinked') return { unlinked: false, reason: outcome };
    const epoch = await this.store.changeCredentials(accountId, {}, new Date(this.clock.now()));
    if (epoch === null) throw new Error('The account is gone.');
    return { unlinked: true, epoch };
  }
}

const NO_SIGN_IN = 'This Target account cannot sign in.';
const NO_ACCOUNT = 'No Target account for this identity.';
const UNVERIFIED = 'Your provider did not confirm your e-mail address. Sign in with your Target password instead.';

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
