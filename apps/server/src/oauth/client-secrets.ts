/**
 * Registered clients' secrets are random (oauth-provider.ts) and stored only
 * as an HMAC-SHA-256 under a key from SECRET_KEY (`hmac-sha256:` + base64url):
 * the stored client never holds a secret that authenticates. A secret stored
 * by an earlier release (derived, in plain text) never matches: those
 * confidential clients register again. Partner: the `compareClientSecret`
 * oauth-provider.ts installs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Adapter } from 'oidc-provider';

const PREFIX = 'hmac-sha256:';

export class ClientSecrets {
  constructor(private readonly key: Buffer) {}

  /** What is stored for a secret. */
  hash(secret: string): string {
    return `${PREFIX}${createHmac('sha256', this.key).update(secret).digest('base64url')}`;
  }

  /** Whether `actual` is the secret whose hash is `stored`, in constant time. */
  matches(stored: string | undefined, actual: string): boolean {
    if (typeof stored !== 'string' || !stored.startsWith(PREFIX) || typeof actual !== 'string') return false;
    const expected = Buffer.from(stored);
    const given = Buffer.from(this.hash(actual));
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** oidc-provider's `adapter` setting around `adapterFor`: a client's secret is replaced by its hash on the way in. */
  adapters(adapterFor: (model: string) => Adapter): (model: string) => Adapter {
    return (model) => {
      const adapter = adapterFor(model);
      if (model !== 'Client') return adapter;
      return new Proxy(adapter, {
        get: (target, property, receiver) => {
          if (property !== 'upsert') return Reflect.get(target, property, receiver) as unknown;
          return (id: string, payload: Record<string, unknown>, expiresIn: number) => {
            const secret = payload['client_secret'];
            const stored = typeof secret === 'string' && !secret.startsWith(PREFIX) ? { ...payload, client_secret: this.hash(secret) } : payload;
            return target.upsert(id, stored, expiresIn);
          };
        },
      });
    };
  }
}
