/**
 * Upstream identities over Drizzle (schema.ts `identities`): found by
 * (issuer, subject) only; linked, listed and unlinked per account.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { accounts, identities } from './schema.js';

/** Who a provider says signed in: the key (issuer, subject) and what is shown of it. */
export interface IdentityKey {
  issuer: string;
  subject: string;
}

export interface StoredIdentity extends IdentityKey {
  accountId: string;
  provider: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date;
}

export class IdentityStore {
  constructor(private readonly db: Db) {}

  /** The identity with this key, if linked to an account. */
  async find(key: IdentityKey): Promise<StoredIdentity | null> {
    const [found] = await this.db.select().from(identities).where(and(eq(identities.issuer, key.issuer), eq(identities.subject, key.subject)));
    return found ?? null;
  }

  /**
   * Links an identity to an account; false, changing nothing, when the
   * identity is linked already (to this account or another).
   */
  async link(identity: IdentityKey & { accountId: string; provider: string; email: string | null }, now: Date): Promise<boolean> {
    const inserted = await this.db
      .insert(identities)
      .values({ ...identity, createdAt: now, lastUsedAt: now })
      .onConflictDoNothing()
      .returning({ issuer: identities.issuer });
    return inserted.length === 1;
  }

  /** Notes a sign-in with the identity, and the e-mail the provider gave this time. */
  async used(key: IdentityKey, email: string | null, now: Date): Promise<void> {
    await this.db
      .update(identities)
      .set({ lastUsedAt: now, email })
      .where(and(eq(identities.issuer, key.issuer), eq(identities.subject, key.subject)));
  }

  /** The account's identities, oldest first. */
  list(accountId: string): Promise<StoredIdentity[]> {
    return this.db.select().from(identities).where(eq(identities.accountId, accountId)).orderBy(asc(identities.createdAt), asc(identities.issuer));
  }

  /**
   * Unlinks one of the account's identities unless it is the account's last
   * way in (no password, and no other identity). The account's row is locked
   * meanwhile, so two unlinks at once cannot both take the last two.
   */
  async unlinkKeepingOne(accountId: string, key: IdentityKey): Promise<'unlinked' | 'not_found' | 'last_way_in'> {
    return this.db.transaction(async (tx) => {
      const [account] = await tx.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountId)).for('update');
      if (!account) return 'not_found';
      const linked = await tx.select({ issuer: identities.issuer, subject: identities.subject }).from(identities).where(eq(identities.accountId, accountId));
      if (!linked.some((identity) => identity.issuer === key.issuer && identity.subject === key.subject)) return 'not_found';
      if (account.passwordHash === null && linked.length === 1) return 'last_way_in';
      await tx.delete(identities).where(and(eq(identities.accountId, accountId), eq(identities.issuer, key.issuer), eq(identities.subject, key.subject)));
      return 'unlinked';
    });
  }

  /** Unlinks one of the account's identities; false when it has no such identity. */
  async unlink(accountId: string, key: IdentityKey): Promise<boolean> {
    const removed = await this.db
      .delete(identities)
      .where(and(eq(identities.accountId, accountId), eq(identities.issuer, key.issuer), eq(identities.subject, key.subject)))
      .returning({ issuer: identities.issuer });
    return removed.length === 1;
  }
}
