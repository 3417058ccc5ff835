/**
 * The accounts table and its profiles, over Drizzle. Only this file writes SQL;
 * e-mail lookups ignore case (the unique index is on lower(email)).
 */
import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { AccountStatus } from './schema.js';
import { accounts, profiles } from './schema.js';
import type { Db } from './database.js';

export interface StoredProfile {
  id: string;
  name: string;
}

export interface StoredAccount {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  status: AccountStatus;
  totpSecret: string | null;
  createdAt: Date;
}

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
  createdAt: accounts.createdAt,
};

const byEmail = (email: string) => eq(sql`lower(${accounts.email})`, email.trim().toLowerCase());

export class AccountStore {
  constructor(private readonly db: Db) {}

  /** Adds an account with one profile named after it. */
  async create(input: { email: string; displayName: string; passwordHash: string }): Promise<StoredAccount> {
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

  /** True when the account exists. */
  async setStatus(id: string, status: AccountStatus): Promise<boolean> {
    return this.update(id, { status });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    return this.update(id, { passwordHash });
  }

  /** Stores a sealed TOTP secret (null turns TOTP off); the accepted-step marker starts over. */
  async setTotpSecret(id: string, sealedSecret: string | null): Promise<boolean> {
    return this.update(id, { totpSecret: sealedSecret, totpLastStep: null });
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
