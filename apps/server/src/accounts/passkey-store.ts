/**
 * Where passkeys live: the accounts database in real mode (schema.ts
 * `passkeys`), this process's memory in demo mode. A use moves the signature
 * counter by compare-and-set, so two uses of one assertion cannot both count.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './store/database.js';
import { passkeys } from './store/schema.js';

export interface StoredPasskey {
  /** The credential id, base64url. */
  id: string;
  accountId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type NewPasskey = Omit<StoredPasskey, 'lastUsedAt'>;

export abstract class PasskeyStore {
  /** Adds a passkey; false, changing nothing, when its credential id is registered already. */
  abstract add(passkey: NewPasskey): Promise<boolean>;

  abstract find(id: string): Promise<StoredPasskey | null>;

  /** The account's passkeys, oldest first. */
  abstract list(accountId: string): Promise<StoredPasskey[]>;

  /** Records a use: the counter moves from `from` to `to`; false when another use moved it first. */
  abstract used(id: string, from: number, to: number, backedUp: boolean, at: number): Promise<boolean>;

  /** Renames one of the account's passkeys; false when it has no such passkey. */
  abstract rename(accountId: string, id: string, name: string): Promise<boolean>;

  /** Removes one of the account's passkeys; false when it has no such passkey. */
  abstract remove(accountId: string, id: string): Promise<boolean>;
}

/** Demo mode: this process only, at most 1,000 passkeys (the oldest go first). */
export class MemoryPasskeyStore extends PasskeyStore {
  private readonly byId = new Map<string, StoredPasskey>();

  constructor(private readonly max = 1000) {
    super();
  }

  async add(passkey: NewPasskey): Promise<boolean> {
    if (this.byId.has(passkey.id)) return false;
    this.byId.set(passkey.id, { ...passkey, lastUsedAt: null });
    if (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value!);
    return true;
  }

  async find(id: string): Promise<StoredPasskey | null> {
    const found = this.byId.get(id);
    return found ? { ...found } : null;
  }

  async list(accountId: string): Promise<StoredPasskey[]> {
    return [...this.byId.values()]
      .filter((passkey) => passkey.accountId === accountId)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((passkey) => ({ ...passkey }));
  }

  async used(id: string, from: number, to: number, backedUp: boolean, at: number): Promise<boolean> {
    const found = this.byId.get(id);
    if (found?.counter !== from) return false;
    Object.assign(found, { counter: to, backedUp, lastUsedAt: at });
    return true;
  }

  async rename(accountId: string, id: string, name: string): Promise<boolean> {
    const found = this.byId.get(id);
    if (found?.accountId !== accountId) return false;
    found.name = name;
    return true;
  }

  async remove(accountId: string, id: string): Promise<boolean> {
    return this.byId.get(id)?.accountId === accountId && this.byId.delete(id);
  }
}

/** Real mode: the accounts database. */
export class DatabasePasskeyStore extends PasskeyStore {
  constructor(private readonly db: Db) {
    super();
  }

  async add(passkey: NewPasskey): Promise<boolean> {
    const inserted = await this.db
      .insert(passkeys)
      .values({ ...passkey, transports: passkey.transports.join(','), createdAt: new Date(passkey.createdAt) })
      .onConflictDoNothing()
      .returning({ id: passkeys.id });
    return inserted.length === 1;
  }

  async find(id: string): Promise<StoredPasskey | null> {
    const [found] = await this.db.select().from(passkeys).where(eq(passkeys.id, id));
    return found ? toPasskey(found) : null;
  }

  async list(accountId: string): Promise<StoredPasskey[]> {
    const rows = await this.db.select().from(passkeys).where(eq(passkeys.accountId, accountId)).orderBy(asc(passkeys.createdAt), asc(passkeys.id));
    return rows.map(toPasskey);
  }

  async used(id: string, from: number, to: number, backedUp: boolean, at: number): Promise<boolean> {
    const moved = await this.db
      .update(passkeys)
      .set({ counter: to, backedUp, lastUsedAt: new Date(at) })
      .where(and(eq(passkeys.id, id), eq(passkeys.counter, from)))
      .returning({ id: passkeys.id });
    return moved.length === 1;
  }

  async rename(accountId: string, id: string, name: string): Promise<boolean> {
    const renamed = await this.db.update(passkeys).set({ name }).where(and(eq(passkeys.id, id), eq(passkeys.accountId, accountId))).returning({ id: passkeys.id });
    return renamed.length === 1;
  }

  async remove(accountId: string, id: string): Promise<boolean> {
    const removed = await this.db.delete(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.accountId, accountId))).returning({ id: passkeys.id });
    return removed.length === 1;
  }
}

function toPasskey(row: typeof passkeys.$inferSelect): StoredPasskey {
  return {
    id: row.id,
    accountId: row.accountId,
    publicKey: row.publicKey,
    counter: row.counter,
    transports: row.transports === '' ? [] : row.transports.split(','),
    deviceType: row.deviceType,
    backedUp: row.backedUp,
    name: row.name,
    createdAt: row.createdAt.getTime(),
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
  };
}
