/**
 * The accounts database, as Drizzle tables. Migrations in ../../../drizzle are
 * generated from this file (`pnpm --filter @target-auth/server db:generate`)
 * and applied at start; the same schema serves PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const ACCOUNT_STATUSES = ['active', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As the person typed it; unique without regard to case. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id PHC string (parameters included). */
    passwordHash: text('password_hash').notNull(),
    status: text('status', { enum: ACCOUNT_STATUSES }).notNull().default('active'),
    /** The TOTP secret sealed with AES-256-GCM under a key derived from SECRET_KEY; null when TOTP is off. */
    totpSecret: text('totp_secret'),
    /** The last TOTP time step accepted: a code is good once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('accounts_email_lower_key').on(sql`lower(${table.email})`),
    check('accounts_status_check', sql`${table.status} in ('active', 'disabled')`),
  ],
);

/** The people who share an account (a household); every account has at least one. */
export const profiles = pgTable(
  'profiles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Order shown in the picker. */
    position: integer('position').notNull(),
    ...timestamps,
  },
  (table) => [
    index('profiles_account_idx').on(table.accountId),
    uniqueIndex('profiles_account_name_key').on(table.accountId, sql`lower(${table.name})`),
  ],
);

export const schema = { accounts, profiles };
