/**
 * Which grant an account gave an app for one redirect URI: remembered across
 * browser sessions for a year (until revoked), so linking the same app again
 * skips the consent screen. Kept with account linking's other state (memory
 * or Redis), keyed by a hash of the three, so no two triples share an entry
 * and the key names none of them.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OAuthStorage } from './oauth-storage.js';

/** Who consented, to which app, to send the code where: consent is remembered for exactly these three. */
export interface ConsentFor {
  accountId: string;
  clientId: string;
  redirectUri: string;
}

const MODEL = 'Consent';
const YEAR_SECONDS = 365 * 24 * 3600;

const keyOf = ({ accountId, clientId, redirectUri }: ConsentFor): string =>
  createHash('sha256').update(JSON.stringify(['consent', accountId, clientId, redirectUri])).digest('base64url');

@Injectable()
export class Consents {
  constructor(private readonly storage: OAuthStorage) {}

  /** The grant given for these three, if any. */
  async find(consent: ConsentFor): Promise<string | undefined> {
    const found = await this.storage.adapterFor(MODEL).find(keyOf(consent));
    return typeof found?.['grantId'] === 'string' ? found['grantId'] : undefined;
  }

  async remember(consent: ConsentFor, grantId: string): Promise<void> {
    await this.storage.adapterFor(MODEL).upsert(keyOf(consent), { grantId }, YEAR_SECONDS);
  }

  /** The account revoked the app: linking it again asks for consent. */
  async forget(consent: ConsentFor): Promise<void> {
    await this.storage.adapterFor(MODEL).destroy(keyOf(consent));
  }
}
