/**
 * In-process SessionStore. Sessions are spread over 64 Maps by a random
 * character of their id; each Map stays in expiry order (every write that
 * extends a session moves it to the end), so the sweeper only looks at each
 * front and stops at the first live entry. Expired sessions are kept for
 * `retentionMs` more so they answer "expired" rather than "unknown", then purged
 * in small slices. A store full of live sessions evicts the oldest ones that
 * never got past the credentials step (evictOne) before refusing. Small Maps matter: V8 rehashes a Map in one step when it
 * shrinks, which for one Map of a million entries stalled the loop ~50 ms.
 */
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { SessionRecord } from './session.record.js';
import { SessionStore, type Transition, type Versioned } from './session.store.js';

export interface MemoryStoreOptions {
  maxSessions: number;
  /** How long an expired session is still reported as expired. */
  retentionMs: number;
  /** How often the sweeper runs. */
  sweepEveryMs: number;
  /** Entries purged per slice before yielding to other work. */
  sliceSize?: number;
}

const SHARDS = 64;
/** How far into each shard's front a full store looks for a session it may evict. */
const EVICTION_SCAN = 32;

/**
 * Who makes room in a full store, in order: sessions nobody opened, then sessions still waiting for
 * credentials or away at an upstream provider (which proves nothing until it comes back).
 */
const EVICTION_TIERS: ((record: SessionRecord) => boolean)[] = [
  (record) => record.step === 'credentials' && !record.opened,
  (record) => record.step === 'credentials' || record.step === 'upstream',
];

@Injectable()
export class MemorySessionStore extends SessionStore implements OnModuleInit, OnModuleDestroy {
  readonly kind = 'memory';
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<string, SessionRecord>());
  private count = 0;
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
    if (this.count >= this.options.maxSessions) {
      this.purgeFront(this.clock.now(), this.options.sliceSize ?? 1000);
      if (this.count >= this.options.maxSessions && !this.evictOne()) return false;
    }
    const shard = this.shardOf(id);
    if (!shard.has(id)) this.count++;
    shard.set(id, record);
    return true;
  }

  override async get(id: string): Promise<SessionRecord | undefined> {
    return this.shardOf(id).get(id);
  }

  /** Transitions here are atomic by construction (one synchronous step), so versions are not needed. */
  async read(id: string): Promise<Versioned | undefined> {
    const record = this.shardOf(id).get(id);
    return record && { record, version: 0 };
  }

  async ping(): Promise<void> {}

  async transition<T>(id: string, decide: (record: SessionRecord | undefined) => Transition<T>): Promise<T> {
    const shard = this.shardOf(id);
    const current = shard.get(id);
    const { next, result } = decide(current);
    if (next) {
      if (!current) this.count++;
      else if (next.expiresAt !== current.expiresAt) shard.delete(id);
      shard.set(id, next);
    }
    return result;
  }

  async size(): Promise<number> {
    return this.count;
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

  /**
   * Makes room for one session when the store is full of live ones: the oldest
   * session nobody has opened yet, else the oldest still at the credentials
   * step. Sessions past credentials are never evicted. Each shard's front holds
   * its oldest sessions, so a bounded look at every front finds the candidate.
   */
  private evictOne(): boolean {
    for (const evictable of EVICTION_TIERS) {
      let oldest: { shard: Map<string, SessionRecord>; id: string; expiresAt: number } | undefined;
      for (const shard of this.shards) {
        let looked = 0;
        for (const [id, record] of shard) {
          if (evictable(record)) {
            if (!oldest || record.expiresAt < oldest.expiresAt) oldest = { shard, id, expiresAt: record.expiresAt };
            break;
          }
          if (++looked >= EVICTION_SCAN) break;
        }
      }
      if (oldest) {
        oldest.shard.delete(oldest.id);
        this.count--;
        return true;
      }
    }
    return false;
  }

  private shardOf(id: string): Map<string, SessionRecord> {
    return this.shards[id.charCodeAt(id.length - 1) & (SHARDS - 1)]!;
  }

  /** Purges up to `limit` sessions expired longer than the retention, from the front of each shard. */
  private purgeFront(now: number, limit: number): number {
    const cutoff = now - this.options.retentionMs;
    let purged = 0;
    shards: for (const shard of this.shards) {
      for (const [id, record] of shard) {
        if (purged >= limit) break shards;
        if (record.expiresAt > cutoff) break;
        shard.delete(id);
        purged++;
      }
    }
    this.count -= purged;
    return purged;
  }
}
