import { describe, expect, it } from '@jest/globals';
import { hash, parseOptions } from '@node-rs/argon2';
import { Clock } from '../common/clock.js';
import { ARGON2_PARAMS, checkPasswordPolicy, hashPassword, needsRehash, verifyPassword, WeakPasswordError } from './passwords.js';
import { KeyRing } from './secret-key.js';
import type { AccountStore, StoredAccount } from './store/account-store.js';
import type { IdentityStore } from './store/identity-store.js';
import { StoredAccountDirectory } from './stored-account-directory.js';

const STRONG = 'Velvet-Otter-Quarry-81';

async function policyError(password: string, email = 'lauren@example.com'): Promise<string | undefined> {
  try {
    await checkPasswordPolicy(password, email);
    return undefined;
  } catch (error) {
    if (error instanceof WeakPasswordError) return error.message;
    throw error;
  }
}

/** An in-memory stand-in for the table, enough for the directory's reads and the rehash write. */
function directoryOver(accounts: StoredAccount[]) {
  const writes: { id: string; hash: string }[] = [];
  const store = {
    findByEmail: async (email: string) => accounts.find((account) => account.email === email.toLowerCase()) ?? null,
    rehashPassword: async (id: string, passwordHash: string) => {
      writes.push({ id, hash: passwordHash });
      const account = accounts.find((candidate) => candidate.id === id)!;
      account.passwordHash = passwordHash;
      return true;
    },
  } as unknown as AccountStore;
  const clock = new (class extends Clock {
    now = () => Date.now();
  })();
  return { directory: new StoredAccountDirectory(store, new KeyRing(Buffer.alloc(32, 1)), clock, {} as IdentityStore), writes };
}

const account = (email: string, passwordHash: string, status: 'active' | 'disabled' = 'active'): StoredAccount => ({
  id: `id-${email}`,
  email,
  displayName: email.split('@')[0]!,
  passwordHash,
  status,
  totpSecret: null,
  credentialsEpoch: 0,
  createdAt: new Date(),
});

describe('password hashing', () => {
  it('uses argon2id with the OWASP parameters, stored in the PHC string', async () => {
    const stored = await hashPassword(STRONG);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(stored, STRONG)).toBe(true);
    expect(await verifyPassword(stored, `${STRONG}x`)).toBe(false);
    expect(await verifyPassword('not a hash', STRONG)).toBe(false);
    expect(await needsRehash(stored)).toBe(false);
  });

  it('rehashes a stored hash it cannot read (another scheme, a damaged value)', async () => {
    expect(await needsRehash('not a hash')).toBe(true);
    expect(await needsRehash('$argon2id$v=19$m=abc')).toBe(true);
  });

  it('rehashes a password stored with outdated parameters at the next good sign-in', async () => {
    const old = await hash(STRONG, { ...ARGON2_PARAMS, memoryCost: 4096, timeCost: 1 });
    expect(await needsRehash(old)).toBe(true);
    const { directory, writes } = directoryOver([account('old@example.com', old)]);
    expect(await directory.verifyCredentials('old@example.com', 'wrong password')).toBeNull();
    expect(writes).toEqual([]);
    expect(await directory.verifyCredentials('old@example.com', STRONG)).toMatchObject({ email: 'old@example.com' });
    expect(writes).toHaveLength(1);
    expect(await needsRehash(writes[0]!.hash)).toBe(false);
    expect(await verifyPassword(writes[0]!.hash, STRONG)).toBe(true);
  });

  it('answers unknown e-mail, wrong password and disabled account in the same time (medians within 10 ms)', async () => {
    const stored = await hashPassword(STRONG);
    const { directory } = directoryOver([account('known@example.com', stored), account('off@example.com', stored, 'disabled')]);
    const cases = {
      unknown: () => directory.verifyCredentials('nobody@example.com', STRONG),
      wrong: () => directory.verifyCredentials('known@example.com', 'Wrong-Password-99'),
      disabled: () => directory.verifyCredentials('off@example.com', STRONG),
    };
    await cases.unknown(); // the dummy hash is made once, on first use
    // Interleaved rounds, so whatever else loads the machine weighs on every case alike.
    const times: Record<string, number[]> = { unknown: [], wrong: [], disabled: [] };
    for (let round = 0; round < 15; round++) {
      for (const [name, attempt] of Object.entries(cases)) {
        const started = performance.now();
        expect(await attempt()).toBeNull();
        times[name]!.push(performance.now() - started);
      }
    }
    const medians: Record<string, number> = {};
    for (const [name, list] of Object.entries(times)) medians[name] = list.sort((a, b) => a - b)[7]!;
    const spread = Math.max(...Object.values(medians)) - Math.min(...Object.values(medians));
    if (process.env['TEST_LOGS'] === '1') console.log(`credential check medians (ms): ${JSON.stringify(medians)}; spread ${spread.toFixed(1)} ms`);
    expect(spread).toBeLessThan(10);
  }, 60_000);
});

describe('password policy', () => {
  it('wants 8 to 128 characters and no composition rules', async () => {
    expect(await policyError('Ab1!xyz')).toBe('Use at least 8 characters.');
    expect(await policyError('x'.repeat(129))).toBe('Use at most 128 characters.');
    expect(await policyError('lowercase words only here please')).toBeUndefined();
  });

  it('refuses passwords that are trivially guessable or built from the e-mail, without repeating them', async () => {
    for (const weak of ['password123', 'qwertyuiop', '11111111', 'iloveyou1']) {
      const message = await policyError(weak);
      expect(message).toMatch(/too easy to guess/);
      expect(message).not.toContain(weak);
    }
    // Without a warning from the estimator, the advice stands alone.
    expect(await policyError('correcthorse')).toBe('This password is too easy to guess. Try a longer phrase of unrelated words.');
    expect(await policyError('abcdefgh1')).toBe('This password is too easy to guess. Common character sequences like "abc" are easy to guess. Try a longer phrase of unrelated words.');
    expect(await policyError('lauren-2024-summer', 'lauren@example.com')).toBe('Do not use your e-mail address in your password.');
    expect(await policyError(STRONG)).toBeUndefined();
  });
});
