/**
 * The accounts database, as Drizzle tables. Migrations in ../../../drizzle are
 * generated from this file (`pnpm --filter @target-auth/server db:generate`)
 * and applied at start; the same schema serves PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    /** argon2id PHC string (parameters included); null for an account made by an upstream sign-in until a password is set. */
    passwordHash: text('password_hash'),
    status: text('status', { enum: ACCOUNT_STATUSES }).notNull().default('active'),
    /** The TOTP secret sealed with AES-256-GCM under a key derived from SECRET_KEY; null when TOTP is off. */
    totpSecret: text('totp_secret'),
    /** The last TOTP time step accepted: a code is good once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /**
     * The credentials epoch, in epoch seconds: a sign-in authenticated before it
     * no longer counts (sessions, OAuth tokens). A new password, a disabled
     * account or a changed authenticator moves it forward.
     */
    credentialsEpoch: bigint('credentials_epoch', { mode: 'number' }).notNull().default(0),
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

/**
 * Browsers that signed in to an account before (OWASP's device cookie): an
 * HMAC of the secret the browser keeps, never the secret. Strangers' failed
 * passwords never slow or refuse a trusted browser (sign-in-limits.ts).
 */
export const trustedDevices = pgTable(
  'trusted_devices',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    deviceHash: text('device_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.deviceHash] })],
);

/**
 * Upstream identities (Google, Microsoft, any OpenID provider) that sign in to
 * an account, many per account. Keyed on the provider's issuer and the
 * person's subject there (Microsoft: its tenant's issuer and the object id),
 * never on an e-mail, which providers let people change.
 */
export const identities = pgTable(
  'identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The configured provider it came through (google, microsoft, or an OIDC_PROVIDERS id). */
    provider: text('provider').notNull(),
    /** What the provider called the person at the last sign-in: shown in lists, never used to find anyone. */
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.issuer, table.subject] }), index('identities_account_idx').on(table.accountId)],
);

export const PASSKEY_DEVICE_TYPES = ['singleDevice', 'multiDevice'] as const;

/**
 * Passkeys (WebAuthn credentials) an account registered on its account page:
 * a passkey signs in without a password or code. Keyed by the credential id;
 * the public key and the signature counter check each assertion.
 */
export const passkeys = pgTable(
  'passkeys',
  {
    /** The credential id, base64url. */
    id: text('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    /** The authenticator's signature counter at the last use (0 for authenticators that keep none). */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    /** How the browser reached the authenticator (usb, internal, hybrid…), comma-separated. */
    transports: text('transports').notNull().default(''),
    /** `multiDevice` for a synced passkey, `singleDevice` for one bound to its authenticator. */
    deviceType: text('device_type', { enum: PASSKEY_DEVICE_TYPES }).notNull(),
    /** Whether it is backed up (synced) now. */
    backedUp: boolean('backed_up').notNull(),
    /** The person's name for it ("MacBook", "Phone"). */
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [index('passkeys_account_idx').on(table.accountId)],
);

export const MAIL_STATUSES = ['pending', 'sending'] as const;

/**
 * Codes waiting to be mailed (mail-outbox.ts): written in the step that makes
 * the code, sent by a worker with retries, deleted once sent or given up. The
 * payload (address, purpose, code) is sealed under a key from SECRET_KEY.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    payload: text('payload').notNull(),
    status: text('status', { enum: MAIL_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** After this the code inside is no longer valid: the mail is dropped, not sent. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('mail_outbox_due_idx').on(table.status, table.nextAttemptAt),
    check('mail_outbox_status_check', sql`${table.status} in ('pending', 'sending')`),
  ],
);

export const schema = { accounts, profiles, trustedDevices, identities, passkeys, mailOutbox };
