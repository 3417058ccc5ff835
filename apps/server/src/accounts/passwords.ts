/**
 * Password hashing (argon2id, OWASP parameters) and the password policy
 * (NIST SP 800-63B: length, no composition rules, not trivially guessable,
 * not built from the e-mail).
 */
import { randomBytes } from 'node:crypto';
import type { Algorithm } from '@node-rs/argon2';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_NEW_PASSWORD_LENGTH = 128;

/** OWASP's first argon2id setting: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The native argon2 binding, loaded on first use (demo mode never hashes). */
const argon2 = () => import('@node-rs/argon2');

export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return (await argon2()).verify(passwordHash, password).catch(() => false);
}

/** True when a stored hash was made with other parameters than today's (rehash on the next good login). */
export async function needsRehash(passwordHash: string): Promise<boolean> {
  const { parseOptions } = await argon2();
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== ARGON2_PARAMS.algorithm ||
      used.memoryCost !== ARGON2_PARAMS.memoryCost ||
      used.timeCost !== ARGON2_PARAMS.timeCost ||
      used.parallelism !== ARGON2_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}

/**
 * A hash of nothing anyone can type, checked when the e-mail is unknown so that
 * an unknown e-mail costs the same time as a wrong password.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}

export class WeakPasswordError extends Error {
  override name = 'WeakPasswordError';
}

let strength: Promise<ZxcvbnFactory> | undefined;

/** The strength estimator with its common and English dictionaries, loaded on first use (a few MB). */
function estimator(): Promise<ZxcvbnFactory> {
  strength ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
  })();
  return strength;
}

/** Throws a `WeakPasswordError` saying what to change; the message never repeats the password. */
export async function checkPasswordPolicy(password: string, email: string): Promise<void> {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if ([...password].length > MAX_NEW_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`Use at most ${MAX_NEW_PASSWORD_LENGTH} characters.`);
  }
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && password.toLowerCase().includes(localPart)) {
    throw new WeakPasswordError('Do not use your e-mail address in your password.');
  }
  const { score, feedback } = (await estimator()).check(password, [email, localPart]);
  if (score < 2) {
    const hint = feedback.warning ? `${feedback.warning.replace(/\.$/, '')}. ` : '';
    throw new WeakPasswordError(`This password is too easy to guess. ${hint}Try a longer phrase of unrelated words.`);
  }
}
