/**
 * The apps an account linked: what the account page lists and revokes.
 * Consent records each grant (who, to which app, for which redirect URI, as
 * the consent screen named the app); each token the app receives marks it
 * used. Kept with account linking's other state (memory or Redis), in one
 * table per account under a hash of its id, for a year after the last write,
 * as long as grants live.
 *
 * Revoking an app ends it at once: its grants, and every access and refresh
 * token under them, go; the consent and the profile chosen for it are
 * forgotten, so linking it again shows the consent screen.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ConnectedApp } from '@target-auth/shared/account';
import type { LinkingClient } from '@target-auth/shared/linking';
import { Consents } from './consents.js';
import { LinkedProfiles } from './linked-profiles.js';
import { OAuthStorage } from './oauth-storage.js';

const YEAR_SECONDS = 365 * 24 * 3600;

/** What an app may do, by scope, in the consent screen's words; `openid` says nothing more, any other scope is shown as it is. */
const ACCESS: Readonly<Record<string, string[]>> = {
  'account:read': ['See your name and e-mail address'],
  openid: [],
};

/** One grant, as consent recorded it. */
export interface GrantRecord {
  grantId: string;
  clientId: string;
  redirectUri: string;
  client: LinkingClient;
  scopes: string[];
  linkedAt: number;
}

const tableOf = (accountId: string): string => `apps:${createHash('sha256').update(accountId).digest('base64url')}`;
const GRANT = 'grant:';
const USED = 'used:';

@Injectable()
export class ConnectedApps {
  constructor(
    private readonly storage: OAuthStorage,
    private readonly consents: Consents,
    private readonly profiles: LinkedProfiles,
  ) {}

  /** After consent: this account allowed this app, under this grant. */
  async remember(accountId: string, grant: GrantRecord): Promise<void> {
    await this.storage.tablePut(tableOf(accountId), `${GRANT}${grant.grantId}`, JSON.stringify(grant), YEAR_SECONDS);
  }

  /** The app received a token under this grant. */
  async used(accountId: string, grantId: string, at: number): Promise<void> {
    await this.storage.tablePut(tableOf(accountId), `${USED}${grantId}`, String(at), YEAR_SECONDS);
  }

  /** Every app that can still act for the account, the most recently linked first. */
  async list(accountId: string): Promise<ConnectedApp[]> {
    const byClient = new Map<string, ConnectedApp>();
    const { grants, used } = await this.read(accountId);
    for (const grant of grants.toSorted((a, b) => a.linkedAt - b.linkedAt)) {
      const lastUsed = used.get(grant.grantId) ?? null;
      const known = byClient.get(grant.clientId);
      byClient.set(grant.clientId, {
        clientId: grant.clientId,
        client: grant.client,
        access: [...new Set([...(known?.access ?? []), ...grant.scopes.flatMap((scope) => ACCESS[scope] ?? [scope])])],
        linkedAt: grant.linkedAt,
        lastUsedAt: Math.max(known?.lastUsedAt ?? 0, lastUsed ?? 0) || null,
      });
    }
    return [...byClient.values()].sort((a, b) => b.linkedAt - a.linkedAt);
  }

  /** Ends the app's access for this account at once; false when it had none. */
  async revoke(accountId: string, clientId: string): Promise<boolean> {
    const grants = (await this.read(accountId)).grants.filter((grant) => grant.clientId === clientId);
    if (grants.length === 0) return false;
    const adapter = this.storage.adapterFor('Grant');
    for (const { grantId, redirectUri } of grants) {
      await adapter.revokeByGrantId(grantId);
      await adapter.destroy(grantId);
      await this.consents.forget({ accountId, clientId, redirectUri });
    }
    await this.profiles.forget(accountId, clientId);
    await this.storage.tableDelete(
      tableOf(accountId),
      grants.flatMap(({ grantId }) => [`${GRANT}${grantId}`, `${USED}${grantId}`]),
    );
    return true;
  }

  /** The grants recorded that still exist (the rest are dropped from the table), and when each was last used. */
  private async read(accountId: string): Promise<{ grants: GrantRecord[]; used: Map<string, number> }> {
    const table = await this.storage.tableRead(tableOf(accountId));
    const grants: GrantRecord[] = [];
    const used = new Map<string, number>();
    const gone: string[] = [];
    const adapter = this.storage.adapterFor('Grant');
    for (const [member, value] of table) {
      if (member.startsWith(USED)) {
        used.set(member.slice(USED.length), Number(value));
        continue;
      }
      const grant = parseGrant(value);
      if (grant && (await adapter.find(grant.grantId))) grants.push(grant);
      else gone.push(member, `${USED}${member.slice(GRANT.length)}`);
    }
    await this.storage.tableDelete(tableOf(accountId), gone);
    return { grants, used };
  }
}

function parseGrant(value: string): GrantRecord | undefined {
  let parsed: Partial<GrantRecord> | null = null;
  try {
    parsed = JSON.parse(value) as Partial<GrantRecord> | null;
  } catch {
    // Not written by this class: dropped with the rest.
  }
  return typeof parsed?.grantId === 'string' && typeof parsed.clientId === 'string' ? (parsed as GrantRecord) : undefined;
}
