/**
 * Storage behind SessionService. The in-memory store (memory-session.store.ts)
 * is the default; a shared store (Redis) implements the same contract.
 */
import type { SessionRecord } from './session.record.js';

/** What a transition decides: the record to keep (or none to leave it as is) and a result. */
export interface Transition<T> {
  next?: SessionRecord;
  result: T;
}

export abstract class SessionStore {
  /**
   * Adds a new session. A full store evicts the oldest session still at the
   * credentials step (never-opened ones first); it returns false only when
   * every held session is past credentials.
   */
  abstract insert(id: string, record: SessionRecord): Promise<boolean>;

  /** The record, expired or not, or undefined when unknown (or long purged). */
  abstract get(id: string): Promise<SessionRecord | undefined>;

  /**
   * Reads, decides and writes one session as a single atomic step, so that
   * concurrent code submissions cannot both succeed or lose an attempt.
   */
  abstract transition<T>(id: string, decide: (record: SessionRecord | undefined) => Transition<T>): Promise<T>;

  /** Sessions currently held (expired ones included until purged). */
  abstract size(): Promise<number>;
}
