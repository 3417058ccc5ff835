import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    expect(loadSecretKey({ secretKey: given, dataDir: tempDir(), embedded: false }).key).toBe(given);
    expect(() => loadSecretKey({ dataDir: tempDir(), embedded: false })).toThrow(SecretKeyError);
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
    const all = [keys.codes, keys.totp, keys.limits, Buffer.from(keys.challenge, 'base64url')].map((key) => key.toString('hex'));
    expect(new Set(all).size).toBe(4);
    expect(new KeyRing(Buffer.alloc(32, 3)).codes.equals(keys.codes)).toBe(true);
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
});
