/**
 * Where Demo ID keeps its sessions, interactions, codes and grants: this
 * process's memory, each entry until its lifetime ends, at most 10,000
 * in all (the oldest go first). oidc-provider's own memory adapter is not
 * public, and warns on every start that it is for development only.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export class DemoIdpStorage {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000) {}

  /** oidc-provider's `adapter` setting. */
  readonly adapterFor = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => this.write(key(id), payload, expiresIn),
      find: async (id) => this.read(key(id)),
      findByUid: async (uid) => {
        for (const [stored, entry] of this.entries) if (stored.startsWith(`${model}:`) && entry.payload.uid === uid) return this.read(stored);
        return undefined;
      },
      // Demo ID offers no device flow.
      findByUserCode: async () => undefined,
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

  /** Entries held, expired ones not yet read included. */
  get size(): number {
    return this.entries.size;
  }

  private read(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.payload;
    this.entries.delete(key);
    return undefined;
  }

  private write(key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    this.entries.delete(key);
    // Everything Demo ID stores has a lifetime; anything that did not would last the process.
    this.entries.set(key, { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
