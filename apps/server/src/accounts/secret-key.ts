/**
 * SECRET_KEY and what is derived from it: the key for one-time-code HMACs, the
 * key that seals TOTP secrets at rest (AES-256-GCM), and the ALTCHA signing
 * key. With no SECRET_KEY, the embedded store keeps a generated one in
 * `dataDir/secret-key` (mode 0600).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
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

/** Keys for separate purposes, so no two uses share one key. */
export class KeyRing {
  readonly codes: Buffer;
  readonly totp: Buffer;
  readonly challenge: string;
  readonly limits: Buffer;
  /** Account linking: the cookie signing key, the Ed25519 seed of the signing key, and the key for registered clients' secrets. */
  readonly oauth: { cookies: string; signingSeed: Buffer; clientSecrets: Buffer };

  constructor(secretKey: Buffer) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secretKey, 'target-auth', purpose, 32));
    this.codes = derive('one-time codes');
    this.totp = derive('totp secrets');
    this.challenge = derive('altcha challenges').toString('base64url');
    this.limits = derive('limit keys');
    this.oauth = {
      cookies: derive('oauth cookies').toString('base64url'),
      signingSeed: derive('oauth signing key'),
      clientSecrets: derive('oauth client secrets'),
    };
  }

  /** AES-256-GCM: `v1.<iv>.<ciphertext>.<tag>` in base64url. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.totp, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !data || !tag) throw new SecretKeyError('Sealed value has an unknown format.');
    const decipher = createDecipheriv('aes-256-gcm', this.totp, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
