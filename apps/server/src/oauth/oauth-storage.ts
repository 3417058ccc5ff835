/**
 * Where the authorization server keeps its state (grants, codes, tokens,
 * refresh-token families, sessions, interactions, registered clients): in
 * memory by default, on Redis with REDIS_URL, the same choice as sign-ins.
 * Both implement oidc-provider's adapter contract: `upsert` with a lifetime
 * in seconds, `find`, `consume` (marks a code or refresh token used, keeping
 * the first time), `destroy`, `findByUid` (sessions) and `revokeByGrantId`
 * (everything issued under one grant goes at once: a revoked family).
 *
 * One rule of ours on top: a rotated refresh token presented again within
 * REFRESH_REUSE_GRACE_S of its rotation reads as unused, so that a client whose
 * network dropped the answer gets the same successor (refresh-grace.ts, which
 * decides with `claimOnce`); later, oidc-provider sees it used and revokes the
 * whole grant. Every failure of the store is a StoreUnavailableError.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Redis } from 'ioredis';
import { unavailableOnError as guarded } from '../common/store-unavailable.js';

/** How long after rotation a refresh token may still be retried. */
export const REFRESH_REUSE_GRACE_S = 10;

/** Models whose entries belong to a grant (revoked with it). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

interface Stored {
  payload: AdapterPayload;
  /** Epoch seconds of the first `consume`, if any. */
  consumed?: number;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export abstract class OAuthStorage {
  /** `graceSeconds`: how long a rotated refresh token may be retried (REFRESH_REUSE_GRACE_S unless a test says otherwise). */
  constructor(readonly graceSeconds = REFRESH_REUSE_GRACE_S) {}

  /** oidc-provider's `adapter` setting. */
  readonly adapterFor = (model: string): Adapter => this.adapter(model);

  protected abstract adapter(model: string): Adapter;

  /** True for the first caller to claim `key` within `seconds`, false for every other (atomic across instances). */
  abstract claimOnce(key: string, seconds: number): Promise<boolean>;

  /**
   * Sets one member of a small named table (an account's connected apps),
   * each write keeping the whole table for `seconds` more. Members are
   * written one by one, so two writers never lose each other's.
   */
  abstract tablePut(table: string, member: string, value: string, seconds: number): Promise<void>;

  /** Every member of a table; empty when there is none. */
  abstract tableRead(table: string): Promise<Map<string, string>>;

  abstract tableDelete(table: string, members: readonly string[]): Promise<void>;

  /** A stored entry as oidc-provider sees it: `consumed` hidden while a rotated refresh token is in its grace. */
  protected present(model: string, stored: Stored | undefined): AdapterPayload | undefined {
    if (!stored) return undefined;
    const { consumed } = stored;
    if (consumed === undefined) return stored.payload;
    if (model === 'RefreshToken' && nowSeconds() - consumed < this.graceSeconds) return stored.payload;
    return { ...stored.payload, consumed };
  }

  /** Frees timers (memory) or nothing (Redis: the connection is the app's). */
  close(): void {}
}

interface MemoryEntry extends Stored {
  /** Epoch ms; Infinity when the entry has no lifetime (registered clients). */
  expiresAt: number;
  grantId?: string;
  uid?: string;
}

/** One process's state: lost on restart, not shared between instances. */
export class MemoryOAuthStorage extends OAuthStorage {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly grants = new Map<string, Set<string>>();
  private readonly uids = new Map<string, string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(graceSeconds?: number, sweepEveryMs = 60_000) {
    super(graceSeconds);
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  override close(): void {
    clearInterval(this.sweeper);
  }

  private readonly claims = new Map<string, number>();
  private readonly tables = new Map<string, { members: Map<string, string>; expiresAt: number }>();

  async tablePut(table: string, member: string, value: string, seconds: number): Promise<void> {
    const members = this.liveTable(table)?.members ?? new Map<string, string>();
    this.tables.set(table, { members: members.set(member, value), expiresAt: Date.now() + seconds * 1000 });
  }

  async tableRead(table: string): Promise<Map<string, string>> {
    return new Map(this.liveTable(table)?.members);
  }

  async tableDelete(table: string, members: readonly string[]): Promise<void> {
    const live = this.liveTable(table);
    for (const member of members) live?.members.delete(member);
    if (live?.members.size === 0) this.tables.delete(table);
  }

  private liveTable(table: string) {
    const found = this.tables.get(table);
    if (found && found.expiresAt <= Date.now()) this.tables.delete(table);
    return this.tables.get(table);
  }

  async claimOnce(key: string, seconds: number): Promise<boolean> {
    const now = Date.now();
    const held = this.claims.get(key);
    if (held !== undefined && held > now) return false;
    this.claims.set(key, now + seconds * 1000);
    return true;
  }

  protected adapter(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const read = (id: string): MemoryEntry | undefined => {
      const entry = this.entries.get(key(id));
      if (entry && entry.expiresAt <= Date.now()) {
        this.remove(key(id));
        return undefined;
      }
      return entry;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        this.remove(key(id));
        const entry: MemoryEntry = { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity };
        if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
          entry.grantId = payload.grantId;
          const members = this.grants.get(payload.grantId) ?? new Set();
          this.grants.set(payload.grantId, members.add(key(id)));
        }
        if (model === 'Session' && typeof payload.uid === 'string') {
          entry.uid = payload.uid;
          this.uids.set(payload.uid, id);
        }
        this.entries.set(key(id), entry);
      },
      find: async (id) => this.present(model, read(id)),
      findByUid: async (uid) => {
        const id = this.uids.get(uid);
        return id === undefined ? undefined : this.present(model, read(id));
      },
      findByUserCode: async () => undefined,
      consume: async (id) => {
        const entry = read(id);
        if (entry) entry.consumed ??= nowSeconds();
      },
      destroy: async (id) => this.remove(key(id)),
      revokeByGrantId: async (grantId) => {
        for (const member of this.grants.get(grantId) ?? []) this.remove(member);
        this.grants.delete(grantId);
      },
    };
  }

  /** Entries held, for tests and metrics. */
  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    if (entry.grantId) {
      const members = this.grants.get(entry.grantId);
      members?.delete(key);
      if (members?.size === 0) this.grants.delete(entry.grantId);
    }
    if (entry.uid && this.uids.get(entry.uid) === key.slice(key.indexOf(':') + 1)) this.uids.delete(entry.uid);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.remove(key);
    for (const [key, until] of this.claims) if (until <= now) this.claims.delete(key);
    for (const [key, table] of this.tables) if (table.expiresAt <= now) this.tables.delete(key);
  }
}

/**
 * Shared by every instance. Each entry is a hash (`payload`, `consumed`) so
 * `consume` is one HSETNX that keeps the first time and the entry's expiry; a
 * grant's members are a set that lives as long as its longest member.
 */
const CONSUME = "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) end";

/**
 * Adds an entry (ARGV[1]) to its grant's set (KEYS[1]) and makes the set outlive it: a new set takes the
 * entry's lifetime (ARGV[2] seconds), an existing one is only ever lengthened (`GT`: a set without expiry
 * counts as endless), and an entry without a lifetime (ARGV[2] empty) makes the set endless. `GT` alone
 * would never give a new set an expiry at all.
 */
const JOIN_GRANT = `
local fresh = redis.call('EXISTS', KEYS[1]) == 0
redis.call('SADD', KEYS[1], ARGV[1])
if ARGV[2] == '' then redis.call('PERSIST', KEYS[1])
elseif fresh then redis.call('EXPIRE', KEYS[1], ARGV[2])
else redis.call('EXPIRE', KEYS[1], ARGV[2], 'GT') end`;

export class RedisOAuthStorage extends OAuthStorage {
  constructor(
    private readonly redis: Redis,
    graceSeconds?: number,
  ) {
    super(graceSeconds);
  }

  async claimOnce(key: string, seconds: number): Promise<boolean> {
    return (await guarded(this.redis.set(`oauth:claim:${key}`, '1', 'EX', seconds, 'NX'))) === 'OK';
  }

  async tablePut(table: string, member: string, value: string, seconds: number): Promise<void> {
    const key = `oauth:table:${table}`;
    await guarded(this.redis.multi().hset(key, member, value).expire(key, seconds).exec());
  }

  async tableRead(table: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await guarded(this.redis.hgetall(`oauth:table:${table}`))));
  }

  async tableDelete(table: string, members: readonly string[]): Promise<void> {
    if (members.length > 0) await guarded(this.redis.hdel(`oauth:table:${table}`, ...members));
  }

  protected adapter(model: string): Adapter {
    const adapter = this.redisAdapter(model);
    // Every failure of Redis is the store's, said as such (so /token answers 503, not 500).
    return Object.fromEntries(Object.entries(adapter).map(([name, method]) => [name, (...args: never[]) => guarded((method as (...a: never[]) => Promise<unknown>)(...args))])) as unknown as Adapter;
  }

  private redisAdapter(model: string): Adapter {
    const { redis } = this;
    const key = (id: string) => `oauth:${model}:${id}`;
    const grantKey = (grantId: string) => `oauth:grant:${grantId}`;
    const uidKey = (uid: string) => `oauth:uid:${uid}`;
    const read = async (id: string): Promise<AdapterPayload | undefined> => {
      const [payload, consumed] = await redis.hmget(key(id), 'payload', 'consumed');
      if (payload === null || payload === undefined) return undefined;
      return this.present(model, { payload: JSON.parse(payload) as AdapterPayload, ...(typeof consumed === 'string' && { consumed: Number(consumed) }) });
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        const multi = redis.multi().del(key(id)).hset(key(id), 'payload', JSON.stringify(payload));
        if (expiresIn) multi.expire(key(id), expiresIn);
        if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
          // As for the entry itself, a lifetime of 0 or none means none.
          multi.eval(JOIN_GRANT, 1, grantKey(payload.grantId), key(id), expiresIn || '');
        }
        if (model === 'Session' && typeof payload.uid === 'string') {
          if (expiresIn) multi.set(uidKey(payload.uid), id, 'EX', expiresIn);
          else multi.set(uidKey(payload.uid), id);
        }
        await multi.exec();
      },
      find: read,
      findByUid: async (uid) => {
        const id = await redis.get(uidKey(uid));
        return id === null ? undefined : read(id);
      },
      findByUserCode: async () => undefined,
      consume: async (id) => {
        // Only an entry that exists is marked (HSETNX alone would create one without a lifetime).
        await redis.eval(CONSUME, 1, key(id), nowSeconds());
      },
      destroy: async (id) => {
        await redis.del(key(id));
      },
      revokeByGrantId: async (grantId) => {
        const members = await redis.smembers(grantKey(grantId));
        await redis.del(grantKey(grantId), ...members);
      },
    };
  }
}
