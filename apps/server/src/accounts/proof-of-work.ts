/**
 * The challenge asked instead of a CAPTCHA: an ALTCHA proof of work
 * (altcha-lib), signed with a key derived from SECRET_KEY, valid 5 minutes and
 * accepted once. Its work grows with the account's recent failed passwords
 * (`challengeWork`): ~0.2 s in Chromium up to the 5th, then more with each,
 * to ~9 s at the 100th (bench: `pnpm bench`, "proof of work in Chromium").
 * A solution must meet the work due when it is checked, so challenges fetched
 * while failures were few cannot be stockpiled for later.
 */
import { randomInt } from 'node:crypto';
import type { ProofOfWorkChallenge } from '@target-auth/shared/tools';
import type { Challenge, Solution } from 'altcha-lib';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { LIMITS } from './sign-in-limits.js';
import { type LimiterFactory } from '../common/limiters.js';

/** altcha-lib and its SHA-256 key derivation, loaded on the first challenge (demo mode never asks one). */
const altcha = async () => {
  const [{ createChallenge, verifySolution }, { deriveKey }] = await Promise.all([import('altcha-lib'), import('altcha-lib/algorithms/sha')]);
  return { createChallenge, verifySolution, deriveKey };
};

const TTL_SECONDS = 5 * 60;
export const MAX_PROOF_OF_WORK_BYTES = 4096;

/** SHA-256 tries of the first challenges, what each failure beyond LIMITS.escalateAfterFailures adds, and the ceiling. */
export const WORK = { base: 25_000, step: 15_000, max: 1_450_000 } as const;
/** The answer is drawn from the top tenth of the work: the solver, counting from 0, does at least 90 % of it. */
const SPREAD = 0.9;

/** The most SHA-256 tries a solver makes for the challenge due after `failures` failed passwords. */
export function challengeWork(failures: number): number {
  const beyond = Math.max(0, failures - LIMITS.escalateAfterFailures);
  return Math.min(WORK.base + beyond * WORK.step, WORK.max);
}

const leastWork = (failures: number): number => Math.floor(challengeWork(failures) * SPREAD);

export class ProofOfWork {
  private used: RateLimiterAbstract | undefined;

  /** `make` builds the record of challenges already used (memory or Redis), on first use. */
  constructor(
    private readonly secret: string,
    private readonly make: LimiterFactory,
    private readonly now: () => number = Date.now,
  ) {}

  /** A challenge whose work suits `failures` recent failed passwords. */
  async create(failures: number): Promise<ProofOfWorkChallenge> {
    const { createChallenge, deriveKey } = await altcha();
    const challenge = await createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(leastWork(failures), challengeWork(failures) + 1),
      deriveKey,
      hmacSignatureSecret: this.secret,
      expiresAt: Math.floor(this.now() / 1000) + TTL_SECONDS,
    });
    return challenge as unknown as ProofOfWorkChallenge;
  }

  /**
   * Checks an `altcha` payload (base64 JSON of `{ challenge, solution }`):
   * signed by us, solved, unexpired, first use, and at least the work due
   * after `failures` failed passwords.
   */
  async verify(payload: string, failures: number): Promise<boolean> {
    const parsed = decode(payload);
    if (!parsed || parsed.solution.counter < leastWork(failures)) return false;
    const { verifySolution, deriveKey } = await altcha();
    const result = await verifySolution({ ...parsed, deriveKey, hmacSignatureSecret: this.secret }).catch(() => null);
    if (!result?.verified || !parsed.challenge.signature) return false;
    this.used ??= this.make({ keyPrefix: 'altcha', points: 1, duration: TTL_SECONDS });
    try {
      await this.used.consume(parsed.challenge.signature);
      return true;
    } catch (refusal) {
      // A refusal (already used) carries the limiter's state; anything else is the store failing.
      if (!(refusal instanceof Error)) return false;
      throw new StoreUnavailableError('Challenge store unavailable', { cause: refusal });
    }
  }
}

function decode(payload: string): { challenge: Challenge; solution: Solution } | null {
  if (payload.length > MAX_PROOF_OF_WORK_BYTES) return null;
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { challenge?: Challenge; solution?: Solution };
    const { challenge, solution } = value;
    if (!challenge?.parameters || typeof challenge.signature !== 'string') return null;
    if (!solution || !Number.isSafeInteger(solution.counter) || typeof solution.derivedKey !== 'string') return null;
    return { challenge, solution };
  } catch {
    return null;
  }
}
