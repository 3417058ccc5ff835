import { describe, expect, it } from '@jest/globals';
import type { ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { memoryLimiters } from '../common/limiters.js';
import { challengeWork, MAX_PROOF_OF_WORK_BYTES, ProofOfWork, WORK } from './proof-of-work.js';
import { LIMITS } from './sign-in-limits.js';

const SECRET = 'proof-of-work-test-secret';

async function solved(challenge: ProofOfWorkChallenge): Promise<{ challenge: ProofOfWorkChallenge; solution: object }> {
  const solution = await solveChallenge({ challenge: challenge as unknown as Challenge, deriveKey });
  if (!solution) throw new Error('not solved');
  return { challenge, solution };
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe(ProofOfWork.name, () => {
  it('asks for SHA-256 work of 22,500 to 25,000 tries up to the 5th failure, signed, expiring in 5 minutes', async () => {
    const now = Date.UTC(2026, 10, 28, 12);
    for (const failures of [3, 5]) {
      const challenge = (await new ProofOfWork(SECRET, memoryLimiters, () => now).create(failures)) as unknown as Challenge;
      expect(challenge.parameters).toMatchObject({ algorithm: 'SHA-256', cost: 1, expiresAt: now / 1000 + 300 });
      expect(typeof challenge.signature).toBe('string');
      const { counter } = (await solved(challenge as unknown as ProofOfWorkChallenge)).solution as { counter: number };
      expect(counter).toBeGreaterThanOrEqual(22_500);
      expect(counter).toBeLessThanOrEqual(25_000);
    }
  });

  it('makes each failure beyond the 5th cost more work than the last, up to the ceiling at the day\'s 100th', () => {
    const works = Array.from({ length: LIMITS.untrustedFailuresPerDay + 1 }, (_, failures) => challengeWork(failures));
    expect(works.slice(0, LIMITS.escalateAfterFailures + 1).every((work) => work === WORK.base)).toBe(true);
    for (let failures = LIMITS.escalateAfterFailures + 1; failures <= LIMITS.untrustedFailuresPerDay; failures++) {
      expect(works[failures]).toBeGreaterThan(works[failures - 1]!);
    }
    expect(works[LIMITS.untrustedFailuresPerDay]).toBe(WORK.max);
    expect(challengeWork(1000)).toBe(WORK.max);
  });

  it('draws the answer from the top tenth of the work due', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const { counter } = (await solved(await sut.create(8))).solution as { counter: number };
    expect(counter).toBeGreaterThanOrEqual(Math.floor(challengeWork(8) * 0.9));
    expect(counter).toBeLessThanOrEqual(challengeWork(8));
  });

  it('refuses a solution below the work due when it is checked: cheap challenges cannot be stockpiled', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const cheap = encode(await solved(await sut.create(3)));
    expect(await sut.verify(cheap, 12)).toBe(false);
    // Refused for its work, not spent: it still counts where the work due is low.
    expect(await sut.verify(cheap, 4)).toBe(true);
  });

  it('accepts a solved challenge once', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const payload = encode(await solved(await sut.create(3)));
    expect(await sut.verify(payload, 3)).toBe(true);
    expect(await sut.verify(payload, 3)).toBe(false);
  });

  it('refuses a challenge it did not sign, an expired one, and a wrong answer', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const foreign = await solved(await new ProofOfWork('another secret', memoryLimiters).create(3));
    expect(await sut.verify(encode(foreign), 3)).toBe(false);

    const past = new ProofOfWork(SECRET, memoryLimiters, () => Date.now() - 301_000);
    expect(await sut.verify(encode(await solved(await past.create(3))), 3)).toBe(false);

    const right = await solved(await sut.create(3));
    const wrong = { ...right, solution: { ...right.solution, counter: (right.solution as { counter: number }).counter + 1 } };
    expect(await sut.verify(encode(wrong), 3)).toBe(false);
  });

  it('refuses malformed payloads without throwing', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const good = await solved(await sut.create(3));
    const { challenge, solution } = good as unknown as { challenge: Record<string, unknown>; solution: Record<string, unknown> };
    const bad = [
      'not base64 json',
      encode(null),
      encode({ solution }),
      encode({ challenge: { ...challenge, parameters: undefined }, solution }),
      encode({ challenge: { ...challenge, signature: 42 }, solution }),
      encode({ challenge }),
      encode({ challenge, solution: { ...solution, counter: 1.5 } }),
      encode({ challenge, solution: { ...solution, counter: '7' } }),
      encode({ challenge, solution: { ...solution, derivedKey: 7 } }),
      'A'.repeat(MAX_PROOF_OF_WORK_BYTES + 1),
      // Well-formed enough to reach altcha-lib, which throws on it.
      encode({ challenge: { ...challenge, parameters: {} }, solution }),
    ];
    for (const payload of bad) expect(await sut.verify(payload, 3)).toBe(false);
    // The good one was never consumed by the refusals.
    expect(await sut.verify(encode(good), 3)).toBe(true);
  });

  it('refuses a payload just over the size limit even when it is a valid solution', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const good = await solved(await sut.create(3));
    const payload = encode({ ...good, padding: ' '.repeat(MAX_PROOF_OF_WORK_BYTES) });
    expect(payload.length).toBeGreaterThan(MAX_PROOF_OF_WORK_BYTES);
    expect(await sut.verify(payload, 3)).toBe(false);
    // Exactly at the limit: accepted (base64 of 3,072 bytes is 4,096 characters).
    const bare = JSON.stringify({ ...good, padding: '' }).length;
    const exact = encode({ ...good, padding: ' '.repeat(3072 - bare) });
    expect(exact.length).toBe(MAX_PROOF_OF_WORK_BYTES);
    expect(await sut.verify(exact, 3)).toBe(true);
  });

  it('keeps its record of used challenges for 5 minutes, one use each, made on first use', async () => {
    const made: object[] = [];
    const sut = new ProofOfWork(SECRET, (options) => {
      made.push(options);
      return new RateLimiterMemory(options);
    });
    expect(made).toEqual([]);
    expect(await sut.verify(encode(await solved(await sut.create(3))), 3)).toBe(true);
    expect(await sut.verify(encode(await solved(await sut.create(3))), 3)).toBe(true);
    expect(made).toEqual([{ keyPrefix: 'altcha', points: 1, duration: 300 }]);
  });

  it('fails with StoreUnavailableError when the record of used challenges fails', async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 1 });
    broken.consume = () => Promise.reject(new Error('connection lost'));
    const sut = new ProofOfWork(SECRET, () => broken);
    await expect(sut.verify(encode(await solved(await sut.create(3))), 3)).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      message: 'Challenge store unavailable',
      cause: expect.objectContaining({ message: 'connection lost' }),
    });
  });
});
