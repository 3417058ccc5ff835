/**
 * SessionStore on Redis, shared by every instance. A session is a hash
 * `{ v: version, d: encoded record }` (session.codec.ts) that Redis itself
 * expires (PEXPIREAT) one retention after the session does, so it answers
 * "expired" for that long, as in memory. A read is one HMGET; a transition
 * writes with a compare-and-set script on the version read (optimistic
 * concurrency: on a conflict with another instance the pure decision runs
 * again on a fresh read, a bounded number of times). Any Redis failure becomes a
 * StoreUnavailableError: the caller answers "unavailable", never guesses.
 */
import type { Redis } from 'ioredis';
import { decodeSession, encodeSession } from './session.codec.js';
import type { SessionRecord } from './session.record.js';
import { SessionStore, StoreUnavailableError, type Transition, type Versioned } from './session.store.js';

const INSERT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 'd', ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1`;

const SWAP = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'd', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1`;

/** Conflicting writers each get this many fresh reads before the store gives up (a session has few writers). */
const MAX_ATTEMPTS = 16;

type ScriptedRedis = Redis & {
  sessionInsert(key: string, value: string, expireAt: number): Promise<number>;
  sessionSwap(key: string, version: string, value: string, expireAt: number): Promise<number>;
};

export class RedisSessionStore extends SessionStore {
  private readonly redis: ScriptedRedis;
  /** The last pending transition per session id, in this process. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    redis: Redis,
    private readonly retentionMs: number,
  ) {
    super();
    redis.defineCommand('sessionInsert', { numberOfKeys: 1, lua: INSERT });
    redis.defineCommand('sessionSwap', { numberOfKeys: 1, lua: SWAP });
    this.redis = redis as ScriptedRedis;
  }

  async insert(id: string, record: SessionRecord): Promise<boolean> {
    // Ids are 144 random bits: an existing key means a bug, and is refused rather than overwritten.
    return (await unavailableOnError(this.redis.sessionInsert(key(id), encodeSession(record), this.keepUntil(record)))) === 1;
  }

  async read(id: string): Promise<Versioned | undefined> {
    const [version, data] = await unavailableOnError(this.redis.hmget(key(id), 'v', 'd'));
    if (!data || !version) return undefined;
    return { record: decodeSession(data), version: Number(version) };
  }

  /**
   * Transitions of one session within this process run one after the other,
   * so only writers on other instances can conflict (a few, not hundreds).
   */
  transition<T>(id: string, decide: (record: SessionRecord | undefined) => Transition<T>, from?: Versioned): Promise<T> {
    const previous = this.queues.get(id);
    const run = previous ? previous.then(() => this.write(id, decide)) : this.write(id, decide, from);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return run;
  }

  private async write<T>(id: string, decide: (record: SessionRecord | undefined) => Transition<T>, from?: Versioned): Promise<T> {
    let current = from ?? (await this.read(id));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { next, result } = decide(current?.record);
      if (!next) return result;
      const value = encodeSession(next);
      const written = current
        ? await unavailableOnError(this.redis.sessionSwap(key(id), String(current.version), value, this.keepUntil(next)))
        : await unavailableOnError(this.redis.sessionInsert(key(id), value, this.keepUntil(next)));
      if (written === 1) return result;
      current = await this.read(id);
    }
    throw new StoreUnavailableError(`Session ${id.slice(0, 9)}… changed ${MAX_ATTEMPTS} times during one step`);
  }

  async size(): Promise<number | undefined> {
    return undefined;
  }

  async ping(): Promise<void> {
    await unavailableOnError(this.redis.ping());
  }

  private keepUntil(record: SessionRecord): number {
    return record.expiresAt + this.retentionMs;
  }
}

const key = (id: string): string => `session:${id}`;

/** Redis errors (connection lost, offline, command timeout) as the store's one failure. */
export async function unavailableOnError<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    throw new StoreUnavailableError(`Redis: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
