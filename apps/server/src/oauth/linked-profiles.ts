/**
 * Which household profile a person chose when they linked an account to one
 * app: remembered by the hosted page's sign-in, read by tools acting with that
 * app's token. Kept with account linking's other state (memory or Redis) for a
 * year, keyed by a hash of (account, app) so no two pairs share an entry.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OAuthStorage } from './oauth-storage.js';

const MODEL = 'LinkedProfile';
const YEAR_SECONDS = 365 * 24 * 3600;

const keyOf = (accountId: string, clientId: string): string => createHash('sha256').update(JSON.stringify([accountId, clientId])).digest('base64url');

@Injectable()
export class LinkedProfiles {
  constructor(private readonly storage: OAuthStorage) {}

  async remember(accountId: string, clientId: string, profile: string | null): Promise<void> {
    await this.storage.adapterFor(MODEL).upsert(keyOf(accountId, clientId), { profile }, YEAR_SECONDS);
  }

  async forget(accountId: string, clientId: string): Promise<void> {
    await this.storage.adapterFor(MODEL).destroy(keyOf(accountId, clientId));
  }

  /** The profile chosen, or null (none chosen, or nothing remembered). */
  async find(accountId: string, clientId: string): Promise<string | null> {
    const stored = await this.storage.adapterFor(MODEL).find(keyOf(accountId, clientId));
    return typeof stored?.['profile'] === 'string' ? stored['profile'] : null;
  }
}
