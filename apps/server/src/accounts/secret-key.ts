/**
 * SECRET_KEY and what is derived from it: the key for one-time-code HMACs, the
 * keys that seal TOTP secrets and queued mails at rest (AES-256-GCM), the
 * ALTCHA signing key, and the keys for limiter and trusted-browser hashes. With
 * no SECRET_KEY, the embedded store keeps a generated one in
 * `dataDir/secret-key` (mode 0600).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** The key given, or the one kept in `dataDir` (made on first use); `generated` says a new one was written. */
export function loadSecretKey(options: { secretKey?: Buffer; dataDir: string; embedded: boolean }): { key: Buffer; generated: boolean; path?: string } {
  if (options.secretKey) return { key: options.secretKey, generated: false };
  if (!options.embedded) {
    throw new SecretKeyError('SECRET_KEY must be set when DATABASE_URL is: every instance needs the same key (e.g. `openssl rand -base64 32`).');
  }
  const path = join(options.dataDir, 'secret-key');
  try {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length < 32) throw new SecretKeyError(`${path} does not hold a key of 32 bytes or more; delete it to make a new one.`);
    return { key, generated: false, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, generated: true, path };
}

/** What `seal` protects: each under a key of its own. */
export type SealedKind = 'totp' | 'mail' | 'upstream' | 'hand-off' | 'passkey-pass' | 'account-page';

/** Keys for separate purposes, so no two uses share one key. */
export class KeyRing {
  readonly codes: Buffer;
  readonly challenge: string;
  readonly limits: Buffer;
  private readonly sealing: Record<SealedKind, Buffer>;
  private readonly devices: Buffer;
  /** Account linking: the cookie signing key, the Ed25519 seed of the signing key, and the key for registered clients' secrets. */
  readonly oauth: { cookies: string; signingSeed: Buffer; clientSecrets: Buffer };

  constructor(secretKey: Buffer) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secretKey, 'target-auth', purpose, 32));
    this.codes = derive('one-time codes');
    this.sealing = {
      totp: derive('totp secrets'),
      mail: derive('queued mail'),
      upstream: derive('upstream state'),
      'hand-off': derive('upstream hand-off'),
      'passkey-pass': derive('passkey hand-off pass'),
      'account-page': derive('account page'),
    };
    this.devices = derive('trusted devices');
    this.challenge = derive('altcha challenges').toString('base64url');
    this.limits = derive('limit keys');
    this.oauth = {
      cookies: derive('oauth cookies').toString('base64url'),
      signingSeed: derive('oauth signing key'),
      clientSecrets: derive('oauth client secrets'),
    };
  }

  /** What is stored for a browser's device secret: an HMAC, so the table alone opens nothing. */
  deviceHash(deviceSecret: string): string {
    return createHmac('sha256', this.devices).update(deviceSecret).digest('base64url');
  }

  /** AES-256-GCM: `v1.<iv>.<ciphertext>.<tag>` in base64url. */
  seal(plain: string, kind: SealedKind = 'totp'): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealing[kind], iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Seals `value` for `owner` until `until` (epoch ms): what a change under way keeps in a cookie. */
  sealFor(owner: string, value: string, until: number, kind: SealedKind): string {
    return this.seal(JSON.stringify([owner, value, until]), kind);
  }

  /** The value `sealFor` kept for `owner`, while `now` is before its end; undefined for anything else. */
  openFor(sealed: string | undefined, owner: string, now: number, kind: SealedKind): string | undefined {
    let parsed: unknown;
    try {
      parsed = sealed && JSON.parse(this.open(sealed, kind));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed)) return undefined;
    const [forOwner, value, until] = parsed as unknown[];
    return forOwner === owner && typeof value === 'string' && typeof until === 'number' && now < until ? value : undefined;
  }

  open(sealed: string, kind: SealedKind = 'totp'): string {
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !data || !tag) throw new SecretKeyError('Sealed value has an unknown format.');
    // A whole 16-byte tag only: GCM would accept a cut one, and a 4-byte tag can be guessed.
    const decipher = createDecipheriv('aes-256-gcm', this.sealing[kind], Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
