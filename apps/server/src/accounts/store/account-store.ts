/**
 * The accounts table and its profiles, over Drizzle. Only this file writes SQL;
 * e-mail lookups ignore case (the unique index is on lower(email)).
 */
import { and, asc, desc, eq, gt, isNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import type { AccountStatus } from './schema.js';
import { accounts, profiles, trustedDevices } from './schema.js';
import type { Db } from './database.js';

export interface StoredProfile {
  id: string;
  name: string;
}

export interface StoredAccount {
  id: string;
  email: string;
  displayName: string;
  /** Null for an account made by an upstream sign-in that has no password yet. */
  passwordHash: string | null;
  status: AccountStatus;
  totpSecret: string | null;
  /** Epoch seconds before which sign-ins of this account no longer count (schema.ts). */
  credentialsEpoch: number;
  createdAt: Date;
}

/** What a credentials change may set besides moving the epoch on. */
export interface CredentialsChange {
  passwordHash?: string;
  status?: AccountStatus;
  /** A sealed TOTP secret, or null to turn TOTP off. */
  totpSecret?: string | null;
}

/** Trusted browsers forgotten after this long unused. */
export const TRUSTED_DEVICE_DAYS = 180;
/** At most this many trusted browsers per account: the least recently used goes first. */
export const MAX_TRUSTED_DEVICES = 20;

export interface AccountSummary {
  id: string;
  email: string;
  displayName: string;
  status: AccountStatus;
  totp: boolean;
  profiles: string[];
  createdAt: Date;
}

export class DuplicateError extends Error {
  override name = 'DuplicateError';
}

const columns = {
  id: accounts.id,
  email: accounts.email,
  displayName: accounts.displayName,
  passwordHash: accounts.passwordHash,
  status: accounts.status,
  totpSecret: accounts.totpSecret,
  credentialsEpoch: accounts.credentialsEpoch,
  createdAt: accounts.createdAt,
};

const byEmail = (email: string) => eq(sql`lower(${accounts.email})`, email.trim().toLowerCase());

export class AccountStore {
  constructor(private readonly db: Db) {}

  /** Adds an account with one profile named after it (no password: one an upstream sign-in made). */
  async create(input: { email: string; displayName: string; passwordHash: string | null }): Promise<StoredAccount> {
    try {
      return await this.db.transaction(async (tx) => {
        const [account] = await tx
          .insert(accounts)
          .values({ email: input.email.trim(), displayName: input.displayName, passwordHash: input.passwordHash })
          .returning(columns);
        await tx.insert(profiles).values({ accountId: account!.id, name: input.displayName, position: 0 });
        return account!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateError(`An account with the e-mail ${input.email} already exists.`);
      throw error;
    }
  }

  async findByEmail(email: string): Promise<StoredAccount | null> {
    const [row] = await this.db.select(columns).from(accounts).where(byEmail(email)).limit(1);
    return row ?? null;
  }

  async findById(id: string): Promise<StoredAccount | null> {
    const [row] = await this.db.select(columns).from(accounts).where(eq(accounts.id, id)).limit(1);
    return row ?? null;
  }

  /** Every account with its profile names, oldest first; no secrets. */
  async list(): Promise<AccountSummary[]> {
    const rows = await this.db
      .select({
        id: accounts.id,
        email: accounts.email,
        displayName: accounts.displayName,
        status: accounts.status,
        totp: sql<boolean>`${accounts.totpSecret} is not null`,
        createdAt: accounts.createdAt,
        profile: profiles.name,
      })
      .from(accounts)
      .leftJoin(profiles, eq(profiles.accountId, accounts.id))
      .orderBy(asc(accounts.createdAt), asc(accounts.email), asc(profiles.position));
    const summaries = new Map<string, AccountSummary>();
    for (const { profile, ...row } of rows) {
      const summary = summaries.get(row.id) ?? { ...row, totp: Boolean(row.totp), profiles: [] };
      if (profile !== null) summary.profiles.push(profile);
      summaries.set(row.id, summary);
    }
    return [...summaries.values()];
  }

  /**
   * Changes what signs the account in (password, status, authenticator) and
   * moves its credentials epoch on: to the second after `now`, or one past the
   * last, whichever is later. Every sign-in made before, even within the same
   * second, no longer counts (sign-ins after it count from the epoch, see
   * interaction.controller.ts). Trusted browsers are forgotten, except
   * `keepDevice` (the one making the change). The new epoch, or null for an
   * unknown account.
   */
  async changeCredentials(id: string, change: CredentialsChange, now: Date, keepDevice?: string): Promise<number | null> {
    const notBefore = Math.floor(now.getTime() / 1000) + 1;
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(accounts)
        .set({
          ...change,
          ...('totpSecret' in change && { totpLastStep: null }),
          credentialsEpoch: sql`greatest(${notBefore}, ${accounts.credentialsEpoch} + 1)`,
          updatedAt: new Date(),
        })
        .where(eq(accounts.id, id))
        .returning({ epoch: accounts.credentialsEpoch });
      if (!row) return null;
      const others = keepDevice === undefined ? undefined : ne(trustedDevices.deviceHash, keepDevice);
      await tx.delete(trustedDevices).where(and(eq(trustedDevices.accountId, id), others));
      return Number(row.epoch);
    });
  }

  /** After a good password checked with older hashing parameters: the same password, hashed anew (no credentials change). */
  async rehashPassword(id: string, passwordHash: string): Promise<boolean> {
    return this.update(id, { passwordHash });
  }

  /** Whether the active account with this e-mail trusts the browser whose secret hashes to `deviceHash`. */
  async isTrustedDevice(email: string, deviceHash: string, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - TRUSTED_DEVICE_DAYS * 86_400_000);
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(trustedDevices)
      .innerJoin(accounts, eq(accounts.id, trustedDevices.accountId))
      .where(and(byEmail(email), eq(accounts.status, 'active'), eq(trustedDevices.deviceHash, deviceHash), gt(trustedDevices.lastUsedAt, since)))
      .limit(1);
    return row !== undefined;
  }

  /** Trusts a browser for the account (or marks it used now), keeping the MAX_TRUSTED_DEVICES most recently used. */
  async trustDevice(accountId: string, deviceHash: string, now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .insert(trustedDevices)
        .values({ accountId, deviceHash, createdAt: now, lastUsedAt: now })
        .onConflictDoUpdate({ target: [trustedDevices.accountId, trustedDevices.deviceHash], set: { lastUsedAt: now } });
      const kept = tx
        .select({ hash: trustedDevices.deviceHash })
        .from(trustedDevices)
        .where(eq(trustedDevices.accountId, accountId))
        .orderBy(desc(trustedDevices.lastUsedAt))
        .limit(MAX_TRUSTED_DEVICES);
      await tx.delete(trustedDevices).where(and(eq(trustedDevices.accountId, accountId), notInArray(trustedDevices.deviceHash, kept)));
    });
  }

  /**
   * Records a TOTP time step as used, atomically: true only for the first
   * caller with a step later than any accepted before (a code is good once).
   */
  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    const rows = await this.db
      .update(accounts)
      .set({ totpLastStep: step })
      .where(and(eq(accounts.id, id), or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, step))))
      .returning({ id: accounts.id });
    return rows.length === 1;
  }

  async profiles(accountId: string): Promise<StoredProfile[]> {
    return this.db
      .select({ id: profiles.id, name: profiles.name })
      .from(profiles)
      .where(eq(profiles.accountId, accountId))
      .orderBy(asc(profiles.position), asc(profiles.createdAt));
  }

  async addProfile(accountId: string, name: string): Promise<StoredProfile> {
    try {
      const [profile] = await this.db
        .insert(profiles)
        .values({
          accountId,
          name,
          position: sql`(select coalesce(max(${profiles.position}), -1) + 1 from ${profiles} where ${profiles.accountId} = ${accountId})`,
        })
        .returning({ id: profiles.id, name: profiles.name });
      return profile!;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateError(`This account already has a profile named ${name}.`);
      throw error;
    }
  }

  private async update(id: string, changes: Partial<typeof accounts.$inferInsert>): Promise<boolean> {
    const rows = await this.db
      .update(accounts)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(accounts.id, id))
      .returning({ id: accounts.id });
    return rows.length === 1;
  }
}

/** PostgreSQL's unique_violation, from `pg` or PGlite (drizzle may wrap it as `cause`). */
function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error || (current && typeof current === 'object'); ) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
