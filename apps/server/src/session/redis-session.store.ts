/**
 * SessionStore on Redis, shared by every instance, bounded like the memory
 * store (see the scripts). A session is a hash
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
import { SessionStore, type Transition, type Versioned } from './session.store.js';
import { StoreUnavailableError, unavailableOnError } from '../common/store-unavailable.js';

/*
 * Every script takes KEYS = [the session, the index of all sessions, of those
 * at credentials never opened, of those at credentials opened]; each index is
 * a sorted set of ids scored by the time Redis drops the session, pruned as
 * it goes. They bound the store (MAX_SESSIONS) the way the memory store is
 * bounded: a full store evicts the oldest never-opened sign-in, then the
 * oldest still at credentials, and never one past credentials.
 */
const INSERT = `
local now = tonumber(ARGV[3])
for i = 2, 4 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now) end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  local victim = redis.call('ZRANGE', KEYS[3], 0, 0)[1] or redis.call('ZRANGE', KEYS[4], 0, 0)[1]
  if not victim then return 0 end
  redis.call('DEL', ARGV[6] .. victim)
  for i = 2, 4 do redis.call('ZREM', KEYS[i], victim) end
end
redis.call('HSET', KEYS[1], 'v', 1, 'd', ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
if ARGV[7] == 'fresh' then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
elseif ARGV[7] == 'waiting' then redis.call('ZADD', KEYS[4], ARGV[2], ARGV[5]) end
return 1`;

const SWAP = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'd', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('ZREM', KEYS[4], ARGV[4])
if ARGV[5] == 'fresh' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
elseif ARGV[5] == 'waiting' then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4]) end
return 1`;

const INDEXES = ['sessions:all', 'sessions:fresh', 'sessions:waiting'] as const;

/** Conflicting writers each get this many fresh reads before the store gives up (a session has few writers). */
const MAX_ATTEMPTS = 16;

type Keys = [string, string, string, string];
type ScriptedRedis = Redis & {
  sessionInsert(...args: [...Keys, value: string, keepUntil: number, now: number, max: number, id: string, sessionKeyPrefix: string, tier: Tier]): Promise<number>;
  sessionSwap(...args: [...Keys, version: string, value: string, keepUntil: number, id: string, tier: Tier]): Promise<number>;
};
type Tier = 'fresh' | 'waiting' | 'none';

/**
 * Which eviction tier a record belongs to (see the scripts above). A sign-in
 * away at an upstream provider has proven nothing yet (beginning one costs a
 * stranger nothing): it goes with the opened ones waiting for credentials.
 */
const tierOf = (record: SessionRecord): Tier => {
  if (record.step === 'upstream') return 'waiting';
  if (record.step !== 'credentials') return 'none';
  return record.opened ? 'waiting' : 'fresh';
};

export class RedisSessionStore extends SessionStore {
  readonly kind = 'redis';
  private readonly redis: ScriptedRedis;
  /** The last pending transition per session id, in this process. */
  private readonly queues = new Map<string, Promise<void>>();

  private readonly sessionKeyPrefix: string;

  constructor(
    redis: Redis,
    private readonly options: { retentionMs: number; maxSessions: number },
  ) {
    super();
    redis.defineCommand('sessionInsert', { numberOfKeys: 4, lua: INSERT });
    redis.defineCommand('sessionSwap', { numberOfKeys: 4, lua: SWAP });
    this.redis = redis as ScriptedRedis;
    // Scripts name other sessions' keys themselves, so they need the client's prefix.
    this.sessionKeyPrefix = `${redis.options.keyPrefix ?? ''}session:`;
  }

  async insert(id: string, record: SessionRecord): Promise<boolean> {
    // Ids are 144 random bits: an existing key means a bug, and is refused rather than overwritten.
    return (await unavailableOnError(this.insertScript(id, record, this.options.maxSessions))) === 1;
  }

  async read(id: string): Promise<Versioned | undefined> {
    const [version, data] = await unavailableOnError(this.redis.hmget(keys(id)[0], 'v', 'd'));
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
        ? await unavailableOnError(this.redis.sessionSwap(...keys(id), String(current.version), value, this.keepUntil(next), id, tierOf(next)))
        : await unavailableOnError(this.insertScript(id, next, Number.MAX_SAFE_INTEGER));
      if (written === 1) return result;
      current = await this.read(id);
    }
    throw new StoreUnavailableError(`Session ${id.slice(0, 9)}… changed ${MAX_ATTEMPTS} times during one step`);
  }

  /** Sessions in the index (expired ones included until pruned). */
  async size(): Promise<number> {
    return unavailableOnError(this.redis.zcard(INDEXES[0]));
  }

  async ping(): Promise<void> {
    await unavailableOnError(this.redis.ping());
  }

  private insertScript(id: string, record: SessionRecord, max: number): Promise<number> {
    return this.redis.sessionInsert(...keys(id), encodeSession(record), this.keepUntil(record), Date.now(), max, id, this.sessionKeyPrefix, tierOf(record));
  }

  private keepUntil(record: SessionRecord): number {
    return record.expiresAt + this.options.retentionMs;
  }
}

const keys = (id: string): Keys => [`session:${id}`, ...INDEXES];
