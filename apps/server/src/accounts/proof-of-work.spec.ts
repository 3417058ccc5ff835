import { describe, expect, it } from '@jest/globals';
import type { ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { memoryLimiters } from './account-limits.js';
import { MAX_PROOF_OF_WORK_BYTES, ProofOfWork } from './proof-of-work.js';

const SECRET = 'proof-of-work-test-secret';

async function solved(challenge: ProofOfWorkChallenge): Promise<{ challenge: ProofOfWorkChallenge; solution: object }> {
  const solution = await solveChallenge({ challenge: challenge as unknown as Challenge, deriveKey });
  if (!solution) throw new Error('not solved');
  return { challenge, solution };
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe(ProofOfWork.name, () => {
  it('asks for SHA-256 work of 5,000 to 25,000 tries, signed, expiring in 5 minutes', async () => {
    const now = Date.UTC(2026, 10, 28, 12);
    const challenge = (await new ProofOfWork(SECRET, memoryLimiters, () => now).create()) as unknown as Challenge;
    expect(challenge.parameters).toMatchObject({ algorithm: 'SHA-256', cost: 1, expiresAt: now / 1000 + 300 });
    expect(typeof challenge.signature).toBe('string');
    const { solution } = await solved(challenge as unknown as ProofOfWorkChallenge);
    const { counter } = solution as { counter: number };
    expect(counter).toBeGreaterThanOrEqual(5000);
    expect(counter).toBeLessThan(25_000);
  });

  it('accepts a solved challenge once', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const payload = encode(await solved(await sut.create()));
    expect(await sut.verify(payload)).toBe(true);
    expect(await sut.verify(payload)).toBe(false);
  });

  it('refuses a challenge it did not sign, an expired one, and a wrong answer', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const foreign = await solved(await new ProofOfWork('another secret', memoryLimiters).create());
    expect(await sut.verify(encode(foreign))).toBe(false);

    const past = new ProofOfWork(SECRET, memoryLimiters, () => Date.now() - 301_000);
    expect(await sut.verify(encode(await solved(await past.create())))).toBe(false);

    const right = await solved(await sut.create());
    const wrong = { ...right, solution: { ...right.solution, counter: (right.solution as { counter: number }).counter + 1 } };
    expect(await sut.verify(encode(wrong))).toBe(false);
  });

  it('refuses malformed payloads without throwing', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const good = await solved(await sut.create());
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
    for (const payload of bad) expect(await sut.verify(payload)).toBe(false);
    // The good one was never consumed by the refusals.
    expect(await sut.verify(encode(good))).toBe(true);
  });

  it('refuses a payload just over the size limit even when it is a valid solution', async () => {
    const sut = new ProofOfWork(SECRET, memoryLimiters);
    const good = await solved(await sut.create());
    const payload = encode({ ...good, padding: ' '.repeat(MAX_PROOF_OF_WORK_BYTES) });
    expect(payload.length).toBeGreaterThan(MAX_PROOF_OF_WORK_BYTES);
    expect(await sut.verify(payload)).toBe(false);
    // Exactly at the limit: accepted (base64 of 3,072 bytes is 4,096 characters).
    const bare = JSON.stringify({ ...good, padding: '' }).length;
    const exact = encode({ ...good, padding: ' '.repeat(3072 - bare) });
    expect(exact.length).toBe(MAX_PROOF_OF_WORK_BYTES);
    expect(await sut.verify(exact)).toBe(true);
  });

  it('keeps its record of used challenges for 5 minutes, one use each, made on first use', async () => {
    const made: object[] = [];
    const sut = new ProofOfWork(SECRET, (options) => {
      made.push(options);
      return new RateLimiterMemory(options);
    });
    expect(made).toEqual([]);
    expect(await sut.verify(encode(await solved(await sut.create())))).toBe(true);
    expect(await sut.verify(encode(await solved(await sut.create())))).toBe(true);
    expect(made).toEqual([{ keyPrefix: 'altcha', points: 1, duration: 300 }]);
  });

  it('fails with StoreUnavailableError when the record of used challenges fails', async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 1 });
    broken.consume = () => Promise.reject(new Error('connection lost'));
    const sut = new ProofOfWork(SECRET, () => broken);
    await expect(sut.verify(encode(await solved(await sut.create())))).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      message: 'Challenge store unavailable',
      cause: expect.objectContaining({ message: 'connection lost' }),
    });
  });
});
