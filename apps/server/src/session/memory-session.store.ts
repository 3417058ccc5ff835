/**
 * In-process SessionStore. Entries stay in a Map in expiry order (every write
 * that extends a session moves it to the end), so the sweeper only ever looks
 * at the front and stops at the first live entry. Expired sessions are kept for
 * `retentionMs` more so they answer "expired" rather than "unknown", then purged
 * in small slices that never hold the event loop for long.
 */
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock } from './clock.js';
import type { SessionRecord } from './session.record.js';
import { SessionStore, type Transition } from './session.store.js';

export interface MemoryStoreOptions {
  maxSessions: number;
  /** How long an expired session is still reported as expired. */
  retentionMs: number;
  /** How often the sweeper runs. */
  sweepEveryMs: number;
  /** Entries purged per slice before yielding to other work. */
  sliceSize?: number;
}

@Injectable()
export class MemorySessionStore extends SessionStore implements OnModuleInit, OnModuleDestroy {
  private readonly sessions = new Map<string, SessionRecord>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: MemoryStoreOptions,
  ) {
    super();
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.options.sweepEveryMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async insert(id: string, record: SessionRecord): Promise<boolean> {
    if (this.sessions.size >= this.options.maxSessions) {
      this.purgeFront(this.clock.now(), this.options.sliceSize ?? 1000);
      if (this.sessions.size >= this.options.maxSessions) return false;
    }
    this.sessions.set(id, record);
    return true;
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.sessions.get(id);
  }

  async transition<T>(id: string, decide: (record: SessionRecord | undefined) => Transition<T>): Promise<T> {
    const current = this.sessions.get(id);
    const { next, result } = decide(current);
    if (next) {
      if (current && next.expiresAt !== current.expiresAt) this.sessions.delete(id);
      this.sessions.set(id, next);
    }
    return result;
  }

  async size(): Promise<number> {
    return this.sessions.size;
  }

  /** Purges every session expired longer than the retention, a slice per macrotask. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let purged = 0;
    try {
      const slice = this.options.sliceSize ?? 1000;
      for (;;) {
        const count = this.purgeFront(this.clock.now(), slice);
        purged += count;
        if (count < slice) return purged;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.sweeping = false;
    }
  }

  private purgeFront(now: number, limit: number): number {
    const cutoff = now - this.options.retentionMs;
    let purged = 0;
    for (const [id, record] of this.sessions) {
      if (purged >= limit || record.expiresAt > cutoff) break;
      this.sessions.delete(id);
      purged++;
    }
    return purged;
  }
}
