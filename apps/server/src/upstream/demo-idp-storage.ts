/**
 * Where Demo ID keeps its sessions, interactions, codes and grants: this
 * process's memory, each entry until its lifetime ends, at most MAX_ENTRIES
 * in all (the oldest go first). oidc-provider's own memory adapter is not
 * public, and warns on every start that it is for development only.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

const MAX_ENTRIES = 10_000;

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export class DemoIdpStorage {
  private readonly entries = new Map<string, Entry>();

  /** oidc-provider's `adapter` setting. */
  readonly adapterFor = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const find = async (id: string): Promise<AdapterPayload | undefined> => this.read(key(id));
    const findBy = async (field: 'uid' | 'userCode', value: string): Promise<AdapterPayload | undefined> => {
      for (const [stored, entry] of this.entries) {
        if (stored.startsWith(`${model}:`) && entry.payload[field] === value) return this.read(stored);
      }
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => this.write(key(id), payload, expiresIn),
      find,
      findByUid: (uid) => findBy('uid', uid),
      findByUserCode: (userCode) => findBy('userCode', userCode),
      consume: async (id) => {
        const entry = this.entries.get(key(id));
        if (entry) entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
      },
      destroy: async (id) => void this.entries.delete(key(id)),
      revokeByGrantId: async (grantId) => {
        for (const [stored, entry] of this.entries) if (entry.payload.grantId === grantId) this.entries.delete(stored);
      },
    };
  };

  private read(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  }

  private write(key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    this.entries.delete(key);
    // Everything Demo ID stores has a lifetime; anything that did not would last the process.
    this.entries.set(key, { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
