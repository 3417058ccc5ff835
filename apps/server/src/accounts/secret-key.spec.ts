import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { KeyRing, loadSecretKey, SecretKeyError } from './secret-key.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'target-auth-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('SECRET_KEY', () => {
  it('is generated once into the data directory with mode 0600, then reused', () => {
    const dataDir = tempDir();
    const first = loadSecretKey({ dataDir, embedded: true });
    expect(first.generated).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(join(dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    const second = loadSecretKey({ dataDir, embedded: true });
    expect(second.generated).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('is used as given, and required with a shared database', () => {
    const given = Buffer.alloc(32, 7);
    expect(loadSecretKey({ secretKey: given, dataDir: tempDir(), embedded: false })).toEqual({ key: given, generated: false });
    const missing = (() => {
      try {
        return loadSecretKey({ dataDir: tempDir(), embedded: false });
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(SecretKeyError);
    expect(missing).toMatchObject({ name: 'SecretKeyError', message: expect.stringContaining('SECRET_KEY must be set') });
  });

  it('is never written through a planted link: creating the file fails instead', () => {
    const dataDir = tempDir();
    const elsewhere = join(dataDir, 'elsewhere');
    symlinkSync(elsewhere, join(dataDir, 'secret-key'));
    expect(() => loadSecretKey({ dataDir, embedded: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('refuses a kept key that is too short', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secret-key'), Buffer.alloc(8).toString('base64'));
    expect(() => loadSecretKey({ dataDir, embedded: true })).toThrow(/32 bytes/);
  });
});

describe(KeyRing.name, () => {
  it('derives a different key per purpose', () => {
    const keys = new KeyRing(Buffer.alloc(32, 3));
    const all = [keys.codes, keys.limits, Buffer.from(keys.challenge, 'base64url'), keys.oauth.clientSecrets].map((key) => key.toString('hex'));
    expect(new Set(all).size).toBe(4);
    expect(new KeyRing(Buffer.alloc(32, 3)).codes.equals(keys.codes)).toBe(true);
    // A sealed TOTP secret does not open as a queued mail, nor the other way round.
    expect(() => keys.open(keys.seal('x', 'totp'), 'mail')).toThrow();
    expect(() => keys.open(keys.seal('x', 'mail'), 'totp')).toThrow();
    expect(keys.open(keys.seal('x', 'mail'), 'mail')).toBe('x');
  });

  it('hashes a device secret under a key of its own: the same secret alike, another secret or key differently', () => {
    const keys = new KeyRing(Buffer.alloc(32, 3));
    const secret = 'A'.repeat(43);
    expect(keys.deviceHash(secret)).toBe(new KeyRing(Buffer.alloc(32, 3)).deviceHash(secret));
    expect(keys.deviceHash(secret)).not.toBe(keys.deviceHash('B'.repeat(43)));
    expect(keys.deviceHash(secret)).not.toBe(new KeyRing(Buffer.alloc(32, 4)).deviceHash(secret));
    expect(keys.deviceHash(secret)).not.toContain(secret);
  });

  // Known answers: a changed purpose would orphan every sealed TOTP secret, code and linked token on upgrade.
  it('derives the same keys release after release', () => {
    const keys = new KeyRing(Buffer.alloc(32, 3));
    const hex = (value: Buffer | string) => (typeof value === 'string' ? Buffer.from(value, 'base64url') : value).toString('hex');
    expect({
      codes: hex(keys.codes),
      challenge: hex(keys.challenge),
      limits: hex(keys.limits),
      cookies: hex(keys.oauth.cookies),
      signingSeed: hex(keys.oauth.signingSeed),
      clientSecrets: hex(keys.oauth.clientSecrets),
    }).toEqual({
      codes: '1701839553610617a5d2d7f98776d9ad38235a426ce42d27242dc89bd2f9bf23',
      challenge: '56c4094efc0dbdf2196c5a8c1d7ca05ba6a9d8e2b57caf9bb49aa7fc72f6299f',
      limits: 'fb5bcf87a93ce6fa6b6f7eeb36b43a4042d599b085dbd2ecf04f89757dca6f7e',
      cookies: '9f1b71e23f8cd60c4c6d2b818a6d99153c2c33e96b7872f8b53adc9f736c5ccc',
      signingSeed: 'ed0d87bfc5b407e9351e323481515bfc163a54801d6d109c97e2865acd72c58f',
      clientSecrets: '64fa1a3751d3287f4dc0505d182a4e613587c049f8055a91f6f9706f07193c73',
    });
  });

  it('opens a TOTP secret sealed by an earlier release (the sealing key is unchanged)', () => {
    expect(new KeyRing(Buffer.alloc(32, 3)).open('v1.BwcHBwcHBwcHBwcH.HKkks8P3_k5a9GycJe4GnQ.b2TfxaKEnZhHvCiA8rk7Bg')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('seals a TOTP secret so that only the same key opens it, and a changed byte fails', () => {
    const keys = new KeyRing(Buffer.alloc(32, 3));
    const sealed = keys.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed);
    expect(keys.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => new KeyRing(Buffer.alloc(32, 4)).open(sealed)).toThrow();
    const parts = sealed.split('.');
    const data = Buffer.from(parts[2]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[2] = data.toString('base64url');
    expect(() => keys.open(parts.join('.'))).toThrow();
  });

  it('refuses a cut tag (GCM would check only the bytes left, and a short tag can be guessed)', () => {
    const keys = new KeyRing(Buffer.alloc(32, 3));
    const [version, iv, data, tag] = keys.seal('sess_x secret', 'hand-off').split('.');
    const cut = Buffer.from(tag!, 'base64url').subarray(0, 12).toString('base64url');
    expect(() => keys.open([version, iv, data, cut].join('.'), 'hand-off')).toThrow();
  });

  it('refuses a sealed value of another version or with a part missing, before any decryption', () => {
    const keys = new KeyRing(Buffer.alloc(32, 3));
    const [, iv, data, tag] = keys.seal('JBSWY3DPEHPK3PXP').split('.');
    for (const sealed of [`v2.${iv}.${data}.${tag}`, `v1..${data}.${tag}`, `v1.${iv}..${tag}`, `v1.${iv}.${data}.`, `v1.${iv}.${data}`]) {
      expect(() => keys.open(sealed)).toThrow(new SecretKeyError('Sealed value has an unknown format.'));
    }
  });
});
