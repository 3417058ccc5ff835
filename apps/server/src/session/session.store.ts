/**
 * Storage behind SessionService: in memory by default (memory-session.store.ts),
 * on Redis with REDIS_URL (redis-session.store.ts) so that several instances
 * share the sign-ins. Both pass the same contract suite (session.store.contract.ts).
 */
import type { SessionRecord } from './session.record.js';

/** What a transition decides: the record to keep (or none to leave it as is) and a result. */
export interface Transition<T> {
  next?: SessionRecord;
  result: T;
}

/** A record as read, with the version a later write must still find (optimistic concurrency). */
export interface Versioned {
  record: SessionRecord;
  version: number;
}


export abstract class SessionStore {
  /** Where sessions live: this process's memory, or Redis (shared by instances). */
  abstract readonly kind: 'memory' | 'redis';

  /**
   * Adds a new session. A full store evicts the oldest session still at the
   * credentials step (never-opened ones first); it returns false only when
   * every held session is past credentials.
   */
  abstract insert(id: string, record: SessionRecord): Promise<boolean>;

  /** The record and its version, expired or not, or undefined when unknown (or long purged). One round trip. */
  abstract read(id: string): Promise<Versioned | undefined>;

  /** The record alone, as `read`. */
  async get(id: string): Promise<SessionRecord | undefined> {
    return (await this.read(id))?.record;
  }

  /**
   * Reads, decides and writes one session as a single atomic step, so that
   * concurrent code submissions cannot both succeed or lose an attempt.
   * `decide` must be pure: a shared store may run it again after a conflict.
   * `from`, a record just read, spares the first read.
   */
  abstract transition<T>(id: string, decide: (record: SessionRecord | undefined) => Transition<T>, from?: Versioned): Promise<T>;

  /** Sessions currently held (expired ones included until purged). */
  abstract size(): Promise<number>;

  /** Resolves when the store answers (readiness); throws `StoreUnavailableError` otherwise. */
  abstract ping(): Promise<void>;
}
